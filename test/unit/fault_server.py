"""A scripted HTTP/1.1 server on 127.0.0.1 for fault-injection tests, and a tiny forward proxy.

``FaultServer`` speaks just enough HTTP/1.1 (keep-alive, Content-Length bodies) to
misbehave on purpose: each request takes the next scripted :class:`Fault` (or the
``responder``'s, or a 200 ``{}``), which may answer normally, wait first, drop the
connection, stop mid-body, or send arbitrary raw bytes. Every request is recorded
with its arrival time and connection, and the server counts open connections, so
tests can assert how many requests arrived, how far apart, and over how many sockets.

``ForwardProxy`` relays absolute-form requests (dropping hop-by-hop headers, as a
proxy must) and tunnels ``CONNECT``, recording what it saw.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import ssl
import time
from collections import deque
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Callable, Deque, Dict, List, Optional, Set, Tuple

from multidict import CIMultiDict

HOP_BY_HOP = ("Connection", "Keep-Alive", "Proxy-Authorization", "Proxy-Authenticate", "Proxy-Connection", "TE",
              "Trailer", "Transfer-Encoding", "Upgrade")


@dataclass
class Seen:
    """One request as it arrived."""

    method: str
    target: str  # the request-target exactly as sent (origin-form, absolute-form or authority-form)
    headers: CIMultiDict[str]
    body: bytes
    at: float  # time.monotonic() when the request head was read
    connection: int  # which connection (1, 2, ...) carried it

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Fault:
    """What to do with one request. Build them with the helpers below."""

    kind: str = "respond"  # respond | drop | mid_body | raw
    status: int = 200
    body: bytes = b"{}"
    headers: Dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    delay: float = 0.0  # seconds to wait before doing it
    until: Optional[asyncio.Event] = None  # wait for this event first (the server's close ends the wait too)
    raw: bytes = b""  # "raw": these bytes, then the connection is closed
    content_length: Optional[int] = None  # "mid_body": the length announced (more than is sent)


# The start of a 200 answer, for tests that write the rest of it by hand.
HEAD_200 = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"


def reply(status: int = 200, json_body: Any = None, *, body: Optional[bytes] = None, delay: float = 0.0,
          headers: Optional[Dict[str, str]] = None, content_type: str = "application/json",
          until: Optional[asyncio.Event] = None) -> Fault:
    """A well-formed answer; ``json_body`` is serialized unless ``body`` is given."""
    if body is None:
        payload = {} if json_body is None else json_body
        body = b"" if json_body is None and status == 204 else json.dumps(payload).encode()
    return Fault(status=status, body=body, delay=delay, until=until,
                 headers={"Content-Type": content_type, **(headers or {})})


def status(code: int, retry_after: Optional[str] = None, *, body: bytes = b'{"title": "try again"}',
           content_type: str = "application/json") -> Fault:
    """An error status, with a ``Retry-After`` header when given."""
    headers = {"Retry-After": retry_after} if retry_after is not None else None
    return reply(code, body=body, headers=headers, content_type=content_type)


def html(code: int, text: str = "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>") -> Fault:
    """An HTML error page, as a proxy in front of the API sends."""
    return reply(code, body=text.encode(), content_type="text/html")


def drop(delay: float = 0.0) -> Fault:
    """Read the request, then close the connection without answering."""
    return Fault(kind="drop", delay=delay)


def mid_body(sent: bytes = b'{"dag_id": "d", "is_pa', content_length: int = 100) -> Fault:
    """Announce ``content_length`` bytes, send ``sent`` (fewer), then close the connection."""
    return Fault(kind="mid_body", body=sent, content_length=content_length)


def raw(data: bytes) -> Fault:
    """Send ``data`` as the whole answer (status line included), then close the connection."""
    return Fault(kind="raw", raw=data)


def redirect(location: str, code: int = 302) -> Fault:
    return reply(code, body=b"", headers={"Location": location}, content_type="text/plain")


class NotHTTP(Exception):
    """The client sent something else than an HTTP request (a TLS handshake, say)."""


async def _read_head(reader: asyncio.StreamReader) -> Optional[Tuple[str, str, CIMultiDict[str]]]:
    """(method, target, headers) of the next request, or None at a clean end of the connection."""
    first = await reader.read(1)
    if not first:
        return None
    if not first.isalpha():  # e.g. 0x16, a TLS ClientHello on this plain-HTTP port
        raise NotHTTP(first)
    try:
        head = first + await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, _version = lines[0].split(" ", 2)
    headers: CIMultiDict[str] = CIMultiDict()
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers.add(name.strip(), value.strip())
    return method, target, headers


async def read_request(reader: asyncio.StreamReader, connection: int) -> Optional[Seen]:
    """The next request on a connection, body included; None at a clean end of the connection."""
    head = await _read_head(reader)
    if head is None:
        return None
    method, target, headers = head
    arrived = time.monotonic()
    length = int(headers.get("Content-Length", "0"))
    body = await reader.readexactly(length) if length else b""
    return Seen(method, target, headers, body, arrived, connection)


def _head(status_code: int, headers: Dict[str, str]) -> bytes:
    try:
        reason = HTTPStatus(status_code).phrase
    except ValueError:
        reason = "Unknown"
    lines = [f"HTTP/1.1 {status_code} {reason}"] + [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class _TCPService:
    """Start/stop an asyncio server on 127.0.0.1 and clean up every connection it accepted."""

    def __init__(self, ssl_context: Optional[ssl.SSLContext] = None) -> None:
        self.ssl_context = ssl_context
        self.port = 0
        self._server: Optional[asyncio.AbstractServer] = None
        self._writers: Set[asyncio.StreamWriter] = set()
        self._tasks: Set[asyncio.Task[None]] = set()
        self.open_connections = 0
        self.max_open_connections = 0
        self.connections_total = 0
        self.failed_connections = 0  # connections that ended in an error (e.g. a failed TLS handshake)
        self.peer_certs: List[Any] = []  # TLS: the client certificate of each connection (None without one)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._on_connection, "127.0.0.1", 0, ssl=self.ssl_context,
                                                  limit=1 << 20)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def __aenter__(self) -> Any:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _on_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)  # type: ignore[arg-type]
        self._writers.add(writer)
        self.open_connections += 1
        self.connections_total += 1
        self.max_open_connections = max(self.max_open_connections, self.open_connections)
        if self.ssl_context is not None:
            self.peer_certs.append(writer.get_extra_info("peercert"))
        try:
            await self.serve(reader, writer, self.connections_total)
        except NotHTTP:  # answer as an HTTP server would, so that a TLS client fails at once
            self.failed_connections += 1
            with contextlib.suppress(OSError):
                writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                await writer.drain()
        except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            self.failed_connections += 1  # garbage, a reset, a TLS error: the connection just ends
        finally:
            self.open_connections -= 1
            self._writers.discard(writer)
            self._tasks.discard(task)  # type: ignore[arg-type]
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, connection: int) -> None:
        raise NotImplementedError


class FaultServer(_TCPService):
    """HTTP/1.1 on 127.0.0.1 (TLS when given an ``ssl_context``) that misbehaves as scripted."""

    def __init__(self, ssl_context: Optional[ssl.SSLContext] = None) -> None:
        super().__init__(ssl_context)
        self.requests: List[Seen] = []
        self.faults: Deque[Fault] = deque()
        self.responder: Optional[Callable[[Seen], Fault]] = None

    @property
    def origin(self) -> str:
        return f"{'https' if self.ssl_context else 'http'}://127.0.0.1:{self.port}"

    @property
    def host(self) -> str:
        """Base URL to configure the client with."""
        return self.origin + "/api/v1"

    def script(self, *faults: Fault) -> None:
        """Queue faults: request n gets the n-th (then the responder's answer, or 200 ``{}``)."""
        self.faults.extend(faults)

    def gaps(self) -> List[float]:
        """Seconds between consecutive requests: how long the client waited before each retry."""
        times = [request.at for request in self.requests]
        return [later - earlier for earlier, later in itertools.pairwise(times)]

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, connection: int) -> None:
        while True:
            seen = await read_request(reader, connection)
            if seen is None:
                return
            method, headers = seen.method, seen.headers
            self.requests.append(seen)
            if self.faults:
                fault = self.faults.popleft()
            elif self.responder is not None:
                fault = self.responder(seen)
            else:
                fault = Fault()
            if fault.until is not None:
                await fault.until.wait()
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.kind == "drop":
                return
            if fault.kind == "raw":
                writer.write(fault.raw)
                await writer.drain()
                return
            closing = fault.kind == "mid_body" or headers.get("Connection", "").lower() == "close"
            response_headers = dict(fault.headers)
            response_headers["Content-Length"] = str(fault.content_length or len(fault.body))
            if closing:
                response_headers["Connection"] = "close"
            writer.write(_head(fault.status, response_headers) + (b"" if method == "HEAD" else fault.body))
            await writer.drain()
            if closing:
                return


class ForwardProxy(_TCPService):
    """A forward HTTP proxy: relays absolute-form requests and tunnels CONNECT. Records each request."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: List[Seen] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, connection: int) -> None:
        head = await _read_head(reader)
        if head is None:
            return
        method, target, headers = head
        length = int(headers.get("Content-Length", "0"))
        body = await reader.readexactly(length) if length else b""
        self.requests.append(Seen(method, target, headers, body, time.monotonic(), connection))
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            up_reader, up_writer = await asyncio.open_connection(host, int(port))
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await writer.drain()
            try:
                await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
            finally:
                up_writer.close()
            return
        # absolute-form: http://host:port/path?query
        rest = target.split("://", 1)[1]
        authority, slash, path = rest.partition("/")
        host, _, port = authority.rpartition(":")
        up_reader, up_writer = await asyncio.open_connection(host, int(port or 80))
        try:
            forwarded = [f"{method} {slash}{path} HTTP/1.1"]
            forwarded += [f"{name}: {value}" for name, value in headers.items() if name.title() not in HOP_BY_HOP]
            forwarded.append("Connection: close")
            up_writer.write(("\r\n".join(forwarded) + "\r\n\r\n").encode("latin-1") + body)
            await up_writer.drain()
            writer.write(await up_reader.read())  # the upstream closes after its answer (Connection: close)
            await writer.drain()
        finally:
            up_writer.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError, RuntimeError):
            writer.write_eof()
