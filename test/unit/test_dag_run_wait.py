"""wait_for_dag_run, watch_dag_run and trigger_and_wait (and their blocking twins) against the local fake server:
the exact requests on v1 and v2, the poll and stream sequence, on_change, the timeout, the choice of API."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import threading
from typing import Any, Dict, List, Optional

import pytest

import titanium_airflow_client as client_package
import titanium_airflow_client.sync as sync
import titanium_airflow_client.v2 as v2
import titanium_airflow_client.v2.sync as sync_v2
from titanium_airflow_client import (
    ApiClient,
    ApiTypeError,
    ApiValueError,
    Configuration,
    DAGRun,
    NotFoundException,
    RunProgress,
    WaitTimeoutError,
    trigger_and_wait,
    wait_for_dag_run,
    watch_dag_run,
)
from titanium_airflow_client.dag_run_wait import _stream_timeout
from titanium_airflow_client.v2.models.dag_run_response import DAGRunResponse

from .conftest import NEVER, FakeAirflow, Reply
from .scripted_airflow import ScriptedAirflow, ndjson, task_instances
from .v2_api import root_of

RUN = "/api/v1/dags/d/dagRuns/r"
TASKS = RUN + "/taskInstances"
RUN_V2 = "/api/v2/dags/d/dagRuns/r"
TASKS_V2 = RUN_V2 + "/taskInstances"
WAIT_V2 = RUN_V2 + "/wait"


def run(state: str) -> Dict[str, Any]:
    return {"dag_id": "d", "dag_run_id": "r", "state": state}


# --------------------------------------------------------------------------- v1: polling


async def test_v1_polls_the_run_and_its_task_instances_and_yields_each_change(
    script: ScriptedAirflow, api_client: ApiClient, library_sleeps: List[float]
) -> None:
    script.on("GET", RUN, run("queued"), run("running"), run("running"), run("running"), run("success"))
    script.on(
        "GET",
        TASKS,
        task_instances(None, None),
        task_instances("running", None),
        task_instances("running", None),  # no change: nothing is yielded
        task_instances("success", "running"),
        task_instances("success", "success"),
    )
    seen = [progress async for progress in watch_dag_run(api_client, "d", "r", poll_interval=0.25)]
    assert [(p.state, p.task_counts) for p in seen] == [
        ("queued", {"none": 2}),
        ("running", {"none": 1, "running": 1}),
        ("running", {"running": 1, "success": 1}),
        ("success", {"success": 2}),
    ]
    assert [p.final for p in seen] == [False, False, False, True]
    assert all(isinstance(p.run, DAGRun) and p.run.state == p.state for p in seen)
    assert [(p.dag_id, p.dag_run_id) for p in seen] == [("d", "r")] * 4
    assert [p.elapsed for p in seen] == sorted(p.elapsed for p in seen) and seen[0].elapsed >= 0
    look = [f"GET {RUN}", f"GET {TASKS}?limit=100&offset=0"]
    assert script.calls() == look * 5  # the run, then its task instances, each poll
    assert library_sleeps == [0.25] * 4  # poll_interval between two looks, none after the end


async def test_v1_task_instances_are_counted_page_by_page(script: ScriptedAirflow, api_client: ApiClient) -> None:
    states = ["success"] * 130 + [None] * 60 + ["failed"] * 10
    pages = [task_instances(*states[i : i + 100]) for i in (0, 100)]
    for page in pages:
        page["total_entries"] = 200
    script.on("GET", RUN, run("failed"))
    script.on("GET", TASKS, *pages)
    final = await wait_for_dag_run(api_client, "d", "r")
    assert final.state == "failed" and final.final
    assert final.task_counts == {"failed": 10, "none": 60, "success": 130}
    assert list(final.task_counts) == ["failed", "none", "success"]  # sorted by state
    assert script.calls(TASKS) == [f"GET {TASKS}?limit=100&offset=0", f"GET {TASKS}?limit=100&offset=100"]


async def test_a_failed_run_is_returned_not_raised(script: ScriptedAirflow, api_client: ApiClient) -> None:
    script.on("GET", RUN, run("running"), run("failed"))
    script.on("GET", TASKS, task_instances("running"), task_instances("failed"))
    final = await wait_for_dag_run(api_client, "d", "r", poll_interval=0.01)
    assert (final.state, final.task_counts, final.final) == ("failed", {"failed": 1}, True)


async def test_on_change_may_be_plain_or_async_and_sees_every_progress(
    script: ScriptedAirflow, api_client: ApiClient
) -> None:
    script.on("GET", RUN, run("queued"), run("running"), run("success"))
    script.on("GET", TASKS, task_instances(None), task_instances("running"), task_instances("success"))
    plain: List[RunProgress] = []
    final = await wait_for_dag_run(api_client, "d", "r", poll_interval=0.01, on_change=plain.append)
    assert [p.state for p in plain] == ["queued", "running", "success"] and plain[-1] is final

    script.on("GET", RUN, run("queued"), run("success"))
    script.on("GET", TASKS, task_instances(None), task_instances("success"))
    awaited: List[str] = []

    async def record(progress: RunProgress) -> None:
        await asyncio.sleep(0)
        awaited.append(progress.state)

    await wait_for_dag_run(api_client, "d", "r", poll_interval=0.01, on_change=record)
    assert awaited == ["queued", "success"]


async def test_an_exception_of_on_change_propagates_and_stops_watching(
    script: ScriptedAirflow, api_client: ApiClient
) -> None:
    script.on("GET", RUN, run("queued"), run("running"), run("success"))
    script.on("GET", TASKS, task_instances(None), task_instances("running"), task_instances("success"))

    async def stop_at_running(progress: RunProgress) -> None:
        if progress.state == "running":
            raise KeyError("stop here")

    with pytest.raises(KeyError, match="stop here"):
        await wait_for_dag_run(api_client, "d", "r", poll_interval=0.01, on_change=stop_at_running)
    assert len(script.calls(RUN)) == 2  # nothing more was asked after the callback raised


async def test_the_timeout_names_the_run_its_last_state_and_the_seconds(
    script: ScriptedAirflow, api_client: ApiClient
) -> None:
    script.on("GET", RUN, run("running"))  # forever
    script.on("GET", TASKS, task_instances("running"))
    with pytest.raises(WaitTimeoutError) as caught:
        await wait_for_dag_run(api_client, "d", "r", poll_interval=0.1, timeout=2)
    error = caught.value
    assert str(error) == (
        "gave up waiting for DAG run d/r after 2 s (its last state was running); it goes on on the server"
    )
    assert (error.dag_id, error.dag_run_id, error.task_id, error.state, error.timeout) == (
        "d",
        "r",
        None,
        "running",
        2,
    )
    assert isinstance(error, TimeoutError) and isinstance(error, client_package.OpenApiException)


async def test_the_timeout_cuts_a_request_that_does_not_answer(
    fake_airflow: FakeAirflow, api_client: ApiClient
) -> None:
    fake_airflow.replies.append(Reply(delay=NEVER))  # the first request is never answered
    with pytest.raises(WaitTimeoutError, match=r"DAG run d/r after 0.05 s \(no state was seen\)") as caught:
        await wait_for_dag_run(api_client, "d", "r", timeout=0.05)
    assert caught.value.state is None


async def test_leaving_the_loop_early_stops_watching(script: ScriptedAirflow, api_client: ApiClient) -> None:
    script.on("GET", RUN, run("queued"), run("running"))
    script.on("GET", TASKS, task_instances(None), task_instances("running"))
    async for progress in watch_dag_run(api_client, "d", "r", poll_interval=0.01):
        assert progress.state == "queued"
        break
    assert len(script.calls(RUN)) == 1


async def test_trigger_and_wait_sends_only_the_fields_given_then_waits(
    script: ScriptedAirflow, api_client: ApiClient
) -> None:
    script.on("POST", "/api/v1/dags/d/dagRuns", run("queued"))
    script.on("GET", RUN, run("success"))
    script.on("GET", TASKS, task_instances("success"))
    final = await trigger_and_wait(
        api_client, "d", conf={"x": [1, "two"]}, note="n", dag_run_id="r", logical_date="2026-01-02T03:04:05+00:00"
    )
    assert (final.state, final.dag_run_id) == ("success", "r")
    post = script.fake.requests[0]
    assert (post.method, post.path) == ("POST", "/api/v1/dags/d/dagRuns")
    assert post.json() == {
        "conf": {"x": [1, "two"]},
        "note": "n",
        "dag_run_id": "r",
        "logical_date": "2026-01-02T03:04:05+00:00",
    }

    await trigger_and_wait(api_client, "d")
    assert script.fake.requests[3].json() == {}  # the server chooses the id and the date
    assert script.calls()[4] == f"GET {RUN}"  # the run id the server answered


# --------------------------------------------------------------------------- v2: the wait stream


async def test_v2_follows_the_wait_stream_and_counts_task_instances_on_each_line(
    script: ScriptedAirflow, v2_client: ApiClient, library_sleeps: List[float]
) -> None:
    script.on("GET", RUN_V2, run("queued"), run("running"), run("success"))
    script.on(
        "GET",
        TASKS_V2,
        task_instances(None, None),
        task_instances(None, None),  # first line: no change
        task_instances("running", None),
        task_instances("success", "success"),
    )
    script.on(
        "GET",
        WAIT_V2,
        ndjson({"state": "queued"}, {"state": "running"}, {"state": "success"}),
        content_type="application/x-ndjson",
    )
    seen = [p async for p in watch_dag_run(v2_client, "d", "r", poll_interval=0.5)]
    assert [(p.state, p.task_counts) for p in seen] == [
        ("queued", {"none": 2}),
        ("running", {"none": 1, "running": 1}),
        ("success", {"success": 2}),
    ]
    assert all(isinstance(p.run, DAGRunResponse) and p.run.state == p.state for p in seen)
    tasks = f"GET {TASKS_V2}?cursor=&limit=100"
    assert script.calls() == [
        f"GET {RUN_V2}",
        tasks,
        f"GET {WAIT_V2}?interval=0.5",  # the state comes from the stream: the run is read again only on a change
        tasks,
        f"GET {RUN_V2}",
        tasks,
        f"GET {RUN_V2}",
        tasks,
    ]
    wait = script.fake.requests[2]
    assert wait.headers["Accept"] == "application/x-ndjson" and wait.headers["Authorization"] == "Bearer tok"
    assert library_sleeps == []  # the server paces the stream


async def test_v2_stream_cut_before_the_end_is_opened_again(
    script: ScriptedAirflow, v2_client: ApiClient, library_sleeps: List[float]
) -> None:
    script.on("GET", RUN_V2, run("running"), run("success"))
    script.on("GET", TASKS_V2, task_instances("running"), task_instances("running"), task_instances("success"))
    script.on(
        "GET", WAIT_V2, ndjson({"state": "running"}), ndjson({"state": "success"}), content_type="application/x-ndjson"
    )
    final = await wait_for_dag_run(v2_client, "d", "r", poll_interval=0.01)
    assert final.state == "success"
    assert len(script.calls(WAIT_V2)) == 2 and library_sleeps == [0.01]


async def test_v2_without_the_wait_endpoint_polls_the_run(
    script: ScriptedAirflow, v2_client: ApiClient, library_sleeps: List[float]
) -> None:
    script.on("GET", RUN_V2, run("running"), run("running"), run("success"))
    script.on("GET", TASKS_V2, task_instances("running"), task_instances("running"), task_instances("success"))
    script.on("GET", WAIT_V2, {"detail": "Not Found"}, status=404)  # Airflow 3.0 has no wait endpoint
    final = await wait_for_dag_run(v2_client, "d", "r", poll_interval=0.01)
    assert final.state == "success"
    assert len(script.calls(WAIT_V2)) == 1 and len(script.calls(RUN_V2)) == 3 and library_sleeps == [0.01, 0.01]


async def test_v2_on_a_server_known_to_be_3_0_polls_without_asking_for_the_stream(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, library_sleeps: List[float]
) -> None:
    script.on("GET", RUN_V2, run("running"), run("success"))
    script.on("GET", TASKS_V2, task_instances("running"), task_instances("success"))
    configuration = Configuration(host=root_of(fake_airflow.host), access_token="tok", server_version="3.0.6")
    async with ApiClient(configuration) as client:
        final = await wait_for_dag_run(client, "d", "r", poll_interval=0.01)
    assert final.state == "success"
    # Neither the wait endpoint (3.1) nor a cursor (3.2) went to the server.
    assert script.calls() == [f"GET {RUN_V2}", f"GET {TASKS_V2}?limit=100&offset=0"] * 2
    assert library_sleeps == [0.01]


async def test_v2_the_timeout_cuts_a_stream_that_sends_nothing(script: ScriptedAirflow, v2_client: ApiClient) -> None:
    script.on("GET", RUN_V2, run("running"))
    script.on("GET", TASKS_V2, task_instances("running"))
    script.on_reply("GET", WAIT_V2, Reply(delay=NEVER))  # the stream never starts
    with pytest.raises(WaitTimeoutError, match=r"after 2 s \(its last state was running\)"):
        await wait_for_dag_run(v2_client, "d", "r", timeout=2)
    assert script.calls()[:2] == [f"GET {RUN_V2}", f"GET {TASKS_V2}?cursor=&limit=100"]


async def test_v2_a_run_that_does_not_exist_raises_not_found(script: ScriptedAirflow, v2_client: ApiClient) -> None:
    with pytest.raises(NotFoundException, match="not scripted"):
        await wait_for_dag_run(v2_client, "d", "r")
    assert script.calls() == [f"GET {RUN_V2}"]


async def test_v2_trigger_sends_the_logical_date_even_when_none(script: ScriptedAirflow, v2_client: ApiClient) -> None:
    script.on("POST", "/api/v2/dags/d/dagRuns", run("queued"))
    script.on("GET", RUN_V2, run("success"))
    script.on("GET", TASKS_V2, task_instances("success"))
    final = await trigger_and_wait(v2_client, "d", conf={"x": 1})
    assert final.state == "success" and isinstance(final.run, DAGRunResponse)
    assert script.fake.requests[0].json() == {"logical_date": None, "conf": {"x": 1}}


def test_the_stream_may_take_a_poll_interval_longer_than_the_read_timeout() -> None:
    assert _stream_timeout(60.0, 5.0) == (60.0, 65.0)
    assert _stream_timeout((3.0, 30.0), 90.0) == (3.0, 120.0)


# --------------------------------------------------------------------------- the API generation


async def test_the_host_chooses_the_api_and_api_forces_it(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, api_client: ApiClient, v2_client: ApiClient
) -> None:
    script.on("GET", RUN, run("success"))
    script.on("GET", TASKS, task_instances("success"))
    script.on("GET", RUN_V2, run("success"))
    script.on("GET", TASKS_V2, task_instances("success"))
    assert isinstance((await wait_for_dag_run(api_client, "d", "r")).run, DAGRun)
    assert isinstance((await wait_for_dag_run(v2_client, "d", "r")).run, DAGRunResponse)
    assert isinstance((await wait_for_dag_run(v2_client, "d", "r", api="v2")).run, DAGRunResponse)
    async with ApiClient(Configuration(host=fake_airflow.host + "/", access_token="tok")) as slash:
        assert isinstance((await wait_for_dag_run(slash, "d", "r")).run, DAGRun)  # a trailing / is the same host
    with pytest.raises(ApiValueError, match="the server's root"):  # the client's own check of a v2 host
        await wait_for_dag_run(api_client, "d", "r", api="v2")
    assert all(r.path.startswith(("/api/v1/", "/api/v2/")) for r in fake_airflow.requests)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"dag_id": 5}, ApiTypeError, "dag_id must be a str, got int"),
        ({"dag_id": ""}, ApiValueError, "dag_id must not be empty"),
        ({"dag_run_id": "a/b"}, ApiValueError, "dag_run_id must not contain '/'"),
        ({"poll_interval": 0}, ApiValueError, r"poll_interval must be a finite number of seconds > 0, got 0"),
        ({"poll_interval": float("inf")}, ApiValueError, "poll_interval must be a finite number"),
        ({"poll_interval": "5"}, ApiTypeError, "poll_interval must be a number of seconds, got str"),
        ({"poll_interval": True}, ApiTypeError, "poll_interval must be a number of seconds, got bool"),
        ({"timeout": -1}, ApiValueError, "timeout must be a finite number of seconds > 0"),
        ({"timeout": "1"}, ApiTypeError, "timeout must be a number of seconds or None"),
        ({"api": "v3"}, ApiValueError, "api must be 'v1', 'v2' or None"),
    ],
)
async def test_arguments_are_checked_when_called_before_anything_is_sent(
    fake_airflow: FakeAirflow, api_client: ApiClient, arguments: Dict[str, Any], error: type, message: str
) -> None:
    given: Dict[str, Any] = {"dag_id": "d", "dag_run_id": "r", **arguments}
    dag_id, dag_run_id = given.pop("dag_id"), given.pop("dag_run_id")
    with pytest.raises(error, match=message):
        watch_dag_run(api_client, dag_id, dag_run_id, **given)  # not even iterated
    with pytest.raises(error, match=message):
        await wait_for_dag_run(api_client, dag_id, dag_run_id, **given)
    if "dag_run_id" not in arguments:
        with pytest.raises(error, match=message):
            await trigger_and_wait(api_client, dag_id, **given)
    assert fake_airflow.requests == []


async def test_a_callback_that_is_not_callable_and_a_client_of_the_wrong_kind_are_refused(
    fake_airflow: FakeAirflow, api_client: ApiClient
) -> None:
    with pytest.raises(ApiTypeError, match="on_change must be callable or None, got str"):
        await wait_for_dag_run(api_client, "d", "r", on_change="print")  # type: ignore[arg-type]
    with pytest.raises(ApiTypeError, match="on_change must be callable"):
        await trigger_and_wait(api_client, "d", on_change=1)  # type: ignore[arg-type]
    with (
        sync.ApiClient(Configuration(host=fake_airflow.host)) as blocking_client,
        pytest.raises(
            ApiTypeError,
            match=r"wait_for_dag_run\(\) needs an async ApiClient, got the blocking titanium_airflow_client\.sync\."
            r"ApiClient; use titanium_airflow_client\.sync\.wait_for_dag_run with it",
        ),
    ):
        await wait_for_dag_run(blocking_client, "d", "r")  # type: ignore[arg-type]
    with pytest.raises(
        ApiTypeError,
        match=r"sync wait_for_dag_run\(\) needs a titanium_airflow_client\.sync\.ApiClient, got the async "
        r"titanium_airflow_client\.ApiClient; use titanium_airflow_client\.wait_for_dag_run with it",
    ):
        sync.wait_for_dag_run(api_client, "d", "r")  # type: ignore[arg-type]
    with pytest.raises(ApiTypeError, match="needs an ApiClient, got str"):
        watch_dag_run("http://x", "d", "r")  # type: ignore[arg-type]
    assert fake_airflow.requests == []


def test_run_progress_is_frozen_and_final_means_success_or_failed() -> None:
    progress = RunProgress("d", "r", "running", {"running": 1}, DAGRun(state="running"), 1.5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        progress.state = "success"  # type: ignore[misc]
    assert not progress.final
    assert dataclasses.replace(progress, state="success").final and dataclasses.replace(progress, state="failed").final
    assert client_package.RunProgress is sync.RunProgress is v2.RunProgress is sync_v2.RunProgress


def test_every_generation_and_facade_exports_the_helpers() -> None:
    for name in ("wait_for_dag_run", "watch_dag_run", "trigger_and_wait", "follow_log"):
        assert getattr(v2, name) is getattr(client_package, name)
        assert getattr(sync_v2, name) is getattr(sync, name) is not getattr(client_package, name)
        assert name in client_package.__all__ and name in sync.__all__ and name in v2.__all__


# --------------------------------------------------------------------------- the blocking twins


async def test_blocking_wait_calls_on_change_in_the_calling_thread(
    script: ScriptedAirflow, fake_airflow: FakeAirflow
) -> None:
    script.on("GET", RUN, run("queued"), run("running"), run("success"))
    script.on("GET", TASKS, task_instances(None), task_instances("running"), task_instances("success"))
    threads: List[threading.Thread] = []
    states: List[str] = []

    def record(progress: RunProgress) -> None:
        threads.append(threading.current_thread())
        states.append(progress.state)

    def blocking() -> RunProgress:
        with sync.ApiClient(Configuration(host=fake_airflow.host, access_token="tok")) as client:
            return sync.wait_for_dag_run(client, "d", "r", poll_interval=0.01, on_change=record)

    final = await asyncio.to_thread(blocking)
    assert final.state == "success" and states == ["queued", "running", "success"]
    assert len(set(threads)) == 1 and threads[0] is not threading.main_thread()  # the to_thread worker, the caller


async def test_blocking_wait_awaits_an_async_on_change_and_propagates_its_exception(
    script: ScriptedAirflow, fake_airflow: FakeAirflow
) -> None:
    script.on("GET", RUN, run("queued"), run("running"), run("success"))
    script.on("GET", TASKS, task_instances(None), task_instances("running"), task_instances("success"))
    awaited: List[str] = []

    async def record(progress: RunProgress) -> None:
        awaited.append(progress.state)
        if progress.state == "running":
            raise LookupError("enough")

    def blocking() -> None:
        with sync.ApiClient(Configuration(host=fake_airflow.host, access_token="tok")) as client:
            sync.wait_for_dag_run(client, "d", "r", poll_interval=0.01, on_change=record)

    with pytest.raises(LookupError, match="enough"):
        await asyncio.to_thread(blocking)
    assert awaited == ["queued", "running"] and len(script.calls(RUN)) == 2


async def test_blocking_watch_and_trigger_make_the_same_requests(
    script: ScriptedAirflow, fake_airflow: FakeAirflow
) -> None:
    script.on("POST", "/api/v1/dags/d/dagRuns", run("queued"))
    script.on("GET", RUN, run("queued"), run("success"))
    script.on("GET", TASKS, task_instances(None), task_instances("success"))

    def blocking() -> List[str]:
        with sync.ApiClient(Configuration(host=fake_airflow.host, access_token="tok")) as client:
            final = sync.trigger_and_wait(client, "d", conf={"a": 1}, poll_interval=0.01, timeout=60)
            assert final.state == "success"
            return [p.state for p in sync.watch_dag_run(client, "d", "r", poll_interval=0.01)]

    assert await asyncio.to_thread(blocking) == ["success"]
    look = [f"GET {RUN}", f"GET {TASKS}?limit=100&offset=0"]
    assert script.calls() == ["POST /api/v1/dags/d/dagRuns", *look, *look, *look]
    assert json.loads(script.fake.requests[0].body) == {"conf": {"a": 1}}


async def test_blocking_timeout_and_early_exit(script: ScriptedAirflow, fake_airflow: FakeAirflow) -> None:
    script.on("GET", RUN, run("running"))
    script.on("GET", TASKS, task_instances("running"))

    def blocking() -> Optional[str]:
        with sync.ApiClient(Configuration(host=fake_airflow.host, access_token="tok")) as client:
            for progress in sync.watch_dag_run(client, "d", "r", poll_interval=0.01):
                assert progress.state == "running"
                break
            try:
                sync.wait_for_dag_run(client, "d", "r", poll_interval=0.1, timeout=2)
            except WaitTimeoutError as error:
                return error.state
            return None

    assert await asyncio.to_thread(blocking) == "running"
