"""``logs DAG RUN TASK`` against the local fake server, on Airflow 2 and 3: the latest try or the one asked, mapped
task instances, text and ``--json`` lines, ``--follow``, and the errors (unknown ids, a try that never ran)."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import pytest

from .cli_run import Result, run
from .conftest import FakeAirflow
from .scripted_airflow import ScriptedAirflow
from .v2_api import root_of

TI = "/api/v1/dags/d/dagRuns/r/taskInstances/t"
TI_V2 = "/api/v2/dags/d/dagRuns/r/taskInstances/t"
NO_TRY = "titanium-airflow: error: task t of run r of DAG d has no try {}: its latest is 1 (state {})\n"


def ti(state: Optional[str], try_number: int, map_index: int = -1) -> Dict[str, Any]:
    return {"task_id": "t", "state": state, "try_number": try_number, "map_index": map_index}


def v1_log(text: str, token: str = "tok") -> Dict[str, Any]:
    return {"content": str([("worker", text)]), "continuation_token": token}


async def logs_v1(capsys: pytest.CaptureFixture[str], fake: FakeAirflow, *argv: str) -> Result:
    return await run(capsys, "--host", fake.host, "logs", "d", "r", "t", *argv)


async def logs_v2(capsys: pytest.CaptureFixture[str], fake: FakeAirflow, *argv: str) -> Result:
    return await run(capsys, "--host", root_of(fake.host) + "/api/v2", "--token", "tok", "logs", "d", "r", "t", *argv)


def log_calls(script: ScriptedAirflow) -> List[str]:
    return [call for call in script.calls() if "/logs/" in call]


async def test_the_latest_try_by_default_or_the_one_asked(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    script.on("GET", TI, ti("success", 2))
    script.on("GET", f"{TI}/logs/2", v1_log("try two\nsecond line"))
    script.on("GET", f"{TI}/logs/1", v1_log("try one"))
    result = await logs_v1(capsys, fake_airflow)
    assert (result.code, result.out, result.err) == (0, "try two\nsecond line\n", "")
    result = await logs_v1(capsys, fake_airflow, "--try", "1")
    assert result.out == "try one\n"
    assert log_calls(script) == [f"GET {TI}/logs/2?full_content=true&map_index=-1",
                                 f"GET {TI}/logs/1?full_content=true&map_index=-1"]
    result = await logs_v1(capsys, fake_airflow, "--json")
    assert [json.loads(line) for line in result.out.splitlines()] == [{"event": "try two"}, {"event": "second line"}]


async def test_a_mapped_task_instance(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    script.on("GET", f"{TI}/2", ti("failed", 1, 2))
    script.on("GET", f"{TI}/logs/1", v1_log("mapped"))
    result = await logs_v1(capsys, fake_airflow, "--map-index", "2")
    assert (result.code, result.out) == (0, "mapped\n")
    assert script.calls() == [f"GET {TI}/2", f"GET {TI}/logs/1?full_content=true&map_index=2"]


async def test_airflow_3_messages_as_text_or_as_sent(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    messages = [
        {"event": "::group::Log message source details", "sources": ["/logs/attempt=1.log"]},
        {"timestamp": "2026-01-02T03:04:05.5Z", "event": "hello", "level": "info", "logger": "task", "chan": "stdout"},
    ]
    script.on("GET", TI_V2, ti("success", 1))
    script.on("GET", f"{TI_V2}/logs/1", {"content": messages, "continuation_token": None})
    result = await logs_v2(capsys, fake_airflow)
    assert result.code == 0, result
    assert result.out.splitlines() == [
        '::group::Log message source details sources=["/logs/attempt=1.log"]',
        "[2026-01-02T03:04:05.500000Z] INFO - hello source=task chan=stdout",
    ]
    result = await logs_v2(capsys, fake_airflow, "--json")
    assert [json.loads(line) for line in result.out.splitlines()] == [
        messages[0], {**messages[1], "timestamp": "2026-01-02T03:04:05.500000+00:00"}  # the model's JSON
    ]
    assert log_calls(script) == [f"GET {TI_V2}/logs/1?full_content=false&map_index=-1"] * 2


async def test_unknown_ids_and_tries_are_one_error_line(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    script.on("GET", "/api/v1/dags/d/dagRuns/r/taskInstances/nope",
              {"title": "Task instance not found", "status": 404}, status=404)
    script.on("GET", TI, ti(None, 0))
    result = await run(capsys, "--host", fake_airflow.host, "logs", "d", "r", "nope")
    assert (result.code, result.out) == (2, "")
    assert result.err == "titanium-airflow: error: task nope of run r of DAG d: Task instance not found (HTTP 404)\n"
    result = await logs_v1(capsys, fake_airflow)
    assert (result.code, result.out) == (2, "")
    assert result.err == "titanium-airflow: error: task t of run r of DAG d has not run yet (state none): no log\n"
    script.on("GET", TI, ti("failed", 1))
    result = await logs_v1(capsys, fake_airflow, "--try", "3")
    assert result.code == 2
    assert result.err == NO_TRY.format(3, "failed")
    assert log_calls(script) == []


async def test_follow_reads_on_until_the_task_ends(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    script.on("GET", TI, ti("running", 1), ti("running", 1), ti("running", 1), ti("success", 1))
    script.on("GET", f"{TI}/logs/1", v1_log("first", "a"), v1_log("\nsecond", "b"), v1_log("", "b"))
    result = await logs_v1(capsys, fake_airflow, "--follow", "--poll-interval", "0.01")
    assert (result.code, result.out) == (0, "first\nsecond\n"), result
    assert log_calls(script)[:2] == [f"GET {TI}/logs/1?full_content=false&map_index=-1",
                                     f"GET {TI}/logs/1?full_content=false&map_index=-1&token=a"]


async def test_follow_as_json_lines(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    script.on("GET", TI, ti("success", 1))
    script.on("GET", f"{TI}/logs/1", v1_log("only line", "a"), v1_log("", "a"))
    result = await logs_v1(capsys, fake_airflow, "-f", "--json", "--poll-interval", "0.01")
    assert (result.code, result.out) == (0, '{"event": "only line"}\n')


async def test_follow_of_a_try_that_never_ran_is_an_error(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    script.on("GET", TI, ti("success", 1))
    result = await logs_v1(capsys, fake_airflow, "--follow", "--try", "2")
    assert (result.code, result.out) == (2, "")
    assert result.err == NO_TRY.format(2, "success")
    assert log_calls(script) == []


GAVE_UP = (
    "gave up following after 2s: task t of run r of DAG d is running and goes on;"
    " follow it again with: titanium-airflow logs d r t --follow{}\n"
)


async def test_follow_with_a_timeout_prints_the_lines_so_far_and_exits_3(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    # A log that never ends: the task runs on, each read brings one more line.
    script.on("GET", TI, ti("running", 1))
    script.on("GET", f"{TI}/logs/1", v1_log("first", "a"), v1_log("\nmore", "b"))
    result = await logs_v1(capsys, fake_airflow, "--follow", "--timeout", "2", "--poll-interval", "0.01")
    assert result.code == 3, result
    lines = result.out.splitlines()
    assert lines[0] == "first" and set(lines[1:]) <= {"more"} and result.out.endswith("\n"), result
    assert result.err == GAVE_UP.format("")


async def test_follow_with_a_timeout_on_airflow_3_names_the_try_and_map_index_to_follow_again(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    script.on("GET", f"{TI_V2}/3", ti("running", 1, 3))
    script.on("GET", f"{TI_V2}/logs/1",
              *({"content": [{"event": f"line {n}"}], "continuation_token": f"t{n}"} for n in range(1, 1000)))
    result = await logs_v2(capsys, fake_airflow, "-f", "--try", "1", "--map-index", "3", "--timeout", "2",
                           "--poll-interval", "0.01")
    assert result.code == 3, result
    lines = result.out.splitlines()
    assert lines and lines == [f"line {n}" for n in range(1, len(lines) + 1)], result  # none lost, none twice
    assert result.err == GAVE_UP.format(" --try 1 --map-index 3").replace("task t ", "task t[3] ")


async def test_a_task_that_ends_within_the_timeout_exits_0(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    script.on("GET", TI, ti("success", 1))
    script.on("GET", f"{TI}/logs/1", v1_log("done", "a"), v1_log("", "a"))
    result = await logs_v1(capsys, fake_airflow, "--follow", "--timeout", "600", "--poll-interval", "0.01")
    assert (result.code, result.out, result.err) == (0, "done\n", "")


async def test_timeout_without_follow_is_a_usage_error(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    result = await logs_v1(capsys, fake_airflow, "--timeout", "5")
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("usage: titanium-airflow logs ")
    assert result.err.endswith("\ntitanium-airflow: error: --timeout needs --follow\n"), result
    result = await logs_v1(capsys, fake_airflow, "--poll-interval", "1", "--timeout", "5")
    assert result.code == 2 and result.err.endswith("error: --poll-interval and --timeout need --follow\n"), result
    assert script.calls(TI) == [] and log_calls(script) == []
    result = await logs_v1(capsys, fake_airflow, "--follow", "--timeout", "0")
    assert result.code == 2 and result.err.endswith("must be a positive number of seconds: '0'\n"), result


async def test_a_timeout_before_the_task_starts_says_it_has_no_state_yet(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    script.on("GET", TI, ti(None, 0))
    result = await logs_v1(capsys, fake_airflow, "--follow", "--timeout", "2", "--poll-interval", "0.01")
    assert (result.code, result.out) == (3, ""), result
    assert result.err == GAVE_UP.format("").replace("is running and goes on", "has no state yet and goes on")
    assert log_calls(script) == []
