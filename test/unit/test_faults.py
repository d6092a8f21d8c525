"""Faults on the wire, one by one: what the client retries, how long it waits, and what it raises.

Each test scripts a ``FaultServer`` on 127.0.0.1 and asserts how many requests the
server saw, the waits the client chose (``library_sleeps``) and that it really waited
them (the gaps between requests are at least as long). Waits are kept small by patching
the module constants of ``titanium_airflow_client.rest``. No assertion puts an upper
bound on elapsed time: a busy machine only makes things slower.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import random
import subprocess
import sys
import threading
import time
from email.utils import formatdate
from pathlib import Path
from typing import AsyncIterator, Awaitable, Callable, Dict, List, Tuple, Type

import aiohttp
import pytest
from aiohttp import web

from titanium_airflow_client import (
    DAG,
    ApiClient,
    ApiConnectionError,
    ApiDecodeError,
    ApiException,
    ApiResponseTooLargeError,
    ApiTimeoutError,
    ApiTypeError,
    ApiValueError,
    Configuration,
    DAGApi,
    DAGRun,
    DAGRunApi,
    NotFoundException,
    OpenApiException,
    ServiceException,
    rest,
)

from .conftest import DEADLINE, NEVER, wait_until
from .fault_server import HEAD_200, Fault, FaultServer, Seen, drop, html, mid_body, raw, redirect, reply, status


@pytest.fixture
async def server() -> AsyncIterator[FaultServer]:
    async with FaultServer() as fault_server:
        yield fault_server


@pytest.fixture
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Backoff of 10 ms, 20 ms, ...: retries happen, quickly."""
    monkeypatch.setattr(rest, "BACKOFF_BASE", 0.01)


@pytest.fixture
def upper_jitter(monkeypatch: pytest.MonkeyPatch) -> List[Tuple[float, float]]:
    """Make the jitter pick its upper bound, and record the bounds it was given."""
    calls: List[Tuple[float, float]] = []

    def uniform(low: float, high: float) -> float:
        calls.append((low, high))
        return high

    monkeypatch.setattr(rest.random, "uniform", uniform)
    return calls


def client(server: FaultServer, **settings: object) -> ApiClient:
    return ApiClient(Configuration(host=server.host, username="admin", password="pw", **settings))  # type: ignore[arg-type]


def assert_waited(server: FaultServer, waits: List[float]) -> None:
    """The client really waited before each retry: requests came at least ``waits`` apart."""
    gaps = server.gaps()
    assert len(gaps) == len(waits)
    for gap, wait in zip(gaps, waits, strict=True):
        assert gap >= wait - 0.01, (gaps, waits)


# --- retry policy -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "raised"), [(429, ApiException), (502, ServiceException), (503, ServiceException),
                                              (504, ServiceException)])
async def test_retryable_status_is_retried_twice_by_default(
    server: FaultServer, code: int, raised: Type[ApiException]
) -> None:
    server.script(*[status(code, retry_after="0")] * 3)
    async with client(server) as api_client:  # Configuration's default: retries=2
        with pytest.raises(raised) as caught:
            await DAGApi(api_client).get_dag("d")
    assert caught.value.status == code
    assert len(server.requests) == 3


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "POST", "PATCH"])
@pytest.mark.parametrize("fault", ["503", "dropped"])
async def test_only_idempotent_methods_are_retried_once_the_request_arrived(
    server: FaultServer, fast_backoff: None, method: str, fault: str
) -> None:
    server.responder = lambda seen: status(503, retry_after="0") if fault == "503" else drop()
    body = b'{"note": "n"}' if method in ("PUT", "POST", "PATCH") else None
    async with client(server, retries=2) as api_client:
        if fault == "503":
            response = await api_client.rest_client.request(method, server.host + "/x", {}, body, DEADLINE, 2)
            assert response.status == 503  # the last answer, given back once retries are used up
        else:
            with pytest.raises(ApiConnectionError):
                await api_client.rest_client.request(method, server.host + "/x", {}, body, DEADLINE, 2)
    assert len(server.requests) == (3 if method in rest.IDEMPOTENT_METHODS else 1)
    assert {seen.method for seen in server.requests} == {method}


async def test_dropped_connection_then_success_recovers(server: FaultServer, fast_backoff: None) -> None:
    server.script(drop(), reply(200, {"dag_id": "d"}))
    async with client(server) as api_client:
        dag = await DAGApi(api_client).get_dag("d")
    assert dag.dag_id == "d"
    assert len(server.requests) == 2
    assert server.connections_total == 2  # the dropped connection was not reused


async def test_dropped_connection_fails_clearly_after_the_retries(server: FaultServer, fast_backoff: None) -> None:
    server.responder = lambda seen: drop()
    async with client(server) as api_client:
        with pytest.raises(ApiConnectionError) as caught:
            await DAGApi(api_client).get_dag("d")
        assert len(server.requests) == 3
        error = caught.value
        assert (error.method, error.url) == ("GET", f"{server.host}/dags/d")
        assert str(error).startswith(f"GET {server.host}/dags/d failed: ")
        assert isinstance(error.__cause__, aiohttp.ServerDisconnectedError)
        server.requests.clear()
        with pytest.raises(ApiConnectionError):  # a POST that reached the server is never sent twice
            await DAGRunApi(api_client).post_dag_run("d", DAGRun(dag_run_id="r"))
        assert [seen.method for seen in server.requests] == ["POST"]


async def test_aiohttp_never_resends_behind_the_retry_policy(server: FaultServer) -> None:
    """aiohttp resends an idempotent request once, on its own, when a connection drops (aiohttp >= 3.10).
    The transport turns that off with a private switch, ``ClientSession._retry_connection`` (aiohttp >= 3.11).
    Should a release of aiohttp drop or rename it, ``retries`` would silently count wrong: this fails
    loudly instead. The bound on aiohttp in pyproject.toml is the range where this passed."""
    server.script(reply(200, {"dag_id": "d"}), drop())
    async with client(server, retries=0) as api_client:
        api = DAGApi(api_client)
        await api.get_dag("d")  # opens the keep-alive connection the next call reuses
        session = api_client.rest_client._session
        assert session is not None
        assert getattr(session, "_retry_connection", None) is False, (
            f"aiohttp {aiohttp.__version__}: ClientSession._retry_connection is gone, so aiohttp's own resend "
            "of idempotent requests can no longer be turned off (see rest.py and the aiohttp bound in pyproject.toml)"
        )
        with pytest.raises(ApiConnectionError):
            await api.get_dag("d")  # dropped: with retries=0, sent once and never again
    assert [seen.path for seen in server.requests] == ["/api/v1/dags/d"] * 2
    assert server.connections_total == 1


async def test_backoff_is_exponential_capped_and_jittered(
    server: FaultServer, monkeypatch: pytest.MonkeyPatch, upper_jitter: List[Tuple[float, float]],
    library_sleeps: List[float],
) -> None:
    monkeypatch.setattr(rest, "BACKOFF_BASE", 0.1)
    monkeypatch.setattr(rest, "BACKOFF_MAX", 0.25)
    server.script(*[status(503)] * 4)  # no Retry-After: backoff decides
    async with client(server, retries=3) as api_client:
        with pytest.raises(ServiceException):
            await DAGApi(api_client).get_dag("d")
    assert len(server.requests) == 4
    assert upper_jitter == [(0, 0.1), (0, 0.2), (0, 0.25)]  # full jitter: uniform(0, min(cap, base * 2**n))
    assert library_sleeps == [0.1, 0.2, 0.25]  # exactly these waits, and no other
    assert_waited(server, library_sleeps)


async def test_backoff_with_real_jitter_stays_under_its_bound(
    server: FaultServer, monkeypatch: pytest.MonkeyPatch, library_sleeps: List[float]
) -> None:
    monkeypatch.setattr(rest, "BACKOFF_BASE", 0.05)
    monkeypatch.setattr(rest, "BACKOFF_MAX", 0.08)
    random.seed(1)
    server.script(*[status(502)] * 6)
    async with client(server, retries=5) as api_client:
        with pytest.raises(ServiceException):
            await DAGApi(api_client).get_dag("d")
    assert len(library_sleeps) == 5
    bounds = [0.05, 0.08, 0.08, 0.08, 0.08]  # min(cap, base * 2**(n-1))
    assert all(0 <= wait <= bound for wait, bound in zip(library_sleeps, bounds, strict=True)), library_sleeps
    assert len({round(wait, 3) for wait in library_sleeps}) > 1  # jittered, not a fixed schedule
    assert_waited(server, library_sleeps)


async def test_retry_after_http_date_is_honoured(
    server: FaultServer, upper_jitter: List[Tuple[float, float]], library_sleeps: List[float]
) -> None:
    answered: List[float] = []

    def answer(seen: Seen) -> Fault:
        if answered:
            return reply(200, {"dag_id": "d"})
        answered.append(time.time())
        # Two seconds from now, in whole seconds: between 1 and 2 s from when the client reads it.
        return status(503, retry_after=formatdate(answered[0] + 2, usegmt=True))

    server.responder = answer
    async with client(server) as api_client:
        await DAGApi(api_client).get_dag("d")
    assert len(server.requests) == 2
    (wait,) = library_sleeps
    assert 0 <= wait <= int(answered[0] + 2) - answered[0] <= 2.0  # the date, as seen from when it was read
    assert server.gaps()[0] >= 0.95  # ...and more than a second after the request that got the 503
    assert upper_jitter == []  # the header decided, not the backoff


async def test_retry_after_is_capped(
    server: FaultServer, monkeypatch: pytest.MonkeyPatch, library_sleeps: List[float]
) -> None:
    monkeypatch.setattr(rest, "RETRY_AFTER_MAX", 0.3)
    server.script(status(429, retry_after="3600"), status(429, retry_after="3600"), reply(200, {"dag_id": "d"}))
    async with client(server) as api_client:
        await DAGApi(api_client).get_dag("d")
    assert len(server.requests) == 3
    assert library_sleeps == [0.3, 0.3]  # capped, not an hour
    assert_waited(server, library_sleeps)


@pytest.mark.parametrize("retry_after", ["nan", "soon", ""])
async def test_unusable_retry_after_falls_back_to_backoff(
    server: FaultServer, monkeypatch: pytest.MonkeyPatch, upper_jitter: List[Tuple[float, float]], retry_after: str,
    library_sleeps: List[float],
) -> None:
    monkeypatch.setattr(rest, "BACKOFF_BASE", 0.2)
    server.script(status(503, retry_after=retry_after), reply(200, {"dag_id": "d"}))
    async with client(server) as api_client:
        await DAGApi(api_client).get_dag("d")
    assert upper_jitter == [(0, 0.2)]
    assert library_sleeps == [0.2]  # neither hammering the server nor stalling
    assert_waited(server, library_sleeps)


async def test_retries_zero_disables_retrying(server: FaultServer) -> None:
    server.script(status(503, retry_after="0"), drop())
    async with client(server, retries=0) as api_client:
        with pytest.raises(ServiceException):
            await DAGApi(api_client).get_dag("d")
        with pytest.raises(ApiConnectionError):
            await DAGApi(api_client).get_dag("d")
    assert len(server.requests) == 2


async def test_per_call_retries_override_the_configuration(server: FaultServer, fast_backoff: None) -> None:
    server.responder = lambda seen: status(504, retry_after="0")
    async with client(server, retries=0) as api_client:
        with pytest.raises(ServiceException):
            await DAGApi(api_client).get_dag("d", _retries=3)
    assert len(server.requests) == 4


async def test_dns_failure_raises_connection_error(
    fast_backoff: None, caplog: pytest.LogCaptureFixture, library_sleeps: List[float]
) -> None:
    caplog.set_level("DEBUG", logger="titanium_airflow_client")
    configuration = Configuration(host="http://airflow.invalid/api/v1", retries=1)
    async with ApiClient(configuration) as api_client:
        with pytest.raises(ApiConnectionError) as caught:
            await DAGApi(api_client).get_dag("d")
    assert "GET http://airflow.invalid/api/v1/dags/d failed" in str(caught.value)
    assert isinstance(caught.value.__cause__, aiohttp.ClientConnectorError)  # the DNS error, chained
    assert len([r for r in caplog.records if "; retry 1 " in r.getMessage()]) == 1  # a name lookup is retried
    assert len(library_sleeps) == 1 and 0 <= library_sleeps[0] <= 0.01  # the (fast) backoff, nothing longer


# --- timeouts ---------------------------------------------------------------------------------------------------


async def test_timeout_is_not_retried_and_waits_about_the_timeout(
    server: FaultServer, library_sleeps: List[float]
) -> None:
    server.script(reply(200, {"dag_id": "d"}, delay=NEVER))
    async with client(server, retries=2) as api_client:
        started = time.monotonic()
        with pytest.raises(ApiTimeoutError) as caught:  # the server never answers: only the timeout ends the call
            await asyncio.wait_for(DAGApi(api_client).get_dag("d", _request_timeout=0.3), DEADLINE)
        waited = time.monotonic() - started
    assert len(server.requests) == 1 and library_sleeps == []  # not retried, no wait for a retry
    assert waited >= 0.29
    assert (caught.value.method, caught.value.url) == ("GET", f"{server.host}/dags/d")
    assert isinstance(caught.value, TimeoutError) and isinstance(caught.value, OpenApiException)


async def test_configured_timeout_applies_to_every_call(server: FaultServer, library_sleeps: List[float]) -> None:
    server.script(reply(200, {"dag_id": "d"}, delay=NEVER))
    async with client(server, request_timeout=0.3) as api_client:
        started = time.monotonic()
        with pytest.raises(ApiTimeoutError, match=r"timeout: 0\.3"):  # the server never answers
            await asyncio.wait_for(DAGApi(api_client).get_dag("d"), DEADLINE)
        waited = time.monotonic() - started
    assert len(server.requests) == 1 and library_sleeps == []
    assert waited >= 0.29


async def test_connect_timeout_bounds_the_wait_for_a_pooled_connection(server: FaultServer) -> None:
    release = asyncio.Event()
    server.script(reply(200, {"dag_id": "slow"}, until=release))  # holds the only connection until released
    async with client(server, connection_pool_maxsize=1) as api_client:
        api = DAGApi(api_client)
        slow = asyncio.ensure_future(api.get_dag("slow"))
        await wait_until(lambda: len(server.requests) == 1)  # the only connection is now busy
        started = time.monotonic()
        # Only the connect part (0.2 s) can end this wait for the pool: the read part is longer than the
        # test's deadline, and the connection stays busy until released below.
        with pytest.raises(ApiTimeoutError):
            await asyncio.wait_for(api.get_dag("d", _request_timeout=(0.2, NEVER)), DEADLINE)
        assert time.monotonic() - started >= 0.19
        assert not slow.done()
        release.set()
        assert (await slow).dag_id == "slow"
    assert [seen.path for seen in server.requests] == ["/api/v1/dags/slow"]


# --- broken responses -------------------------------------------------------------------------------------------


async def test_close_mid_body_is_retried_for_get(server: FaultServer, fast_backoff: None) -> None:
    server.script(mid_body(), reply(200, {"dag_id": "d"}))
    async with client(server) as api_client:
        assert (await DAGApi(api_client).get_dag("d")).dag_id == "d"
    assert len(server.requests) == 2


async def test_close_mid_body_fails_clearly(server: FaultServer, fast_backoff: None) -> None:
    server.responder = lambda seen: mid_body()
    async with client(server) as api_client:
        with pytest.raises(ApiConnectionError) as caught:
            await DAGApi(api_client).get_dag("d")
        assert len(server.requests) == 3
        assert isinstance(caught.value.__cause__, aiohttp.ClientPayloadError)
        server.requests.clear()
        with pytest.raises(ApiConnectionError):
            await DAGRunApi(api_client).clear_dag_run("d", "r", {"dry_run": True})
        assert len(server.requests) == 1  # a POST is not repeated


@pytest.mark.parametrize(
    ("answer", "sent", "message"),
    [
        pytest.param(HEAD_200 + b"Content-Length: 99999999999999999999999\r\n\r\n{}", 1, "invalid HTTP response",
                     id="content-length-overflow"),
        pytest.param(HEAD_200 + b"Content-Length: abc\r\n\r\n{}", 1, "invalid HTTP response", id="content-length-abc"),
        pytest.param(HEAD_200 + b"Content-Length: 1000\r\n\r\n{}", 3, "payload", id="content-length-too-big"),
        pytest.param(HEAD_200 + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 1,
                     "invalid HTTP response", id="chunk-size-invalid"),
        pytest.param(HEAD_200 + b"Transfer-Encoding: chunked\r\n\r\n10\r\n{\"dag", 3, "payload",
                     id="chunked-truncated"),
        pytest.param(HEAD_200 + b"Content-Encoding: gzip\r\nContent-Length: 5\r\n\r\nabcde", 3, "gzip",
                     id="gzip-garbage"),
        pytest.param(b"SSH-2.0-OpenSSH_9.6\r\n\r\n", 1, "invalid HTTP response", id="not-http"),
        pytest.param(b"HTTP/1.1 2x0 OK\r\n\r\n", 1, "invalid HTTP response", id="bad-status"),
        pytest.param(HEAD_200 + b"X-Big: " + b"a" * 70000 + b"\r\n\r\n", 1, "invalid HTTP response",
                     id="header-too-long"),
        pytest.param(b"", 3, "Server disconnected", id="empty-answer"),
    ],
)
async def test_malformed_responses_raise_connection_error(
    server: FaultServer, fast_backoff: None, answer: bytes, sent: int, message: str
) -> None:
    server.responder = lambda seen: raw(answer)
    async with client(server) as api_client:
        with pytest.raises(ApiConnectionError, match=message) as caught:
            await DAGApi(api_client).get_dag("d")
    assert isinstance(caught.value.__cause__, aiohttp.ClientError)
    assert "400, message=" not in str(caught.value)  # aiohttp's parser status is not presented as the server's
    assert len(server.requests) == sent  # payload errors are transient (retried), protocol violations are not


async def test_tls_to_a_plain_http_port_raises_connection_error(server: FaultServer) -> None:
    configuration = Configuration(host=f"https://127.0.0.1:{server.port}/api/v1", retries=2)
    async with ApiClient(configuration) as api_client:
        with pytest.raises(ApiConnectionError) as caught:  # at once: not a timeout (ApiTimeoutError)
            await DAGApi(api_client).get_dag("d")
    assert isinstance(caught.value.__cause__, aiohttp.ClientSSLError)
    assert (server.connections_total, server.failed_connections, server.requests) == (1, 1, [])  # no retry


GARBAGE_200 = [
    pytest.param(b"\xff\xfe{\"dag_id\": \"d\"}", id="not-utf-8"),
    pytest.param(b"[" * 20000 + b"]" * 20000, id="nested-20000-deep"),
    pytest.param(b"", id="empty"),
    pytest.param(b"null", id="null"),
    pytest.param(b'{"dag_id": "d", "tags": [{"name": 1}], "is_paused": "maybe"}', id="schema-violating"),
]


@pytest.mark.parametrize("body", GARBAGE_200)
async def test_undecodable_success_body_keeps_status_and_raw_body(server: FaultServer, body: bytes) -> None:
    server.script(reply(200, body=body))
    async with client(server) as api_client:
        with pytest.raises(ApiDecodeError) as caught:
            await DAGApi(api_client).get_dag("d")
    assert (caught.value.status, caught.value.body) == (200, body)
    assert caught.value.headers is not None and caught.value.headers["Content-Length"] == str(len(body))
    assert len(server.requests) == 1


async def test_html_page_from_a_proxy_on_200(server: FaultServer) -> None:
    page = "<html><body>Please log in to the corporate proxy</body></html>"
    server.script(reply(200, body=page.encode(), content_type="text/html"))
    async with client(server) as api_client:
        with pytest.raises(ApiDecodeError) as caught:
            await DAGRunApi(api_client).get_dag_runs("d")
    assert caught.value.body == page.encode()
    assert "cannot decode the response of get_dag_runs() as DAGRunCollection" in str(caught.value)
    assert "corporate proxy" in str(caught.value)


async def test_html_502_from_a_proxy_is_retried_then_raised(server: FaultServer, fast_backoff: None) -> None:
    server.responder = lambda seen: html(502)
    async with client(server) as api_client:
        with pytest.raises(ServiceException) as caught:
            await DAGApi(api_client).get_dag("d")
    assert len(server.requests) == 3
    assert caught.value.status == 502 and caught.value.problem is None
    assert caught.value.body is not None and b"nginx" in caught.value.body


@pytest.mark.parametrize(
    ("code", "body", "raised"),
    [
        (500, b'{"title": ' + b"[" * 100000, ServiceException),  # deeper than json's recursion limit
        (404, b'{"title": "\xff\xfe"}', NotFoundException),  # not UTF-8
        (500, b"<html>Internal Server Error</html>", ServiceException),
    ],
)
async def test_error_bodies_that_do_not_parse_are_kept_raw(
    server: FaultServer, code: int, body: bytes, raised: Type[ApiException]
) -> None:
    server.script(reply(code, body=body))
    async with client(server) as api_client:
        with pytest.raises(raised) as caught:
            await DAGApi(api_client).get_dag("d")
    assert (caught.value.status, caught.value.body, caught.value.problem) == (code, body, None)
    assert f"({code})" in str(caught.value)


# --- redirects --------------------------------------------------------------------------------------------------


async def test_redirect_loop_raises_api_exception(server: FaultServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rest, "MAX_REDIRECTS", 3)
    server.responder = lambda seen: redirect(seen.target)
    async with client(server) as api_client:
        with pytest.raises(ApiException) as caught:
            await DAGApi(api_client).get_dag("d")
    assert type(caught.value) is ApiException  # not a connection error: the server answered, in circles
    assert caught.value.status == 302
    assert "too many redirects (more than 3)" in str(caught.value)
    assert len(server.requests) == 4


@pytest.mark.parametrize(
    "location",
    ["ftp://127.0.0.1/x", "http://[::1/x", "http://127.0.0.1:99999/x", "http://user:secret@127.0.0.1:{port}/x"],
)
async def test_redirect_that_is_not_followed_is_an_api_exception(server: FaultServer, location: str) -> None:
    location = location.format(port=server.port)
    server.script(redirect(location, 307))
    async with client(server) as api_client:
        with pytest.raises(ApiException) as caught:
            await DAGApi(api_client).get_dag("d")
    assert caught.value.status == 307
    assert caught.value.headers is not None and caught.value.headers["Location"] == location
    assert len(server.requests) == 1


@pytest.mark.parametrize(("code", "method", "has_body"), [(303, "GET", False), (302, "GET", False),
                                                          (307, "POST", True), (308, "POST", True)])
async def test_redirect_of_a_post(server: FaultServer, code: int, method: str, has_body: bool) -> None:
    server.script(redirect("/api/v1/elsewhere", code), reply(200, {"dag_id": "d", "dag_run_id": "r"}))
    async with client(server) as api_client:
        run = await DAGRunApi(api_client).post_dag_run("d", DAGRun(dag_run_id="r"))
    assert run.dag_run_id == "r"
    second = server.requests[1]
    assert (second.method, second.path) == (method, "/api/v1/elsewhere")
    assert (second.body == b'{"dag_run_id":"r"}') is has_body
    assert ("Content-Type" in second.headers) is has_body
    assert second.headers["Authorization"] == server.requests[0].headers["Authorization"]  # same origin


# --- bad arguments: refused before sending ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "raised"),
    [
        ({"X-A": "a\r\nX-Injected: b"}, ApiValueError),
        ({"X-A": "a\nb"}, ApiValueError),
        ({"X-A": "a\x00b"}, ApiValueError),
        ({"X-A\r\nX-B": "a"}, ApiValueError),
        ({"X A": "a"}, ApiValueError),
        ({"": "a"}, ApiValueError),
        ({"X-A": b"bytes"}, ApiTypeError),
        ({"X-A": 1}, ApiTypeError),
        ({"X-A": None}, ApiTypeError),
        ({1: "a"}, ApiTypeError),
        ([("X-A", "a")], ApiTypeError),
    ],
)
async def test_bad_per_call_headers_are_refused_before_sending(
    server: FaultServer, headers: object, raised: Type[Exception]
) -> None:
    async with client(server) as api_client:
        with pytest.raises(raised, match="_headers"):
            await DAGApi(api_client).get_dag("d", _headers=headers)  # type: ignore[arg-type]
        await DAGApi(api_client).get_dag("d")  # the client is fine afterwards
    assert len(server.requests) == 1


async def test_bad_default_headers_and_tokens_are_refused(server: FaultServer) -> None:
    with pytest.raises(ApiValueError, match="default_headers"):
        Configuration(host=server.host, default_headers={"X-Key": "k\r\nX-Evil: 1"})
    with pytest.raises(ApiValueError, match="proxy_headers"):
        Configuration(host=server.host, proxy_headers={"Proxy-Authorization": "Basic x\n"})
    async with ApiClient(Configuration(host=server.host, access_token="s3cr3t\r\nX-Evil: 1")) as api_client:
        with pytest.raises(ApiValueError, match="access_token") as caught:
            await DAGApi(api_client).get_dag("d")
        assert "s3cr3t" not in str(caught.value)
        with pytest.raises(ApiValueError, match="set_default_header"):
            api_client.set_default_header("X-Key", "a\rb")
        with pytest.raises(ApiValueError, match="user_agent"):
            api_client.user_agent = "agent\n"
        api_client.default_headers["X-Direct"] = "a\nb"  # a direct edit still cannot inject a header
        api_client.configuration.access_token = "s3cr3t"
        with pytest.raises(ApiValueError, match="default headers: the value of 'X-Direct' contains a control"):
            await DAGApi(api_client).get_dag("d")
    assert server.requests == []


@pytest.mark.parametrize(
    "host", ["http://127.0.0.1:99999/api/v1", "http://[::1/api/v1", "http:///api/v1", "https://:443/api/v1"]
)
def test_unusable_host_is_refused(host: str) -> None:
    with pytest.raises(ApiValueError, match="host must be an http"):
        Configuration(host=host)


H = "http://127.0.0.1:8080"


@pytest.mark.parametrize(
    ("host", "problem"),
    [
        (f"{H}/api/v1?limit=5", "query"),
        (f"{H}/api/v1?", "query"),
        (f"{H}?", "query"),
        (f"{H}/api/v1#top", "fragment"),
        (f"{H}#", "fragment"),
        (f"{H}/api v1", "whitespace"),
        (f"{H}/api/v1 ", "whitespace"),
        (f" {H}/api/v1", "whitespace"),
        ("http://air flow.example/api/v1", "whitespace"),
        (f"{H}/api\tv1", "whitespace"),
        (f"{H}/api/v1\n", "whitespace"),
        (f"{H}/api/v1\r\nX-Evil: 1", "whitespace"),
        (f"{H}/api\x00v1", "control"),
        (f"{H}/api\x7fv1", "control"),
        (f"{H}/api\u00a0v1", "whitespace"),  # no-break space
        (f"{H}/api\u200bv1", "control"),  # zero-width space
        (f"{H}/api\u2028v1", "whitespace"),
        (f"{H}/äpi/v1", "ASCII"),
        ("http://bücher.example:８０/api/v1", "ASCII"),  # full-width digits in the port
    ],
)
def test_host_that_requests_could_not_be_appended_to_is_refused(host: str, problem: str) -> None:
    with pytest.raises(ApiValueError, match=f"^host .*{problem}") as caught:
        Configuration(host=host)
    assert repr(host) in str(caught.value)  # shown, as it holds no '@'
    configuration = Configuration(host=f"{H}/api/v1")
    with pytest.raises(ApiValueError):
        configuration.host = host
    assert configuration.host == f"{H}/api/v1"  # unchanged


@pytest.mark.parametrize("host", [f"{H}/api/v1?token=s3cr3t@x", f"{H}/api v1#s3cr3t@x", f"{H}/ä?s3cr3t@x"])
def test_refused_host_with_an_at_sign_is_not_shown(host: str) -> None:
    with pytest.raises(ApiValueError, match=r"^host ") as caught:
        Configuration(host=host)
    assert "s3cr3t" not in str(caught.value)


@pytest.mark.parametrize(
    ("host", "stored"),
    [
        (f"{H}/api/v1", f"{H}/api/v1"),
        (f"{H}/api/v1/", f"{H}/api/v1"),  # trailing slash stripped
        ("http://127.0.0.1", "http://127.0.0.1"),
        ("https://airflow.example/api/v1", "https://airflow.example/api/v1"),
        ("http://localhost:28080/api/v1", "http://localhost:28080/api/v1"),
        ("http://[::1]:8080/api/v1", "http://[::1]:8080/api/v1"),
        ("http://[::1]/api/v1/", "http://[::1]/api/v1"),
        (f"{H}/api%20v1", f"{H}/api%20v1"),  # percent-encoded paths are fine
        (f"{H}/%C3%A4pi", f"{H}/%C3%A4pi"),
        # International host names are kept in their IDNA (punycode) form, which is what is sent.
        ("https://bücher.example/api/v1", "https://xn--bcher-kva.example/api/v1"),
        ("http://BÜCHER.example:8080/api/v1/", "http://xn--bcher-kva.example:8080/api/v1"),
        ("http://xn--bcher-kva.example/api/v1", "http://xn--bcher-kva.example/api/v1"),
    ],
)
def test_usable_hosts_are_kept(host: str, stored: str) -> None:
    assert Configuration(host=host).host == stored
    configuration = Configuration()
    configuration.host = host
    assert configuration.host == stored


async def test_a_percent_encoded_host_path_goes_out_as_it_is(server: FaultServer) -> None:
    server.script(reply(204))
    async with ApiClient(Configuration(host=server.origin + "/api%20v1/", retries=0)) as api_client:
        await DAGApi(api_client).delete_dag("d")
    assert [(seen.method, seen.target) for seen in server.requests] == [("DELETE", "/api%20v1/dags/d")]


@pytest.mark.parametrize("proxy", ["not a url", "ftp://proxy:21", "http://[::1", "http://proxy:99999"])
def test_unusable_proxy_is_refused(proxy: str) -> None:
    with pytest.raises(ApiValueError, match="proxy must be"):
        Configuration(proxy=proxy)


# --- closing while calls are under way --------------------------------------------------------------------------


async def test_close_during_calls_raises_connection_error_and_client_reopens(server: FaultServer) -> None:
    server.responder = lambda seen: reply(200, {"dag_id": "d"}, delay=NEVER)
    api_client = client(server, connection_pool_maxsize=2)
    api = DAGApi(api_client)
    calls = [asyncio.ensure_future(api.get_dag("d")) for _ in range(6)]  # 2 sent, 4 waiting for the pool
    await wait_until(lambda: len(server.requests) == 2)
    await api_client.close()
    outcomes = await asyncio.gather(*calls, return_exceptions=True)
    assert all(isinstance(outcome, ApiConnectionError) for outcome in outcomes), outcomes
    assert all("closed during the call" in str(outcome) for outcome in outcomes)
    server.responder = None
    assert (await api.get_dag("d")) is not None  # a closed client opens a new session when used again
    await api_client.close()


async def test_cancelling_the_caller_still_cancels(server: FaultServer) -> None:
    server.responder = lambda seen: reply(200, {"dag_id": "d"}, delay=NEVER)
    async with client(server, connection_pool_maxsize=1) as api_client:
        api = DAGApi(api_client)
        calls = [asyncio.ensure_future(api.get_dag("d")) for _ in range(3)]  # 1 sent, 2 waiting
        await wait_until(lambda: len(server.requests) == 1)
        for call in calls:
            call.cancel()
        outcomes = await asyncio.gather(*calls, return_exceptions=True)
    assert all(isinstance(outcome, asyncio.CancelledError) for outcome in outcomes), outcomes



async def test_a_validator_failing_oddly_is_still_a_decode_error(server: FaultServer) -> None:
    from pydantic import field_validator

    from titanium_airflow_client.endpoint import Endpoint
    from titanium_airflow_client.models import ApiModel

    class Picky(ApiModel):
        value: int | None = None

        @field_validator("value")
        @classmethod
        def odd_only(cls, value: int | None) -> int | None:
            if value is not None and value % 2 == 0:
                raise TypeError("even")  # pydantic wraps ValueError and AssertionError only
            return value

    endpoint = Endpoint("get_picky", "GET", "/picky", Picky)
    server.script(reply(200, {"value": 3}), reply(200, {"value": 4}))
    async with client(server) as api_client:
        assert (await api_client.call(endpoint, {})).data.value == 3
        with pytest.raises(ApiDecodeError) as caught:
            await api_client.call(endpoint, {})
    assert isinstance(caught.value.__cause__, TypeError)
    assert caught.value.body == b'{"value": 4}'


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_calls_cut_off_by_close_say_the_client_was_closed(server: FaultServer, method: str) -> None:
    # Once sent, the calls are cut by close() closing their connections: aiohttp reports "Server disconnected".
    server.responder = lambda seen: reply(200, {"dag_id": "d"}, delay=NEVER)
    api_client = client(server, retries=0)
    api = DAGRunApi(api_client)
    if method == "GET":
        calls = [asyncio.ensure_future(api.get_dag_run("d", f"r{i}")) for i in range(3)]
    else:
        calls = [asyncio.ensure_future(api.post_dag_run("d", DAGRun(note=str(i)))) for i in range(3)]
    await wait_until(lambda: len(server.requests) == 3)
    await api_client.close()
    outcomes = await asyncio.gather(*calls, return_exceptions=True)
    assert all(isinstance(outcome, ApiConnectionError) for outcome in outcomes), outcomes
    assert [outcome.reason for outcome in outcomes] == [rest.CLOSED_DURING_CALL] * 3  # type: ignore[union-attr]


async def test_one_client_serves_one_event_loop_however_many_race_for_it(
    server: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: List[object] = []
    open_session = rest.RESTClientObject._open_session
    monkeypatch.setattr(rest.RESTClientObject, "_open_session", lambda self: opened.append(1) or open_session(self))
    api_client = client(server)
    loops = 8
    start, done = threading.Barrier(loops), threading.Barrier(loops)
    outcomes: List[object] = [None] * loops

    async def use(index: int) -> None:
        start.wait(DEADLINE)
        try:
            outcomes[index] = await DAGApi(api_client).get_dag("d")
        except ApiValueError as error:
            outcomes[index] = error
        done.wait(DEADLINE)  # every loop has tried while the owner's loop still runs
        if not isinstance(outcomes[index], ApiValueError):
            await api_client.close()  # the owner closes, on its own loop

    threads = [threading.Thread(target=asyncio.run, args=(use(i),)) for i in range(loops)]
    for thread in threads:
        thread.start()
    await asyncio.to_thread(lambda: [thread.join(DEADLINE) for thread in threads])  # this loop serves the server
    refused = [outcome for outcome in outcomes if isinstance(outcome, ApiValueError)]
    assert len(refused) == loops - 1, outcomes
    assert all("belongs to another event loop" in str(error) for error in refused)
    assert len(opened) == 1  # one session was ever opened: nothing is left open after close()
    assert api_client.rest_client._session is None


# --- bodies that cost memory: undecodable, endless, compressed ---------------------------------------------------


@pytest.mark.parametrize(("size", "encoding"), [(30_000_000, "plain"), (60_000_000, "gzip")])
def test_an_undecodable_body_costs_a_few_times_its_size_and_its_error_is_short(size: int, encoding: str) -> None:
    # Rendering pydantic's error for it quoted the whole body at ~9x its size (60 MB of gzip: > 500 MB).
    probe = subprocess.run(
        [sys.executable, "-m", "test.unit.decode_failure_probe", str(size), encoding],
        cwd=Path(__file__).parents[2], capture_output=True, text=True, timeout=300, check=True,
    )
    measured = json.loads(probe.stdout)
    assert measured["growth"] < 4 * size, measured
    assert measured["rendered"] < 10_000, measured  # str, repr and traceback quote a short prefix at most


async def test_a_decode_error_names_the_first_problems_only(server: FaultServer) -> None:
    runs = [{"dag_run_id": i, "state": "queued"} for i in range(1000)]  # an int where a str is expected, 1000 times
    server.script(reply(200, {"dag_runs": runs, "total_entries": 1000}))
    async with client(server) as api_client:
        with pytest.raises(ApiDecodeError) as caught:
            await DAGRunApi(api_client).get_dag_runs("d")
    message = caught.value.error
    assert message.startswith("cannot decode the response of get_dag_runs() as DAGRunCollection: "
                              "['dag_runs'][0]['dag_run_id']: Input should be a valid string; ")
    assert message.endswith("and 997 more")
    assert caught.value.__cause__ is None and caught.value.__suppress_context__ is False


def endless_server(chunk: bytes, most: int) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """A handler that streams ``chunk`` (chunked encoding) until the client leaves, ``most`` times at the most."""

    async def handle(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        for _ in range(most):
            await response.write(chunk)
        await response.write_eof()
        return response

    return handle


@pytest.fixture
async def streaming() -> AsyncIterator[Tuple[web.Application, str]]:
    app = web.Application()
    runner = web.AppRunner(app, handler_cancellation=True)
    app.router.add_get("/api/v1/endless", endless_server(b"[" + b"0," * 32767, 100_000))  # 6.5 GB at most
    app.router.add_get("/api/v1/small", endless_server(b'{"dag_id": "d"}', 1))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield app, f"http://127.0.0.1:{port}/api/v1"
    await runner.cleanup()


async def test_an_endless_body_stops_at_max_response_bytes(streaming: Tuple[web.Application, str]) -> None:
    from titanium_airflow_client.endpoint import Endpoint

    _, host = streaming
    endless = Endpoint("get_endless", "GET", "/endless", DAG)
    small = Endpoint("get_small", "GET", "/small", DAG)
    limit = 1 << 20
    async with ApiClient(Configuration(host=host, max_response_bytes=limit)) as api_client:
        with pytest.raises(ApiResponseTooLargeError) as caught:
            await api_client.call(endless, {})
        assert (await api_client.call(small, {})).data.dag_id == "d"  # the half-read connection was not reused
    error = caught.value
    assert (error.status, error.limit, error.body) == (200, limit, None)
    assert "larger than max_response_bytes (1,048,576 bytes)" in str(error) and "GET " + host in str(error)
    assert isinstance(error, ApiException)


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        pytest.param(gzip.compress(b" " * (8 << 20)), {"Content-Encoding": "gzip"}, id="gzip-bomb"),
        pytest.param(b" " * ((1 << 20) + 1), {}, id="one-byte-over"),
    ],
)
async def test_a_decompressed_or_announced_body_over_the_limit_is_refused(
    server: FaultServer, body: bytes, headers: Dict[str, str]
) -> None:
    server.script(reply(200, body=body, headers=headers))
    async with client(server, max_response_bytes=1 << 20) as api_client:
        with pytest.raises(ApiResponseTooLargeError):
            await DAGApi(api_client).get_dag("d")


async def test_a_body_at_the_limit_or_with_no_limit_is_read(server: FaultServer) -> None:
    body = json.dumps({"dag_id": "d", "description": "x" * 5000}).encode()
    server.script(reply(200, body=body), reply(200, body=body))
    async with client(server, max_response_bytes=len(body)) as api_client:
        assert (await DAGApi(api_client).get_dag("d")).dag_id == "d"
        api_client.configuration.max_response_bytes = None
        assert (await DAGApi(api_client).get_dag("d")).dag_id == "d"


def test_max_response_bytes_setting() -> None:
    assert Configuration().max_response_bytes == 128 * 1024 * 1024
    for bad, error in [(0, ApiValueError), (-1, ApiValueError), (True, ApiTypeError), ("1", ApiTypeError)]:
        with pytest.raises(error, match="max_response_bytes"):
            Configuration(max_response_bytes=bad)  # type: ignore[arg-type]
