"""The generated v2 (Airflow 3) methods the core's unit tests call, on one client, and the pieces of a fake
Airflow 3 they need: its JWT login, and a server that streams NDJSON as told.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Deque, Dict, List, Optional, Set, Tuple

import titanium_airflow_client.v2 as v2
import titanium_airflow_client.v2.sync as sync_v2
from titanium_airflow_client import ApiClient
from titanium_airflow_client.sync import ApiClient as BlockingApiClient
from titanium_airflow_client.v2.api.dag_run_api import WAIT_DAG_RUN_UNTIL_FINISHED as WAIT
from titanium_airflow_client.v2.models.dag_run_wait_update import DagRunWaitUpdate as WaitUpdate

from .conftest import Recorded, Reply
from .fault_server import Seen, _TCPService, read_request

USERNAME = "admin"
PASSWORD = "pw-Jq4!secret"

__all__ = ["WAIT", "WaitUpdate"]


class V2Api:
    """The few generated v2 methods the tests call, bound to one client (paginate() takes them as they are)."""

    def __init__(self, client: ApiClient) -> None:
        self.api_client = client
        dags, runs = v2.DAGApi(client), v2.DagRunApi(client)
        self.get_dag = dags.get_dag
        self.patch_dag = dags.patch_dag
        self.get_dag_runs = runs.get_dag_runs
        self.wait_dag_run_until_finished = runs.wait_dag_run_until_finished
        self.get_version = v2.VersionApi(client).get_version


class SyncV2Api:
    """The same, of the blocking twins."""

    def __init__(self, client: BlockingApiClient) -> None:
        runs = sync_v2.DagRunApi(client)
        self.get_dag_runs = runs.get_dag_runs
        self.wait_dag_run_until_finished = runs.wait_dag_run_until_finished


def root_of(host: str) -> str:
    """A fake server's root URL, from its v1 host."""
    return host.removesuffix("/api/v1")


# --------------------------------------------------------------------------- JWTs and Airflow 3's login


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


_serials = itertools.count(1)


def make_jwt(lifetime: Optional[float] = 3600.0, *, issued: Optional[float] = None, with_iat: bool = True) -> str:
    """A token shaped like Airflow's (header.payload.signature); the signature is not a real one."""
    now = time.time() if issued is None else issued
    claims: Dict[str, Any] = {"sub": "1", "aud": "apache-airflow", "jti": next(_serials)}
    if with_iat:
        claims.update(iat=int(now), nbf=int(now))
    if lifetime is not None:
        claims["exp"] = int(now + lifetime)
    header = b64url(json.dumps({"alg": "HS512", "typ": "JWT"}).encode())
    return f"{header}.{b64url(json.dumps(claims).encode())}.{b64url(b'not-a-real-signature')}"


class FakeClock:
    """Stands in for ``auth.clock``: moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Airflow3Auth:
    """Airflow 3's authentication: JWTs from ``POST /auth/token``, checked on every other path but the open ones."""

    username: str = USERNAME
    password: str = PASSWORD
    lifetime: Optional[float] = 3600.0
    open_paths: Tuple[str, ...] = ("/api/v2/version", "/api/v2/monitor/health")
    valid: Set[str] = field(default_factory=set)
    issued: List[str] = field(default_factory=list)
    login_hold: Optional[asyncio.Event] = None  # logins are answered once this is set
    login_reply: Optional[Reply] = None  # answers every login instead, when set

    @property
    def logins(self) -> int:
        return len(self.issued)

    def revoke_all(self) -> None:
        self.valid.clear()

    def login(self, request: Recorded) -> Reply:
        if self.login_reply is not None:
            return self.login_reply
        try:
            credentials = json.loads(request.body)
        except ValueError:
            credentials = None
        if credentials != {"username": self.username, "password": self.password}:
            return Reply(401, json.dumps({"detail": "Invalid credentials"}).encode())
        token = make_jwt(self.lifetime)
        self.valid.add(token)
        self.issued.append(token)
        return Reply(201, json.dumps({"access_token": token}).encode(), until=self.login_hold)

    def refusal(self, path: str, headers: Any) -> Optional[Reply]:
        """What Airflow 3 answers a request whose token it does not take; None if it takes it."""
        if path in self.open_paths:
            return None
        authorization = headers.get("Authorization", "")
        if not authorization.startswith("Bearer "):
            return Reply(401, json.dumps({"detail": "Not authenticated"}).encode())
        if authorization.removeprefix("Bearer ") not in self.valid:
            return Reply(403, json.dumps({"detail": "Invalid JWT token"}).encode())
        return None


def airflow3(auth: Airflow3Auth, answer: Optional[Reply] = None) -> Any:
    """A FakeAirflow responder: the login, the token check, then ``answer`` (or ``{"dag_id": "d"}``)."""

    def respond(request: Recorded) -> Reply:
        if request.path == "/auth/token" and request.method == "POST":
            return auth.login(request)
        refusal = auth.refusal(request.path, request.headers)
        if refusal is not None:
            return refusal
        if request.path == "/api/v2/version":
            return Reply(body=b'{"version": "3.3.2", "git_version": ".release:abc"}')
        return answer if answer is not None else Reply(body=b'{"dag_id": "d"}')

    return respond


def logins(requests: List[Recorded]) -> int:
    return sum(1 for request in requests if request.path == "/auth/token")


# --------------------------------------------------------------------------- a server streaming NDJSON


@dataclass
class Streamed:
    """One answer of StreamServer: a chunked body whose pieces come from ``pieces`` until None.

    Any other status than 200 is answered whole (``body``), with a Content-Length.
    """

    status: int = 200
    content_type: str = "application/x-ndjson"
    pieces: asyncio.Queue[Optional[bytes]] = field(default_factory=asyncio.Queue)
    body: bytes = b""

    @classmethod
    def of(cls, *pieces: bytes, end: bool = True, content_type: str = "application/x-ndjson") -> Streamed:
        streamed = cls(content_type=content_type)
        for piece in pieces:
            streamed.pieces.put_nowait(piece)
        if end:
            streamed.pieces.put_nowait(None)
        return streamed

    @classmethod
    def whole(cls, status: int, body: Any, content_type: str = "application/json") -> Streamed:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return cls(status=status, content_type=content_type, body=data)

    def send(self, *pieces: Optional[bytes]) -> None:
        for piece in pieces:
            self.pieces.put_nowait(piece)


class StreamServer(_TCPService):
    """HTTP/1.1 on 127.0.0.1: answers each request with the next scripted ``Streamed``, chunk by chunk
    as the test hands the pieces over; notices at once when the client closes the connection.
    With ``auth``, it logs in and checks tokens as Airflow 3 does."""

    def __init__(self, auth: Optional[Airflow3Auth] = None) -> None:
        super().__init__()
        self.auth = auth
        self.requests: List[Seen] = []
        self.script: Deque[Streamed] = deque()
        self.pieces_sent = 0

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, connection: int) -> None:
        while True:
            seen = await read_request(reader, connection)
            if seen is None:
                return
            self.requests.append(seen)
            answer = self._answer(seen)
            if answer.status != 200:
                writer.write(_whole(answer))
                await writer.drain()
                continue
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: " + answer.content_type.encode()
                         + b"\r\nTransfer-Encoding: chunked\r\n\r\n")
            await writer.drain()
            if not await self._send_pieces(answer, reader, writer):
                return  # the client closed the connection

    def _answer(self, seen: Seen) -> Streamed:
        if self.auth is not None:
            if seen.path == "/auth/token":
                reply = self.auth.login(Recorded(seen.method, seen.target, seen.headers, seen.body))  # type: ignore[arg-type]
                return Streamed.whole(reply.status, reply.body)
            refusal = self.auth.refusal(seen.path, seen.headers)
            if refusal is not None:
                return Streamed.whole(refusal.status, refusal.body)
        return self.script.popleft() if self.script else Streamed.of(b'{"state": "success"}\n')

    async def _send_pieces(self, answer: Streamed, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        closed = asyncio.ensure_future(reader.read(1))  # b"": the client is gone
        try:
            while True:
                piece = asyncio.ensure_future(answer.pieces.get())
                await asyncio.wait([piece, closed], return_when=asyncio.FIRST_COMPLETED)
                if closed.done():
                    piece.cancel()
                    return False
                data = piece.result()
                if data is None:
                    writer.write(b"0\r\n\r\n")
                    await writer.drain()
                    return True
                writer.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                await writer.drain()
                self.pieces_sent += 1
        finally:
            closed.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await closed


def _whole(answer: Streamed) -> bytes:
    head = (f"HTTP/1.1 {answer.status} X\r\nContent-Type: {answer.content_type}\r\n"
            f"Content-Length: {len(answer.body)}\r\n\r\n")
    return head.encode() + answer.body
