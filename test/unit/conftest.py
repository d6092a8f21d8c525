"""A local aiohttp server that records every request and answers what a test queues,
and the waits every test uses instead of fixed sleeps.

A test never sleeps for a fixed time to let something happen: it waits for the condition
(``wait_until``) under a deadline that only a hang reaches, and a busy machine only makes
it wait longer. A server that must not answer within a test is given ``NEVER``, and the
waits the library itself chooses (before a retry) are recorded by ``library_sleeps`` rather
than inferred from a clock.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, AsyncIterator, Callable, Deque, List, Optional, Tuple

import pytest
from aiohttp import web
from multidict import CIMultiDictProxy

from titanium_airflow_client import ApiClient, Configuration

if TYPE_CHECKING:
    from .scripted_airflow import ScriptedAirflow

DEADLINE = 30.0  # seconds a test waits for something that takes milliseconds: only a hang reaches it
NEVER = 300.0  # a server delay no test outlives (longer than DEADLINE); servers stop without waiting for it
POLL = 0.005

_sleep = asyncio.sleep  # the real one, even while library_sleeps records asyncio.sleep


async def wait_until(condition: Callable[[], object], timeout: float = DEADLINE, what: str = "") -> None:
    """Return as soon as ``condition()`` is true; fail the test if it is still false after ``timeout`` s."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() >= deadline:
            raise AssertionError(f"still not true after {timeout:g} s: {what or condition}")
        await _sleep(POLL)


def wait_until_sync(condition: Callable[[], object], timeout: float = DEADLINE, what: str = "") -> None:
    """``wait_until`` for a thread that has no running event loop: polls with ``time.sleep``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            raise AssertionError(f"still not true after {timeout:g} s: {what or condition}")
        time.sleep(POLL)


@pytest.fixture
def library_sleeps(monkeypatch: pytest.MonkeyPatch) -> List[float]:
    """Every ``asyncio.sleep(delay)`` that titanium_airflow_client's own code makes, in order.

    Today that is the wait before each retry. Asserting on these instead of on elapsed
    time checks the waits the client chose exactly, however busy the machine is.
    """
    delays: List[float] = []

    def sleep(delay: float, *args: Any, **kwargs: Any) -> Any:
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if caller == "titanium_airflow_client" or caller.startswith("titanium_airflow_client."):
            delays.append(delay)
        return _sleep(delay, *args, **kwargs)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    return delays


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
    until: Optional[asyncio.Event] = None  # answer only once this is set (or ``delay`` has passed, when given)


class FakeAirflow:
    """Answers queued replies in order (then ``{}`` with 200) and records requests."""

    def __init__(self) -> None:
        self.requests: List[Recorded] = []
        self.replies: Deque[Reply] = deque()
        self.host = ""
        # When set, answers every request not served by a queued reply.
        self.responder: Optional[Callable[[Recorded], Reply]] = None
        self.in_flight = 0  # requests read and not yet answered
        self.max_in_flight = 0
        self.answered = 0
        self.stopping = asyncio.Event()  # set when the server stops: delayed replies end at once

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
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.replies:
                reply = self.replies.popleft()
            else:
                reply = self.responder(recorded) if self.responder else Reply()
            if reply.delay or reply.until is not None:
                await self._hold(reply)
            self.answered += 1
        finally:
            self.in_flight -= 1
        if reply.status == 204:
            return web.Response(status=204, headers=reply.headers)
        return web.Response(status=reply.status, body=reply.body, content_type=None,
                            headers={"Content-Type": reply.content_type, **(reply.headers or {})})

    async def _hold(self, reply: Reply) -> None:
        """Wait for ``reply.delay`` seconds or ``reply.until``, whichever ends first; at once when stopping."""
        events = [self.stopping] if reply.until is None else [self.stopping, reply.until]
        waits = [asyncio.ensure_future(event.wait()) for event in events]
        try:
            await asyncio.wait(waits, timeout=reply.delay or None, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()


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


async def stop_fake_airflow(fake: FakeAirflow, runner: web.AppRunner) -> None:
    """Stop serving. Delayed replies end at once, so no pending handler holds up the shutdown."""
    fake.stopping.set()
    await runner.cleanup()


@pytest.fixture
async def fake_airflow() -> AsyncIterator[FakeAirflow]:
    fake = FakeAirflow()
    runner = await start_fake_airflow(fake)
    yield fake
    await stop_fake_airflow(fake, runner)


@pytest.fixture
async def api_client(fake_airflow: FakeAirflow) -> AsyncIterator[ApiClient]:
    configuration = Configuration(host=fake_airflow.host, username="admin", password="s3cret", retries=0)
    async with ApiClient(configuration) as client:
        yield client


@pytest.fixture
async def v2_client(fake_airflow: FakeAirflow) -> AsyncIterator[ApiClient]:
    """A client of the same fake server as an Airflow 3.3: the host is its root, with a bearer token."""
    root = fake_airflow.host.removesuffix("/api/v1")
    configuration = Configuration(host=root, access_token="tok", retries=0, server_version="3.3.2")
    async with ApiClient(configuration) as client:
        yield client


@pytest.fixture(autouse=True)
def cli_environment_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the command line's environment variables of the shell that runs the suite."""
    from .cli_run import clear_cli_environment

    clear_cli_environment(monkeypatch)


@pytest.fixture
def script(fake_airflow: FakeAirflow) -> ScriptedAirflow:
    """The fake server answering by method and path, as scripted (``scripted_airflow.py``)."""
    from .scripted_airflow import ScriptedAirflow

    return ScriptedAirflow(fake_airflow)
