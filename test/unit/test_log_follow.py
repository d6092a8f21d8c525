"""follow_log (and its blocking twin) against the local fake server: the requests on v1 and v2, continuation
tokens, the end of the log, tries and retries, the timeout, and that a long log is yielded as it comes."""

from __future__ import annotations

import asyncio
import gc
import json
import tracemalloc
from typing import Any, AsyncIterator, Dict, List, Optional

import pytest

import titanium_airflow_client.sync as sync
from titanium_airflow_client import (
    ApiClient,
    ApiTypeError,
    ApiValueError,
    Configuration,
    WaitTimeoutError,
    follow_log,
)

from .conftest import FakeAirflow, Recorded, Reply
from .scripted_airflow import ScriptedAirflow
from .v2_api import root_of

TI = "/api/v1/dags/d/dagRuns/r/taskInstances/t"
TI_V2 = "/api/v2/dags/d/dagRuns/r/taskInstances/t"
SOURCES_V1 = " INFO - ::group::Log message source details\n INFO - ::endgroup::\n"


def ti(state: Optional[str], try_number: int) -> Dict[str, Any]:
    return {"task_id": "t", "state": state, "try_number": try_number}


def v1_log(text: str, token: str) -> Dict[str, Any]:
    """Airflow 2's JSON answer: str() of a list of (host, text) pairs."""
    return {"content": str([("vm", text)]), "continuation_token": token}


def v2_log(*events: str, token: Optional[str] = None) -> Dict[str, Any]:
    return {"content": [{"event": event} for event in events], "continuation_token": token}


SOURCES_V2 = ("::group::Log message source details", "/logs/attempt=1.log", "::endgroup::")


async def lines(iterator: AsyncIterator[str]) -> List[str]:
    return [line async for line in iterator]


# --------------------------------------------------------------------------- v1 (Airflow 2)


async def test_v1_reads_on_with_the_token_until_the_task_is_final_and_nothing_more_comes(
    script: ScriptedAirflow, api_client: ApiClient, library_sleeps: List[float]
) -> None:
    script.on("GET", TI, ti("queued", 1), ti("running", 1), ti("running", 1), ti("success", 1))
    script.on(
        "GET",
        f"{TI}/logs/1",
        v1_log(SOURCES_V1, "t0"),  # queued: no log yet
        v1_log("[1] a\n[2] b", "t1"),
        v1_log("\n[3] c", "t2"),
        v1_log("\n[4] exited", "t3"),  # written after the state became final
        v1_log("", "t3"),
    )
    got = await lines(follow_log(api_client, "d", "r", "t", poll_interval=0.25))
    assert got == [
        " INFO - ::group::Log message source details",
        " INFO - ::endgroup::",
        "[1] a",
        "[2] b",
        "[3] c",
        "[4] exited",
    ]
    log = f"GET {TI}/logs/1?full_content=false&map_index=-1"
    assert script.calls() == [
        f"GET {TI}",
        log,
        f"GET {TI}",
        f"{log}&token=t0",
        f"GET {TI}",
        f"{log}&token=t1",
        f"GET {TI}",
        f"{log}&token=t2",
        f"GET {TI}",  # final: one more read, which brings nothing
        f"{log}&token=t3",
    ]
    assert library_sleeps == [0.25] * 4


async def test_v1_a_task_not_started_yet_is_waited_for(script: ScriptedAirflow, api_client: ApiClient) -> None:
    script.on("GET", TI, ti(None, 0), ti("scheduled", 1), ti("success", 1))
    script.on("GET", f"{TI}/logs/1", v1_log("x", "t1"), v1_log("", "t1"))
    assert await lines(follow_log(api_client, "d", "r", "t", poll_interval=0.01)) == ["x"]
    assert script.calls()[:2] == [f"GET {TI}", f"GET {TI}"]  # no log asked for while there was no try


async def test_v1_a_task_that_never_ran_has_no_log(script: ScriptedAirflow, api_client: ApiClient) -> None:
    script.on("GET", TI, ti("upstream_failed", 0))
    assert await lines(follow_log(api_client, "d", "r", "t")) == []
    assert script.calls() == [f"GET {TI}"]


async def test_v1_a_mapped_task_instance_is_read_at_its_map_index(
    script: ScriptedAirflow, api_client: ApiClient
) -> None:
    script.on("GET", f"{TI}/2", ti("success", 1))
    script.on("GET", f"{TI}/logs/1", v1_log("m", "t1"), v1_log("", "t1"))
    assert await lines(follow_log(api_client, "d", "r", "t", map_index=2, poll_interval=0.01)) == ["m"]
    assert script.calls()[:2] == [f"GET {TI}/2", f"GET {TI}/logs/1?full_content=false&map_index=2"]


async def test_without_a_try_number_the_retry_follows_the_failed_try(
    script: ScriptedAirflow, api_client: ApiClient
) -> None:
    script.on("GET", TI, ti("running", 1), ti("up_for_retry", 1), ti("running", 2), ti("success", 2), ti("success", 2))
    script.on("GET", f"{TI}/logs/1", v1_log("try 1", "a1"), v1_log("", "a1"), v1_log("\ntry 1 end", "a2"))
    script.on("GET", f"{TI}/logs/2", v1_log("try 2", "b1"), v1_log("", "b1"))
    got = await lines(follow_log(api_client, "d", "r", "t", poll_interval=0.01))
    assert got == ["try 1", "try 1 end", "try 2"]
    logs = [call.split("?")[0].rsplit("/", 1)[1] for call in script.calls() if "/logs/" in call]
    assert logs == ["1", "1", "1", "2", "2"]  # the rest of try 1 once its retry began, then try 2 to the end


async def test_a_given_try_is_followed_until_it_is_over(script: ScriptedAirflow, api_client: ApiClient) -> None:
    script.on("GET", TI, ti("running", 1), ti("up_for_retry", 1))
    script.on("GET", f"{TI}/logs/1", v1_log("a", "a1"), v1_log("\nb", "a2"), v1_log("", "a2"))
    assert await lines(follow_log(api_client, "d", "r", "t", try_number=1, poll_interval=0.01)) == ["a", "b"]
    script.on("GET", TI, ti("running", 3))  # an earlier try is over already
    script.on("GET", f"{TI}/logs/2", v1_log("old", "o1"), v1_log("", "o1"))
    assert await lines(follow_log(api_client, "d", "r", "t", try_number=2, poll_interval=0.01)) == ["old"]


async def test_a_try_the_final_task_never_reached_is_an_error(script: ScriptedAirflow, api_client: ApiClient) -> None:
    script.on("GET", TI, ti("success", 1))
    with pytest.raises(ApiValueError, match="try_number 3 never ran: task t of DAG run d/r is success after try 1"):
        await lines(follow_log(api_client, "d", "r", "t", try_number=3))


async def test_the_timeout_names_the_task_instance_and_its_last_state(
    script: ScriptedAirflow, api_client: ApiClient
) -> None:
    script.on("GET", TI, ti("running", 1))
    script.on("GET", f"{TI}/logs/1", v1_log("still", "t1"), v1_log("", "t1"))
    got: List[str] = []
    with pytest.raises(WaitTimeoutError) as caught:
        async for line in follow_log(api_client, "d", "r", "t", poll_interval=0.1, timeout=2):
            got.append(line)
    assert got == ["still"]
    error = caught.value
    assert str(error) == (
        "gave up waiting for the log of task t of DAG run d/r after 2 s (its last state was running);"
        " it goes on on the server"
    )
    assert (error.dag_id, error.dag_run_id, error.task_id, error.state) == ("d", "r", "t", "running")


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"task_id": None}, ApiTypeError, "task_id must be a str, got NoneType"),
        ({"task_id": "a/b"}, ApiValueError, "task_id must not contain '/'"),
        ({"try_number": 0}, ApiValueError, "try_number must be >= 1, got 0"),
        ({"try_number": "1"}, ApiTypeError, "try_number must be an int or None, got str"),
        ({"map_index": -2}, ApiValueError, "map_index must be >= -1, got -2"),
        ({"map_index": None}, ApiTypeError, "map_index must be an int, got NoneType"),
        ({"poll_interval": -1}, ApiValueError, "poll_interval must be a finite number of seconds > 0"),
        ({"timeout": 0}, ApiValueError, "timeout must be a finite number of seconds > 0"),
        ({"api": "v9"}, ApiValueError, "api must be 'v1', 'v2' or None"),
    ],
)
async def test_arguments_are_checked_when_called(
    fake_airflow: FakeAirflow, api_client: ApiClient, arguments: Dict[str, Any], error: type, message: str
) -> None:
    given: Dict[str, Any] = {"task_id": "t", **arguments}
    task_id = given.pop("task_id")
    with pytest.raises(error, match=message):
        follow_log(api_client, "d", "r", task_id, **given)  # not even iterated
    assert fake_airflow.requests == []


# --------------------------------------------------------------------------- v2 (Airflow 3)


async def test_v2_goes_on_with_the_token_and_without_one_skips_what_was_given(
    script: ScriptedAirflow, v2_client: ApiClient, library_sleeps: List[float]
) -> None:
    script.on("GET", TI_V2, ti("queued", 1), ti("running", 1), ti("running", 1), ti("success", 1), ti("success", 1))
    script.on(
        "GET",
        f"{TI_V2}/logs/1",
        v2_log(*SOURCES_V2),  # queued: no token (Airflow 3 says end of log when the task is not running)
        v2_log(*SOURCES_V2, "m1", "m2", token="T1"),  # from the start again: the sources group comes once
        v2_log("m3", token=None),  # the task ended meanwhile: no token
        v2_log(*SOURCES_V2, "m1", "m2", "m3", "m4"),  # from the start: only m4 is new
        v2_log(*SOURCES_V2, "m1", "m2", "m3", "m4"),  # nothing new: the end
    )
    got = await lines(follow_log(v2_client, "d", "r", "t", poll_interval=0.5))
    assert got == [*SOURCES_V2, "m1", "m2", "m3", "m4"]
    log = f"GET {TI_V2}/logs/1?full_content=false&map_index=-1"
    assert [call for call in script.calls() if "/logs/" in call] == [log, log, f"{log}&token=T1", log, log]
    assert library_sleeps == [0.5] * 4


async def test_v2_messages_read_as_the_ui_shows_them(script: ScriptedAirflow, v2_client: ApiClient) -> None:
    script.on("GET", TI_V2, ti("success", 1))
    answer = {
        "content": [
            {
                "timestamp": "2026-11-30T15:44:47.955595Z",
                "event": "TITANIUM x",
                "level": "info",
                "logger": "task.stdout",
                "dag_id": "d",
                "ti_id": "0",
                "try_number": 1,
            },
            {"event": "two\nlines"},
        ],
        "continuation_token": None,
    }
    script.on("GET", f"{TI_V2}/logs/1", answer)
    assert await lines(follow_log(v2_client, "d", "r", "t", poll_interval=0.01)) == [
        "[2026-11-30T15:44:47.955595Z] INFO - TITANIUM x source=task.stdout",
        "two",
        "lines",
    ]


async def test_v2_a_task_that_never_ran_says_why(script: ScriptedAirflow, v2_client: ApiClient) -> None:
    script.on("GET", TI_V2, ti("skipped", 0))
    script.on("GET", f"{TI_V2}/logs/0", v2_log("Task was skipped, no logs available."))
    assert await lines(follow_log(v2_client, "d", "r", "t", poll_interval=0.01)) == [
        "Task was skipped, no logs available."
    ]


async def test_v2_a_mapped_task_instance_and_a_forced_api(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, api_client: ApiClient
) -> None:
    script.on("GET", f"{TI_V2}/0", ti("success", 1))
    script.on("GET", f"{TI_V2}/logs/1", v2_log("mapped"))
    async with ApiClient(Configuration(host=root_of(fake_airflow.host), access_token="tok")) as v2_client:
        assert await lines(follow_log(v2_client, "d", "r", "t", map_index=0, api="v2", poll_interval=0.01)) == [
            "mapped"
        ]
    assert script.calls()[1] == f"GET {TI_V2}/logs/1?full_content=false&map_index=0"


# --------------------------------------------------------------------------- memory


CHUNK = 256 * 1024  # characters of log per answer
CHUNKS = 64  # 16 MiB of log in all


def long_log_line(number: int) -> str:
    return f"line {number} " + "x" * 1000 + "\n"


def serve_long_log(fake: FakeAirflow) -> None:
    """A running task whose log grows by CHUNK characters each answer, CHUNKS times, then ends."""
    answered = {"logs": 0}

    def respond(request: Recorded) -> Reply:
        if "/logs/" not in request.path:
            state = "success" if answered["logs"] >= CHUNKS else "running"
            return Reply(body=json.dumps(ti(state, 1)).encode())
        number = answered["logs"]
        answered["logs"] += 1
        line = long_log_line(number)
        text = "" if number >= CHUNKS else line * (CHUNK // len(line))
        return Reply(body=json.dumps(v1_log(text, f"t{number}")).encode())

    fake.responder = respond


async def test_a_long_log_is_yielded_as_it_comes_and_never_held_whole(
    fake_airflow: FakeAirflow, api_client: ApiClient
) -> None:
    serve_long_log(fake_airflow)
    follower = follow_log(api_client, "d", "r", "t", poll_interval=0.001)
    first = await follower.__anext__()
    assert first.startswith("line 0 ")
    assert sum("/logs/" in r.path for r in fake_airflow.requests) == 1  # yielded before any further read
    gc.collect()
    tracemalloc.start()
    try:
        count, characters = 1, len(first)
        async for line in follower:
            count += 1
            characters += len(line)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert characters > CHUNKS * CHUNK * 0.95  # all of it came through
    assert count == sum(CHUNK // len(long_log_line(number)) for number in range(CHUNKS))
    # One answer at a time (its JSON, the decoded text, its lines, the fake server's own copies: about 12 times
    # its size here), however many answers: a log held whole would be over three times this bound.
    assert peak < 20 * CHUNK < characters / 3, f"peak {peak:,} bytes for {characters:,} characters of log"


# --------------------------------------------------------------------------- the blocking twin


async def test_blocking_follow_log_is_a_plain_iterator_with_the_same_requests(
    script: ScriptedAirflow, fake_airflow: FakeAirflow
) -> None:
    script.on("GET", TI, ti("running", 1), ti("success", 1))
    script.on("GET", f"{TI}/logs/1", v1_log("a\nb", "t1"), v1_log("\nc", "t2"), v1_log("", "t2"))

    def blocking() -> List[str]:
        with sync.ApiClient(Configuration(host=fake_airflow.host, access_token="tok")) as client:
            return list(sync.follow_log(client, "d", "r", "t", poll_interval=0.01))

    assert await asyncio.to_thread(blocking) == ["a", "b", "c"]
    assert [call.endswith(("token=t1", "token=t2")) for call in script.calls() if "/logs/" in call] == [
        False,
        True,
        True,
    ]


async def test_blocking_follow_log_checks_at_once_stops_early_and_times_out(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, api_client: ApiClient
) -> None:
    script.on("GET", TI, ti("running", 1))
    script.on("GET", f"{TI}/logs/1", v1_log("a\nb", "t1"), v1_log("", "t1"))
    with pytest.raises(
        ApiTypeError, match=r"got the async titanium_airflow_client\.ApiClient; use titanium_airflow_client\.follow_log"
    ):
        sync.follow_log(api_client, "d", "r", "t")  # type: ignore[arg-type]

    def blocking() -> Optional[str]:
        with sync.ApiClient(Configuration(host=fake_airflow.host, access_token="tok")) as client:
            with pytest.raises(ApiValueError, match="poll_interval"):
                sync.follow_log(client, "d", "r", "t", poll_interval=0)
            for line in sync.follow_log(client, "d", "r", "t", poll_interval=0.01):
                assert line == "a"
                break
            try:
                list(sync.follow_log(client, "d", "r", "t", poll_interval=0.1, timeout=2))
            except WaitTimeoutError as error:
                return error.state
            return None

    assert await asyncio.to_thread(blocking) == "running"
