"""A local aiohttp server that records every request and answers what a test queues."""

from __future__ import annotations

import asyncio
import json
from collections import deque
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable, Deque, List, Optional, Tuple

import pytest
from aiohttp import web
from multidict import CIMultiDictProxy

from titanium_airflow_client import ApiClient, Configuration


@dataclass
class Recorded:
    method: str
    raw_path: str  # path and query exactly as they arrived, still percent-encoded
    headers: CIMultiDictProxy[str]
    body: bytes

    @property
    def path(self) -> str:
        return self.raw_path.split("?", 1)[0]

    @property
    def query(self) -> List[Tuple[str, str]]:
        """(key, decoded value) pairs in order, repeated keys kept."""
        from urllib.parse import parse_qsl

        raw_query = self.raw_path.split("?", 1)[1] if "?" in self.raw_path else ""
        return parse_qsl(raw_query, keep_blank_values=True)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"{}"
    content_type: str = "application/json"
    headers: Optional[dict[str, str]] = None
    delay: float = 0.0  # seconds to wait before answering


class FakeAirflow:
    """Answers queued replies in order (then ``{}`` with 200) and records requests."""

    def __init__(self) -> None:
        self.requests: List[Recorded] = []
        self.replies: Deque[Reply] = deque()
        self.host = ""
        # When set, answers every request not served by a queued reply.
        self.responder: Optional[Callable[[Recorded], Reply]] = None

    def reply(self, status: int = 200, json_body: Any = None, *, body: Optional[bytes] = None,
              content_type: str = "application/json", headers: Optional[dict[str, str]] = None,
              delay: float = 0.0) -> None:
        if body is None:
            body = b"" if json_body is None and status == 204 else json.dumps(json_body or {}).encode()
        self.replies.append(Reply(status, body, content_type, headers, delay))

    @property
    def last(self) -> Recorded:
        assert self.requests, "the server saw no request"
        return self.requests[-1]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        recorded = Recorded(request.method, request.raw_path, request.headers, await request.read())
        self.requests.append(recorded)
        if self.replies:
            reply = self.replies.popleft()
        else:
            reply = self.responder(recorded) if self.responder else Reply()
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.status == 204:
            return web.Response(status=204, headers=reply.headers)
        return web.Response(status=reply.status, body=reply.body, content_type=None,
                            headers={"Content-Type": reply.content_type, **(reply.headers or {})})


async def start_fake_airflow(fake: FakeAirflow) -> web.AppRunner:
    """Serve ``fake`` on a free loopback port of the running loop; sets ``fake.host``."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", fake.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    fake.host = f"http://127.0.0.1:{port}/api/v1"
    return runner


@pytest.fixture
async def fake_airflow() -> AsyncIterator[FakeAirflow]:
    fake = FakeAirflow()
    runner = await start_fake_airflow(fake)
    yield fake
    await runner.cleanup()


@pytest.fixture
async def api_client(fake_airflow: FakeAirflow) -> AsyncIterator[ApiClient]:
    configuration = Configuration(host=fake_airflow.host, username="admin", password="s3cret", retries=0)
    async with ApiClient(configuration) as client:
        yield client
