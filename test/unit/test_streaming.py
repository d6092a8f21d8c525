"""NDJSON streams (v2's wait_dag_run_until_finished): items as the lines arrive, errors, timeouts, closing.

``StreamServer`` sends each piece of a chunked answer only when the test hands it over, so a test can tell
an item that arrived before the stream ended from one that was buffered.
"""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator, List

import aiohttp
import pytest

from titanium_airflow_client import (
    ApiClient,
    ApiConnectionError,
    ApiDecodeError,
    ApiResponseTooLargeError,
    ApiTimeoutError,
    ApiTypeError,
    ApiValueError,
    Configuration,
    NotFoundException,
)
from titanium_airflow_client.rest import to_stream_timeout

from .conftest import DEADLINE, wait_until
from .v2_api import PASSWORD, USERNAME, Airflow3Auth, Streamed, StreamServer, V2Api, WaitUpdate

LINE_1 = b'{"state": "running"}\n'
LINE_2 = b'{"state": "success", "results": {"op": 42}}\n'



def v3_configuration(server: StreamServer, **settings: Any) -> Configuration:
    """A client's settings for the stream server, which plays Airflow 3.3: its version is given, so the
    client does not ask it (test_server_version.py covers asking)."""
    return Configuration(host=server.root, server_version="3.3.2", **settings)


@pytest.fixture
async def server() -> AsyncIterator[StreamServer]:
    async with StreamServer() as stream_server:
        yield stream_server


@pytest.fixture
async def api(server: StreamServer) -> AsyncIterator[V2Api]:
    async with ApiClient(v3_configuration(server, access_token="tok", retries=0)) as client:
        yield V2Api(client)


async def test_each_line_is_yielded_as_it_arrives(server: StreamServer, api: V2Api) -> None:
    answer = Streamed.of(LINE_1, end=False)
    server.script.append(answer)
    updates = api.wait_dag_run_until_finished("d", "r", interval=1.5, result=["op"])
    first = await asyncio.wait_for(updates.__anext__(), DEADLINE)  # the stream is still open
    assert isinstance(first, WaitUpdate) and first.state == "running"
    answer.send(LINE_2, None)
    assert [update async for update in updates] == [WaitUpdate(state="success", results={"op": 42})]
    (request,) = server.requests
    assert request.target == "/api/v2/dags/d/dagRuns/r/wait?interval=1.5&result=op"
    assert request.headers["Accept"] == "application/x-ndjson"
    assert request.headers["Authorization"] == "Bearer tok"


async def test_lines_split_across_chunks_and_a_last_line_without_newline(server: StreamServer, api: V2Api) -> None:
    server.script.append(Streamed.of(b'{"state": "run', b'ning"}\r\n\n  \n{"sta', b'te": "queued"}\n{"state"',
                                     b': "success"}'))
    states = [u.state async for u in api.wait_dag_run_until_finished("d", "r", interval=1)]
    assert states == ["running", "queued", "success"]


async def test_the_arguments_are_checked_at_the_call_before_anything_is_sent(server: StreamServer, api: V2Api) -> None:
    with pytest.raises(ApiTypeError, match="'interval' must be a number"):
        api.wait_dag_run_until_finished("d", "r", interval="1")  # type: ignore[arg-type]
    with pytest.raises(ApiValueError, match="'dag_run_id' must not contain '/'"):
        api.wait_dag_run_until_finished("d", "a/b", interval=1)
    with pytest.raises(ApiTypeError, match="unexpected keyword"):
        api.wait_dag_run_until_finished("d", "r", interval=1, timeout=3)  # type: ignore[call-arg]
    unstarted = api.wait_dag_run_until_finished("d", "r", interval=1)
    assert server.requests == []  # nothing goes out until iteration starts
    await unstarted.aclose()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("pieces", "where"),
    [((LINE_1, b'{"state": "runn\n'), "line 2"), ((b"not json\n",), "line 1"),
     ((LINE_1, b"\n", b'{"state": 5}\n'), "line 3"), ((LINE_1, b"[1, 2]"), "line 2")],
)
async def test_a_line_that_is_not_the_model_names_its_number_and_the_content_type(
    server: StreamServer, api: V2Api, pieces: tuple[bytes, ...], where: str
) -> None:
    server.script.append(Streamed.of(*pieces))
    seen: List[WaitUpdate] = []
    with pytest.raises(ApiDecodeError) as caught:
        async for update in api.wait_dag_run_until_finished("d", "r", interval=1):
            seen.append(update)
    message = str(caught.value)
    assert f"cannot decode {where} of the application/x-ndjson response of wait_dag_run_until_finished()" in message
    assert "as DagRunWaitUpdate" in message
    assert caught.value.status == 200 and caught.value.body is not None and caught.value.body in pieces[-1]
    assert len(seen) == len(pieces) - 1 - (b"\n" in pieces)


async def test_a_json_answer_is_one_item(server: StreamServer, api: V2Api) -> None:
    server.script.append(Streamed.of(b'{"state": "success",\n "results": {}}', content_type="application/json"))
    assert [u async for u in api.wait_dag_run_until_finished("d", "r", interval=1)] == [
        WaitUpdate(state="success", results={})]
    server.script.append(Streamed.of(b'{"state": "running"}\n{"state": "success"}\n', content_type="application/json"))
    with pytest.raises(ApiDecodeError, match="the server answered application/json, not NDJSON"):
        [u async for u in api.wait_dag_run_until_finished("d", "r", interval=1)]


async def test_an_html_page_is_a_decode_error_naming_it(server: StreamServer, api: V2Api) -> None:
    server.script.append(Streamed.of(b"<html>\n<body>proxy</body>", content_type="text/html"))
    with pytest.raises(ApiDecodeError, match=r"line 1 of the text/html response.*server answered text/html"):
        [u async for u in api.wait_dag_run_until_finished("d", "r", interval=1)]


async def test_an_error_status_raises_its_exception_with_the_body(server: StreamServer, api: V2Api) -> None:
    server.script.append(Streamed.whole(404, {"detail": "The DagRun with dag_id: `d` and run_id: `r` was not found"}))
    with pytest.raises(NotFoundException, match="Detail: The DagRun with dag_id: `d`") as caught:
        [u async for u in api.wait_dag_run_until_finished("d", "r", interval=1)]
    assert caught.value.url == f"{server.root}/api/v2/dags/d/dagRuns/r/wait?interval=1"


async def test_a_refused_token_is_renewed_before_the_stream_starts(server: StreamServer) -> None:
    server.auth = issuer = Airflow3Auth()
    configuration = v3_configuration(server, username=USERNAME, password=PASSWORD)
    async with ApiClient(configuration) as client:
        api = V2Api(client)
        assert [u.state async for u in api.wait_dag_run_until_finished("d", "r", interval=1)] == ["success"]
        issuer.revoke_all()  # the token expired
        server.script.append(Streamed.of(LINE_1, LINE_2))
        assert [u.state async for u in api.wait_dag_run_until_finished("d", "r", interval=1)] == ["running", "success"]
    assert [seen.path for seen in server.requests] == ["/auth/token", "/api/v2/dags/d/dagRuns/r/wait",
                                                       "/api/v2/dags/d/dagRuns/r/wait", "/auth/token",
                                                       "/api/v2/dags/d/dagRuns/r/wait"]
    assert issuer.logins == 2


async def test_breaking_out_closes_the_response(server: StreamServer, api: V2Api) -> None:
    answer = Streamed.of(LINE_1, end=False)  # a stream that would go on for ever
    server.script.append(answer)
    async for update in api.wait_dag_run_until_finished("d", "r", interval=1):
        assert update.state == "running"
        break
    # The abandoned async generator is closed by asyncio's finalizer hook within a few loop turns.
    await wait_until(lambda: server.open_connections == 0, what="the client closed the streaming connection")


async def test_aclose_closes_the_response_at_once(server: StreamServer, api: V2Api) -> None:
    server.script.append(Streamed.of(LINE_1, end=False))
    updates = api.wait_dag_run_until_finished("d", "r", interval=1)
    await updates.__anext__()
    await updates.aclose()  # type: ignore[attr-defined]
    await wait_until(lambda: server.open_connections == 0)


async def test_a_stream_read_to_its_end_gives_its_connection_back(server: StreamServer, api: V2Api) -> None:
    for _ in range(3):
        server.script.append(Streamed.of(LINE_1, LINE_2))
        assert len([u async for u in api.wait_dag_run_until_finished("d", "r", interval=1)]) == 2
    assert server.connections_total == 1  # kept alive and reused


async def test_a_stalled_stream_times_out_after_the_read_timeout(server: StreamServer) -> None:
    server.script.append(Streamed.of(LINE_1, end=False))  # then nothing more, ever
    async with ApiClient(v3_configuration(server, request_timeout=0.3, retries=0)) as client:
        updates: List[WaitUpdate] = []
        with pytest.raises(ApiTimeoutError, match=r"wait.* timed out"):
            async for update in V2Api(client).wait_dag_run_until_finished("d", "r", interval=1):
                updates.append(update)
    assert [u.state for u in updates] == ["running"]


async def test_the_total_timeout_does_not_end_a_stream_that_keeps_sending(server: StreamServer) -> None:
    # Each wait for data is well within the timeout, all of them together well beyond it: a wait may take
    # four times as long as planned before this fails.
    timeout, gap, pieces = 2.0, 0.4, 7
    answer = Streamed.of(end=False)
    server.script.append(answer)
    loop = asyncio.get_running_loop()
    async with ApiClient(v3_configuration(server, request_timeout=timeout, retries=0)) as client:
        updates = V2Api(client).wait_dag_run_until_finished("d", "r", interval=gap)
        started = loop.time()
        received = 0
        for _ in range(pieces):
            answer.send(LINE_1)
            await updates.__anext__()
            received += 1
            await time_passes(gap)
        answer.send(None)
        assert [u async for u in updates] == []
        assert loop.time() - started > timeout  # the stream outlived the timeout
    assert received == pieces


async def time_passes(seconds: float) -> None:
    """Return once ``seconds`` have passed on the loop's clock (the point here is that time passes)."""
    loop = asyncio.get_running_loop()
    until = loop.time() + seconds
    await wait_until(lambda: loop.time() >= until, what="time passes")


def test_stream_timeouts_bound_the_connection_and_each_read_not_the_whole() -> None:
    assert to_stream_timeout(60.0) == aiohttp.ClientTimeout(total=None, connect=60.0, sock_read=60.0)
    assert to_stream_timeout((5.0, 30.0)) == aiohttp.ClientTimeout(total=None, connect=5.0, sock_read=30.0)


async def test_a_line_longer_than_max_response_bytes_is_refused(server: StreamServer) -> None:
    server.script.append(Streamed.of(LINE_1, b'{"state": "' + b"x" * 200, b"x" * 200, end=False))
    configuration = v3_configuration(server, max_response_bytes=256, retries=0)
    async with ApiClient(configuration) as client:
        seen = []
        with pytest.raises(ApiResponseTooLargeError) as caught:
            async for update in V2Api(client).wait_dag_run_until_finished("d", "r", interval=1):
                seen.append(update)
    assert caught.value.limit == 256 and len(seen) == 1
    await wait_until(lambda: server.open_connections == 0)  # the rest is not read: the connection is closed


async def test_a_long_stream_of_short_lines_has_no_total_limit(server: StreamServer) -> None:
    server.script.append(Streamed.of(*[LINE_1] * 50, LINE_2))
    async with ApiClient(v3_configuration(server, max_response_bytes=64, retries=0)) as client:
        assert len([u async for u in V2Api(client).wait_dag_run_until_finished("d", "r", interval=1)]) == 51


async def test_a_dropped_connection_mid_stream_is_a_connection_error_not_retried(server: StreamServer) -> None:
    server.script.append(Streamed.of(LINE_1, end=False))
    async with ApiClient(v3_configuration(server, retries=3)) as client:
        updates = V2Api(client).wait_dag_run_until_finished("d", "r", interval=1)
        await updates.__anext__()
        await server.close()  # cuts the connection in the middle of the body
        with pytest.raises(ApiConnectionError) as caught:
            await updates.__anext__()
    assert caught.value.url == f"{server.root}/api/v2/dags/d/dagRuns/r/wait?interval=1"
    assert len(server.requests) == 1


async def test_closing_the_client_during_a_stream_says_so(server: StreamServer) -> None:
    server.script.append(Streamed.of(LINE_1, end=False))
    client = ApiClient(v3_configuration(server, retries=0))
    updates = V2Api(client).wait_dag_run_until_finished("d", "r", interval=1)
    await updates.__anext__()
    waiting = asyncio.ensure_future(updates.__anext__())
    await client.close()
    with pytest.raises(ApiConnectionError, match="closed during the call"):
        await asyncio.wait_for(waiting, DEADLINE)


async def test_a_retry_happens_only_before_the_answer(server: StreamServer) -> None:
    server.script.append(Streamed.whole(503, {"detail": "busy"}))
    server.script.append(Streamed.of(LINE_2))
    async with ApiClient(v3_configuration(server, retries=1)) as client:
        assert [u.state async for u in V2Api(client).wait_dag_run_until_finished("d", "r", interval=1)] == ["success"]
    assert len(server.requests) == 2
