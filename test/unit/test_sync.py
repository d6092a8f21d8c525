"""The blocking facade (titanium_airflow_client.sync) against the local recording server.

The recording server runs on the test's event loop, so blocking calls are made from other
threads (``asyncio.to_thread``), or against a server running in a thread of its own.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import gc
import inspect
import io
import json
import re
import signal
import threading
import typing
import warnings
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Tuple, TypeVar

import pytest

import titanium_airflow_client as async_client
import titanium_airflow_client.sync as sync
import titanium_airflow_client.v2 as v2
import titanium_airflow_client.v2.sync as sync_v2
from titanium_airflow_client import (
    ApiConnectionError,
    ApiResponse,
    ApiTypeError,
    ApiValueError,
    ConflictException,
    DAGCollection,
    DAGRun,
    ForbiddenException,
    NotFoundException,
)
from titanium_airflow_client.rest import CLOSED_DURING_CALL
from titanium_airflow_client.sync._runner import LoopRunner

from .conftest import (
    DEADLINE,
    NEVER,
    FakeAirflow,
    Recorded,
    Reply,
    start_fake_airflow,
    stop_fake_airflow,
    wait_until_sync,
)
from .fault_server import Fault, FaultServer, Seen, reply, status
from .v2_api import WAIT, Streamed, StreamServer, SyncV2Api, WaitUpdate

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[2]
SEED_PAGE = ROOT / "test" / "seeds" / "DAGApi.md"
API_NAMES = sorted(async_client.api.__all__)  # every API class, as the package lists them
PAIRS = [(getattr(sync, name), getattr(async_client, name)) for name in API_NAMES]


def loop_threads() -> List[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("titanium-airflow-client-")]


def config(fake: FakeAirflow, **kwargs: Any) -> sync.Configuration:
    return sync.Configuration(host=fake.host, username="admin", password="s3cret", retries=0, **kwargs)


async def blocking(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a blocking function off the test's loop, which serves the fake server."""
    return await asyncio.to_thread(function, *args, **kwargs)


def wire(request: Recorded) -> Tuple[str, str, bytes, Dict[str, str]]:
    headers = {k: request.headers.get(k, "") for k in ("Authorization", "Accept", "Content-Type", "User-Agent")}
    return request.method, request.raw_path, request.body, headers


@contextlib.contextmanager
def loop_in_a_thread(name: str) -> Iterator[asyncio.AbstractEventLoop]:
    """An event loop running in a thread of its own, for a server the test thread may block on."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name=name, daemon=True)
    thread.start()
    try:
        yield loop
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(DEADLINE)
        loop.close()


@pytest.fixture
def threaded_fake() -> Iterator[FakeAirflow]:
    """The same recording server, on an event loop in a thread of its own: the test thread may block."""
    fake = FakeAirflow()
    with loop_in_a_thread("fake-airflow") as loop:
        runner = asyncio.run_coroutine_threadsafe(start_fake_airflow(fake), loop).result(DEADLINE)
        yield fake
        asyncio.run_coroutine_threadsafe(stop_fake_airflow(fake, runner), loop).result(DEADLINE)



@pytest.fixture
def threaded_server() -> Iterator[FaultServer]:
    """The scripted fault server, on an event loop in a thread of its own."""
    server = FaultServer()
    with loop_in_a_thread("fault-server") as loop:
        asyncio.run_coroutine_threadsafe(server.start(), loop).result(DEADLINE)
        yield server
        asyncio.run_coroutine_threadsafe(server.close(), loop).result(DEADLINE)


@pytest.fixture(autouse=True)
def no_leaked_loop_threads() -> Iterator[None]:
    yield
    gc.collect()
    wait_until_sync(lambda: not loop_threads(), what="a sync ApiClient was left running")


# --------------------------------------------------------------------------- derived, not written twice


def _public_methods(cls: type) -> Dict[str, Any]:
    return {name: getattr(cls, name) for name in dir(cls) if not name.startswith("_") and callable(getattr(cls, name))}


@pytest.mark.parametrize(("sync_cls", "async_cls"), PAIRS, ids=API_NAMES)
def test_sync_classes_expose_exactly_the_async_methods_with_the_same_signatures(
    sync_cls: type, async_cls: type
) -> None:
    sync_methods, async_methods = _public_methods(sync_cls), _public_methods(async_cls)
    assert sorted(sync_methods) == sorted(async_methods)
    assert len(sync_methods) >= 2  # at least one method and its twin
    for name, async_method in async_methods.items():
        # The annotations as written (text: resolving them would import every model the class names)...
        expected = inspect.signature(async_method)
        actual = inspect.signature(sync_methods[name])
        assert actual.parameters == expected.parameters, name
        # What the coroutine returns, the blocking method returns.
        assert actual.return_annotation == expected.return_annotation, name
        # ...and the same types once resolved.
        hints = typing.get_type_hints(async_method, include_extras=True)
        assert typing.get_type_hints(sync_methods[name], include_extras=True) == hints, name
        assert sync_methods[name].__doc__ == async_method.__doc__
        assert not inspect.iscoroutinefunction(sync_methods[name])


def test_http_info_twins_return_api_response_types() -> None:
    hints = typing.get_type_hints(sync.DAGApi.get_dag_with_http_info)
    assert hints["return"] == ApiResponse[async_client.DAG]
    # help() shows it as written, as it shows the parameters' types.
    assert inspect.signature(sync.DAGApi.get_dag_with_http_info).return_annotation == "ApiResponse[models.DAG]"


def test_sync_module_reexports_models_exceptions_and_configuration() -> None:
    assert sync.Configuration is async_client.Configuration
    assert sync.NotFoundException is async_client.NotFoundException
    assert sync.ApiResponse is async_client.ApiResponse
    assert sync.DAGRun is async_client.DAGRun
    for name in async_client.models.__all__:
        assert getattr(sync, name) is getattr(async_client, name)
    assert set(async_client.__all__) - {"paginate"} <= set(sync.__all__)
    assert sync.ApiClient is not typing.cast(object, async_client.ApiClient)


def test_sync_api_rejects_an_async_client() -> None:
    with pytest.raises(ApiTypeError, match=r"sync\.ApiClient"):
        sync.DAGApi(async_client.ApiClient())  # type: ignore[arg-type]


# --------------------------------------------------------------------------- same requests, same results


async def test_same_requests_as_the_async_client(fake_airflow: FakeAirflow) -> None:
    run = {"dag_id": "d", "dag_run_id": "r1", "state": "queued", "conf": {"a": 1}}
    calls: List[Tuple[str, Tuple[Any, ...], Dict[str, Any]]] = [
        ("get_dags", (), {}),
        ("get_dags", (), {"tags": ["a", "b"], "paused": False, "limit": 5, "dag_id_pattern": "tit"}),
        ("get_dag_runs", ("~",), {"state": ["failed", "success"], "start_date_gte": "2026-01-02T03:04:05+05:30"}),
        ("post_dag_run", ("d", DAGRun(dag_run_id="r1", conf={"a": 1}, note="n")), {}),
        ("patch_dag", ("d", {"is_paused": True}), {"update_mask": ["is_paused"]}),
        ("get_dag_run", ("d", "scheduled__2026-01-01T00:00:00+00:00"), {"_headers": {"X-Trace": "1"}}),
    ]
    results = {}
    for variant in ("async", "sync"):
        fake_airflow.requests.clear()
        fake_airflow.responder = lambda request: Reply(body=json.dumps(run).encode())
        if variant == "async":
            async with async_client.ApiClient(config(fake_airflow)) as client:
                apis = (async_client.DAGApi(client), async_client.DAGRunApi(client))
                out = [await getattr(apis[0] if hasattr(apis[0], n) else apis[1], n)(*a, **k) for n, a, k in calls]
        else:

            def run_sync() -> List[Any]:
                with sync.ApiClient(config(fake_airflow)) as client:
                    apis = (sync.DAGApi(client), sync.DAGRunApi(client))
                    return [getattr(apis[0] if hasattr(apis[0], n) else apis[1], n)(*a, **k) for n, a, k in calls]

            out = await blocking(run_sync)
        results[variant] = ([wire(r) for r in fake_airflow.requests], [type(o) for o in out], out)
    assert results["sync"][0] == results["async"][0]
    assert results["sync"][1] == results["async"][1]
    assert results["sync"][2] == results["async"][2]


async def test_with_http_info_and_defaults(fake_airflow: FakeAirflow) -> None:
    fake_airflow.reply(200, {"dags": [{"dag_id": "a"}], "total_entries": 1}, headers={"X-Extra": "yes"})

    def call() -> ApiResponse[DAGCollection]:
        with sync.ApiClient(config(fake_airflow)) as client:
            return sync.DAGApi(client).get_dags_with_http_info()

    response = await blocking(call)
    assert isinstance(response, ApiResponse)
    assert response.status_code == 200 and response.headers["X-Extra"] == "yes"
    assert isinstance(response.data, DAGCollection) and response.data.dags[0].dag_id == "a"  # type: ignore[index]
    assert fake_airflow.last.query == [("limit", "100"), ("only_active", "true")]


@pytest.mark.parametrize(
    ("status", "exception"), [(403, ForbiddenException), (404, NotFoundException), (409, ConflictException)]
)
async def test_error_statuses_raise_the_same_exception_classes(
    fake_airflow: FakeAirflow, status: int, exception: type
) -> None:
    problem = {"title": "T", "detail": "D", "status": status, "type": "x"}
    fake_airflow.reply(status, problem, content_type="application/problem+json")
    async with async_client.ApiClient(config(fake_airflow)) as client:
        with pytest.raises(exception) as async_error:
            await async_client.DAGApi(client).get_dag("d")
    fake_airflow.reply(status, problem, content_type="application/problem+json")

    def call() -> None:
        with sync.ApiClient(config(fake_airflow)) as client:
            sync.DAGApi(client).get_dag("d")

    with pytest.raises(exception) as sync_error:
        await blocking(call)
    assert type(sync_error.value) is type(async_error.value)
    assert sync_error.value.status == status  # type: ignore[attr-defined]
    assert sync_error.value.problem == async_error.value.problem  # type: ignore[attr-defined]


async def test_bad_arguments_raise_before_sending(fake_airflow: FakeAirflow) -> None:
    def call() -> List[BaseException]:
        errors: List[BaseException] = []
        with sync.ApiClient(config(fake_airflow)) as client:
            api = sync.DAGApi(client)
            for bad in (
                lambda: api.get_dags(limit="10"),  # type: ignore[arg-type]
                lambda: api.get_dag(""),
                lambda: api.get_dag("d", field=["x"]),  # type: ignore[call-arg]
                lambda: api.get_dag(),  # type: ignore[call-arg]
            ):
                try:
                    bad()
                except Exception as exc:
                    errors.append(exc)
        return errors

    errors = await blocking(call)
    assert [type(e) for e in errors] == [ApiTypeError, ApiValueError, ApiTypeError, TypeError]
    assert fake_airflow.requests == []


def test_connection_refused_raises_api_connection_error() -> None:
    configuration = sync.Configuration(host="http://127.0.0.1:1/api/v1", retries=0)
    with sync.ApiClient(configuration) as client, pytest.raises(ApiConnectionError, match=r"127\.0\.0\.1:1"):
        sync.DAGApi(client).get_dags()


# --------------------------------------------------------------------------- threads and loops


async def test_called_from_a_thread_while_another_thread_runs_its_own_loop(fake_airflow: FakeAirflow) -> None:
    fake_airflow.responder = lambda request: Reply(body=b'{"dag_id": "d"}')
    other_loop = asyncio.new_event_loop()
    busy = threading.Thread(target=other_loop.run_forever, name="other-loop", daemon=True)
    busy.start()
    try:
        release = asyncio.Event()  # waited for, and so bound to, the other loop

        async def busy_until_released() -> str:
            await release.wait()
            return "released"

        ticking = asyncio.run_coroutine_threadsafe(busy_until_released(), other_loop)

        def call() -> str | None:
            with sync.ApiClient(config(fake_airflow)) as client:
                return sync.DAGApi(client).get_dag("d").dag_id

        assert await blocking(call) == "d"
        assert not ticking.done()  # the other loop was running a coroutine all along
        other_loop.call_soon_threadsafe(release.set)
        assert await asyncio.wrap_future(ticking) == "released"
    finally:
        other_loop.call_soon_threadsafe(other_loop.stop)
        busy.join(DEADLINE)
        other_loop.close()


async def test_called_from_inside_a_running_event_loop(fake_airflow: FakeAirflow) -> None:
    """A coroutine on some loop makes a blocking call: it blocks that loop, never deadlocks."""
    fake_airflow.responder = lambda request: Reply(body=b'{"dag_id": "d"}')

    async def inside_a_loop() -> List[str | None]:
        with sync.ApiClient(config(fake_airflow)) as client:
            api = sync.DAGApi(client)
            return [api.get_dag("d").dag_id, api.get_dag("d").dag_id]

    assert await blocking(asyncio.run, inside_a_loop()) == ["d", "d"]


async def test_one_client_shared_by_many_threads(fake_airflow: FakeAirflow) -> None:
    threads = 8
    # The server holds every answer until all the threads' calls are at the server at once, which
    # happens only if the client runs them concurrently (one by one, they would wait for the deadline).
    everyone_in = asyncio.Event()
    deadline = asyncio.get_running_loop().call_later(DEADLINE, everyone_in.set)

    def respond(request: Recorded) -> Reply:
        if fake_airflow.in_flight == threads:
            everyone_in.set()
        return Reply(body=json.dumps({"dag_id": request.path.rsplit("/", 1)[1]}).encode(), until=everyone_in)

    fake_airflow.responder = respond

    def call() -> List[str | None]:
        with sync.ApiClient(config(fake_airflow)) as client:
            api = sync.DAGApi(client)
            with concurrent.futures.ThreadPoolExecutor(threads) as pool:
                return list(pool.map(lambda i: api.get_dag(f"d{i}").dag_id, range(24)))

    try:
        assert await blocking(call) == [f"d{i}" for i in range(24)]
    finally:
        deadline.cancel()
    assert fake_airflow.max_in_flight == threads  # concurrent on the client's loop, not one by one


# --------------------------------------------------------------------------- lifecycle


async def test_close_stops_the_thread_and_closes_the_session(fake_airflow: FakeAirflow) -> None:
    def use_and_close() -> Tuple[sync.ApiClient, int, bool]:
        client = sync.ApiClient(config(fake_airflow))
        assert loop_threads() == []  # started on the first call, not before
        sync.DAGApi(client).get_dags()
        during = len(loop_threads())
        session = client.async_client.rest_client._session
        client.close()
        client.close()  # idempotent
        return client, during, session is not None and session.closed

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client, during, session_closed = await blocking(use_and_close)
        gc.collect()
    assert during == 1 and session_closed
    assert loop_threads() == []
    assert client.closed
    assert not [w for w in caught if "Unclosed" in str(w.message)]
    with pytest.raises(ApiValueError, match="closed"):
        sync.DAGApi(client).get_dags()


def test_a_client_never_used_starts_no_thread() -> None:
    with sync.ApiClient() as client:
        assert loop_threads() == []
        assert client.configuration.host == "http://localhost:8080/api/v1"
    assert loop_threads() == []


async def test_a_dropped_client_is_closed_by_the_garbage_collector(fake_airflow: FakeAirflow) -> None:
    def use_and_drop() -> None:
        client = sync.ApiClient(config(fake_airflow))
        sync.DAGApi(client).get_dags()
        assert len(loop_threads()) == 1

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        await blocking(use_and_drop)
        gc.collect()
    assert loop_threads() == []
    assert not [w for w in caught if "Unclosed" in str(w.message)]


def test_client_attributes_delegate_to_the_async_client() -> None:
    with sync.ApiClient(sync.Configuration(host="http://h/api/v1"), "X-A", "1") as client:
        assert client.default_headers["X-A"] == "1"
        client.set_default_header("X-B", "2")
        client.user_agent = "ua/1"
        assert client.async_client.default_headers["X-B"] == "2"
        assert client.async_client.user_agent == "ua/1"
        assert "http://h/api/v1" in repr(client)


def test_ctrl_c_cancels_the_call_and_is_raised(threaded_fake: FakeAirflow) -> None:
    threaded_fake.reply(200, {"dag_id": "slow"}, delay=NEVER)
    threaded_fake.reply(200, {"dag_id": "next"})
    main = threading.main_thread().ident
    assert main is not None
    assert threading.current_thread() is threading.main_thread()
    # Ctrl-C raises KeyboardInterrupt, as in a program run from a terminal; even when this test runs
    # in the background, where the shell has set SIGINT to be ignored.
    previous_handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        interrupt_a_call(threaded_fake, main)
    finally:
        signal.signal(signal.SIGINT, previous_handler)


def interrupt_a_call(threaded_fake: FakeAirflow, main: int) -> None:
    def ctrl_c_once_the_call_is_at_the_server() -> None:
        wait_until_sync(lambda: len(threaded_fake.requests) == 1)
        signal.pthread_kill(main, signal.SIGINT)

    with sync.ApiClient(config(threaded_fake)) as client:
        api = sync.DAGApi(client)
        interrupter = threading.Thread(target=ctrl_c_once_the_call_is_at_the_server, name="ctrl-c", daemon=True)
        interrupter.start()
        with pytest.raises(KeyboardInterrupt):
            api.get_dag("slow")
        assert threaded_fake.answered == 0  # did not wait for the answer (which never comes)
        interrupter.join(DEADLINE)
        assert_cancelled_and_still_working(client, api)


def test_ctrl_c_while_the_call_is_handed_to_the_loop_still_cancels_it(threaded_fake: FakeAirflow) -> None:
    """Ctrl-C may land after the loop thread has started the call, before the caller waits for it."""
    threaded_fake.reply(200, {"dag_id": "first"})
    threaded_fake.reply(200, {"dag_id": "slow"}, delay=NEVER)
    threaded_fake.reply(200, {"dag_id": "next"})
    with sync.ApiClient(config(threaded_fake)) as client:
        api = sync.DAGApi(client)
        assert api.get_dag("first").dag_id == "first"  # the loop thread is running
        loop = client.async_client.rest_client._loop
        assert loop is not None
        hand_over = loop.call_soon_threadsafe
        interrupts = [KeyboardInterrupt()]

        def hand_over_then_ctrl_c(callback: Callable[..., object], *args: Any) -> asyncio.Handle:
            handle = hand_over(callback, *args)
            if interrupts:  # the first hand-over only: the cancel that follows must get through
                wait_until_sync(lambda: len(threaded_fake.requests) == 2, what="the call reached the server")
                raise interrupts.pop()
            return handle

        loop.call_soon_threadsafe = hand_over_then_ctrl_c  # type: ignore[method-assign]
        try:
            with pytest.raises(KeyboardInterrupt):
                api.get_dag("slow")
        finally:
            del loop.call_soon_threadsafe  # the event loop's own method again
        assert threaded_fake.answered == 1
        assert_cancelled_and_still_working(client, api)


def assert_cancelled_and_still_working(client: sync.ApiClient, api: sync.DAGApi) -> None:
    loop = client.async_client.rest_client._loop
    assert loop is not None

    async def other_tasks() -> int:
        return len(asyncio.all_tasks()) - 1

    assert asyncio.run_coroutine_threadsafe(other_tasks(), loop).result(DEADLINE) == 0  # the call was cancelled
    assert api.get_dag("next").dag_id == "next"  # the client still works


def test_close_while_other_threads_are_in_calls_raises_connection_error_in_each(
    threaded_server: FaultServer,
) -> None:
    """Every call close() cuts short raises what the async client raises when closed mid-call."""

    def respond(seen: Seen) -> Fault:
        if seen.path.endswith("/retrying"):  # the call then waits 30 s before its retry
            return status(503, retry_after="30")
        return reply(200, {"dag_id": "d"}, delay=3600)  # held open until the server closes

    threaded_server.responder = respond
    # Two connections at most, and the default retries (2): the held calls would be retried too.
    configuration = sync.Configuration(host=threaded_server.host, connection_pool_maxsize=2)
    client = sync.ApiClient(configuration)
    api = sync.DAGApi(client)
    outcomes: Dict[str, BaseException] = {}
    threads: List[threading.Thread] = []

    def call(dag_id: str) -> None:
        try:
            api.get_dag(dag_id)
        except BaseException as exc:  # concurrent.futures.CancelledError included: it must not come
            outcomes[dag_id] = exc

    def start(*dag_ids: str) -> None:
        for dag_id in dag_ids:
            threads.append(threading.Thread(target=call, args=(dag_id,), daemon=True))
            threads[-1].start()

    def arrived() -> List[str]:
        return sorted(seen.path.rsplit("/", 1)[1] for seen in threaded_server.requests)

    try:
        start("retrying")
        wait_until_sync(lambda: arrived() == ["retrying"], what="the first call got its 503")
        start("held-1", "held-2")
        wait_until_sync(lambda: arrived() == ["held-1", "held-2", "retrying"], what="both connections are held")
        start("queued-1", "queued-2", "queued-3")  # no connection is free: they wait for the pool
        wait_until_sync(lambda: len(client._runner._calls) == 6, what="all six calls are under way")
    finally:
        client.close()  # from the main thread, while the six others are blocked in their calls
    for thread in threads:
        thread.join(30)
        assert not thread.is_alive()
    assert sorted(outcomes) == sorted(["retrying", "held-1", "held-2", "queued-1", "queued-2", "queued-3"])
    assert all(type(error) is ApiConnectionError for error in outcomes.values()), outcomes
    for dag_id, error in outcomes.items():
        if not dag_id.startswith("held"):  # a held call may also tell how its connection ended
            assert CLOSED_DURING_CALL in str(error), (dag_id, error)
    assert len(threaded_server.requests) == 3  # nothing was sent during or after close()
    with pytest.raises(ApiValueError, match="this ApiClient is closed"):  # calls made after close()
        api.get_dag("d")


def test_a_call_arriving_while_close_runs_is_refused_and_never_started() -> None:
    """The race close() cannot rule out: a call that got past the closed check just before close().

    It must neither start (it would open a new session, which nothing would close) nor raise
    concurrent.futures.CancelledError. A call already running is cancelled when the loop stops.
    """
    runner = LoopRunner("titanium-airflow-client-test")
    started: List[str] = []
    outcomes: Dict[str, BaseException] = {}

    async def forever(name: str) -> None:
        started.append(name)
        await asyncio.Event().wait()

    def call(name: str, submit: Callable[[], object]) -> threading.Thread:
        def run() -> None:
            try:
                submit()
            except BaseException as exc:
                outcomes[name] = exc

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    running = call("running", lambda: runner.run(lambda: forever("running")))
    wait_until_sync(lambda: started == ["running"], what="the first call runs")
    loop = runner._loop
    assert loop is not None
    late: List[threading.Thread] = []

    async def final() -> None:  # what ApiClient.close() runs on the loop before it stops
        late.append(call("late", lambda: runner._submit(loop, lambda: forever("late"))))
        while "late" not in outcomes and "late" not in started:  # refused, or (wrongly) started
            await asyncio.sleep(0.005)

    runner.shutdown(final)
    for thread in [running, *late]:
        thread.join(30)
        assert not thread.is_alive()
    assert started == ["running"]
    assert all(type(error) is ApiConnectionError for error in outcomes.values()), outcomes
    assert sorted(outcomes) == ["late", "running"]
    assert all(str(error) == f"the call could not complete: {CLOSED_DURING_CALL}" for error in outcomes.values())
    assert all(error.method is None and error.url is None for error in outcomes.values())  # type: ignore[attr-defined]
    with pytest.raises(ApiValueError, match="this ApiClient is closed"):
        runner.run(lambda: forever("after"))


def test_a_blocking_call_from_the_clients_own_loop_fails_instead_of_deadlocking(threaded_fake: FakeAirflow) -> None:
    threaded_fake.responder = lambda request: Reply(body=b'{"dag_id": "d"}')
    with sync.ApiClient(config(threaded_fake)) as client:
        api = sync.DAGApi(client)

        async def nested() -> None:
            api.get_dag("d")

        with pytest.raises(RuntimeError, match="own client's event loop"):
            client._runner.run(nested)
        assert api.get_dag("d").dag_id == "d"


# --------------------------------------------------------------------------- paginate


def _serve_runs(fake: FakeAirflow, total: int, cap: int = 100) -> None:
    def respond(request: Recorded) -> Reply:
        query = dict(request.query)
        offset, limit = int(query.get("offset", 0)), int(query.get("limit", 100))
        indexes = range(offset, min(total, offset + min(limit, cap)))
        body = {"dag_runs": [{"dag_id": "d", "dag_run_id": f"r{i:04d}"} for i in indexes], "total_entries": total}
        return Reply(body=json.dumps(body).encode())

    fake.responder = respond


async def test_paginate_is_a_plain_iterator_over_every_item(fake_airflow: FakeAirflow) -> None:
    _serve_runs(fake_airflow, total=130, cap=50)

    def call() -> Tuple[List[str | None], bool]:
        with sync.ApiClient(config(fake_airflow)) as client:
            items = sync.paginate(sync.DAGRunApi(client).get_dag_runs)("~", state=["success"], limit=100)
            is_iterator = isinstance(items, Iterator)
            return [run.dag_run_id for run in items], is_iterator

    ids, is_iterator = await blocking(call)
    assert is_iterator
    assert ids == [f"r{i:04d}" for i in range(130)]
    assert sorted(int(dict(r.query)["offset"]) for r in fake_airflow.requests) == [0, 50, 100]
    assert all(("state", "success") in r.query for r in fake_airflow.requests)


async def test_paginate_stopped_early_cancels_prefetched_pages(fake_airflow: FakeAirflow) -> None:
    _serve_runs(fake_airflow, total=1000, cap=10)

    def call() -> Tuple[List[str | None], int]:
        with sync.ApiClient(config(fake_airflow)) as client:
            items = sync.paginate(sync.DAGRunApi(client).get_dag_runs, prefetch=3)("d")
            first = [next(items).dag_run_id for _ in range(3)]
            items.close()  # type: ignore[attr-defined]
            loop = client.async_client.rest_client._loop
            assert loop is not None

            async def pending() -> int:
                return len(asyncio.all_tasks()) - 1

            return first, asyncio.run_coroutine_threadsafe(pending(), loop).result(DEADLINE)

    first, pending = await blocking(call)
    assert first == ["r0000", "r0001", "r0002"]
    assert pending == 0


def test_paginate_checks_its_arguments_at_once() -> None:
    with sync.ApiClient() as client:
        runs = sync.DAGRunApi(client)
        with pytest.raises(ApiTypeError):
            sync.paginate(runs.get_dag_run)  # type: ignore[arg-type]
        with pytest.raises(ApiTypeError, match="sync API"):
            sync.paginate(async_client.DAGRunApi(async_client.ApiClient()).get_dag_runs)  # type: ignore[arg-type]
        with pytest.raises(ApiValueError):
            sync.paginate(runs.get_dag_runs, prefetch=-1)
        with pytest.raises(TypeError):
            sync.paginate(runs.get_dag_runs)("d", bogus=1)  # type: ignore[call-arg]
    assert loop_threads() == []  # nothing was sent, so no loop was started


# --------------------------------------------------------------------------- the seed page's blocking examples


def _seed_example(method: str) -> str:
    text = SEED_PAGE.read_text(encoding="utf-8")
    section = text.split(f"# **{method}**", 1)[1]
    blocks: List[str] = re.findall(r"```python\n(.*?)```", section, re.S)
    return blocks[0]


@pytest.mark.parametrize(
    ("method", "reply", "expected"),
    [
        ("get_dag", (200, {"dag_id": "dag_id_example", "is_paused": False}), "The response of DAGApi->get_dag"),
        ("get_dags", (200, {"dags": [{"dag_id": "a"}], "total_entries": 1}), "The response of DAGApi->get_dags"),
        ("delete_dag", (204, None), None),
    ],
)
async def test_seed_examples_run_with_only_the_import_changed(
    fake_airflow: FakeAirflow, method: str, reply: Tuple[int, Any], expected: str | None
) -> None:
    example = _seed_example(method)
    assert example.startswith("import titanium_airflow_client\n")
    code = example.replace(
        "import titanium_airflow_client\n", "import titanium_airflow_client.sync as titanium_airflow_client\n", 1
    ).replace('host = "https://airflow.apache.org/api/v1"', f'host = "{fake_airflow.host}"')
    assert code.count(fake_airflow.host) == 1
    fake_airflow.reply(*reply)

    def run() -> str:
        output: io.StringIO = io.StringIO()
        with contextlib.redirect_stdout(output):
            exec(compile(code, f"DAGApi.md#{method}", "exec"), {"__name__": "__seed_example__"})
        return output.getvalue()

    printed = await blocking(run)
    assert "Exception when calling" not in printed, printed
    if expected:
        assert expected in printed
    assert len(fake_airflow.requests) == 1
    assert fake_airflow.last.path.startswith("/api/v1/dags")


# --------------------------------------------------------------------------- NDJSON streams and v2 paging


@pytest.fixture
async def stream_server() -> Any:
    async with StreamServer() as server:
        yield server


async def test_a_blocking_stream_is_a_plain_iterator(stream_server: StreamServer) -> None:
    stream_server.script.append(Streamed.of(b'{"state": "running"}\n', b'{"state": "success"}\n'))

    def call() -> Tuple[bool, List[str | None]]:
        with sync.ApiClient(sync.Configuration(host=stream_server.root, retries=0, server_version="3.3.2")) as client:
            updates = SyncV2Api(client).wait_dag_run_until_finished("d", "r", interval=1)
            return isinstance(updates, Iterator), [update.state for update in updates]

    is_iterator, states = await blocking(call)
    assert is_iterator and states == ["running", "success"]
    assert stream_server.requests[0].target == "/api/v2/dags/d/dagRuns/r/wait?interval=1"


async def test_leaving_a_blocking_stream_closes_the_response(stream_server: StreamServer) -> None:
    answer = Streamed.of(b'{"state": "running"}\n', end=False)
    stream_server.script.append(answer)

    def call() -> str | None:
        with sync.ApiClient(sync.Configuration(host=stream_server.root, retries=0, server_version="3.3.2")) as client:
            for update in SyncV2Api(client).wait_dag_run_until_finished("d", "r", interval=1):
                state = update.state
                break
            wait_until_sync(lambda: stream_server.open_connections == 0, what="the connection was closed")
            return state

    assert await blocking(call) == "running"


async def test_a_blocking_stream_checks_its_arguments_at_the_call(stream_server: StreamServer) -> None:
    def call() -> None:
        with sync.ApiClient(sync.Configuration(host=stream_server.root + "/api/v1")) as client:
            api = SyncV2Api(client)
            with pytest.raises(ApiTypeError, match="'interval' must be a number"):
                api.wait_dag_run_until_finished("d", "r", interval="soon")  # type: ignore[arg-type]
            with pytest.raises(ApiValueError, match="server's root"):
                api.wait_dag_run_until_finished("d", "r", interval=1)
            with pytest.raises(ApiValueError, match="server's root"):
                client.stream(WAIT, {"dag_id": "d", "dag_run_id": "r", "interval": 1, "result": None})

    await blocking(call)
    assert stream_server.requests == []


def test_blocking_iterator_twins_keep_the_signature() -> None:
    twin = sync_v2.DagRunApi.wait_dag_run_until_finished
    assert typing.get_type_hints(twin)["return"] == Iterator[WaitUpdate]
    assert list(inspect.signature(twin).parameters)[1:4] == ["dag_id", "dag_run_id", "interval"]


def test_blocking_refuses_a_method_that_returns_an_async_iterator() -> None:
    with pytest.raises(TypeError, match="use blocking_iterator"):
        sync.blocking(v2.DagRunApi.wait_dag_run_until_finished)  # type: ignore[arg-type]


async def test_blocking_paginate_pages_by_cursor_or_by_offset(fake_airflow: FakeAirflow) -> None:
    def respond(request: Recorded) -> Reply:
        query = dict(request.query)
        start = int(query.get("offset", 0)) if "cursor" not in query else int(query["cursor"] or 0)
        end = min(start + 2, 5)
        body = {"dag_runs": [{"dag_run_id": f"r{i}"} for i in range(start, end)], "total_entries": 5}
        if "cursor" in query:
            body["next_cursor"] = str(end) if end < 5 else None
        return Reply(body=json.dumps(body).encode())

    fake_airflow.responder = respond

    def call(by: str) -> List[str | None]:
        root = fake_airflow.host.removesuffix("/api/v1")
        configuration = sync.Configuration(host=root, retries=0, server_version="3.3.2")
        with sync.ApiClient(configuration) as client:
            return [run.dag_run_id for run in sync.paginate(SyncV2Api(client).get_dag_runs, by=by)("d")]  # type: ignore[arg-type]

    assert await blocking(call, "auto") == ["r0", "r1", "r2", "r3", "r4"]
    assert [dict(r.query)["cursor"] for r in fake_airflow.requests] == ["", "2", "4"]
    fake_airflow.requests.clear()
    assert await blocking(call, "offset") == ["r0", "r1", "r2", "r3", "r4"]
    assert all("cursor" not in dict(r.query) for r in fake_airflow.requests)
