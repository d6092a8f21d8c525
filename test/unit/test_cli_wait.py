"""``runs trigger --wait`` against the local fake server, on Airflow 2 and 3: progress with task counts, the exit
statuses (success, failure, timeout, Ctrl-C), and on failure the failed tasks and the tail of the first one's log."""

from __future__ import annotations

import io
import json
import sys
import time
from typing import Any, Dict, List, Optional

import pytest

from titanium_airflow_client import DAGRun
from titanium_airflow_client.cli import progress_line
from titanium_airflow_client.dag_run_wait import RunProgress
from titanium_airflow_client.v2.models import DAGRunResponse

from .cli_run import Result, run
from .conftest import FakeAirflow, Recorded, Reply
from .scripted_airflow import ScriptedAirflow, ndjson
from .v2_api import root_of

DAG = "/api/v1/dags/tit_bash"
RUN = DAG + "/dagRuns/r1"
TASKS = RUN + "/taskInstances"
DAG_V2 = "/api/v2/dags/tit_bash"
RUN_V2 = DAG_V2 + "/dagRuns/r1"
TASKS_V2 = RUN_V2 + "/taskInstances"


def a_run(state: str) -> Dict[str, Any]:
    return {"dag_id": "tit_bash", "dag_run_id": "r1", "state": state, "run_type": "manual"}


def instances(*states: Optional[str]) -> Dict[str, Any]:
    """Task instances t0, t1, ... in these states; a failed one ended at t0's minute plus its index."""
    items = [
        {"task_id": f"t{index}", "state": state, "try_number": 1 if state else 0, "map_index": -1,
         "end_date": f"2026-01-02T03:0{9 - index}:00+00:00" if state == "failed" else None}
        for index, state in enumerate(states)
    ]
    return {"task_instances": items, "total_entries": len(items)}


class Server:
    """A scripted Airflow whose task-instance listing honours ``state=`` (the failure report asks for the failed)."""

    def __init__(self, fake: FakeAirflow, tasks_path: str) -> None:
        self.script = ScriptedAirflow(fake)
        scripted = fake.responder
        assert scripted is not None

        def respond(request: Recorded) -> Reply:
            reply = scripted(request)
            wanted = [value for key, value in request.query if key == "state"]
            if request.path != tasks_path or not wanted:
                return reply
            body = json.loads(reply.body)
            kept = [item for item in body["task_instances"] if item["state"] in wanted]
            return Reply(body=json.dumps({"task_instances": kept, "total_entries": len(kept)}).encode())

        fake.responder = respond


@pytest.fixture
def v1(fake_airflow: FakeAirflow, monkeypatch: pytest.MonkeyPatch) -> ScriptedAirflow:
    monkeypatch.setenv("TITANIUM_AIRFLOW_HOST", fake_airflow.host)
    monkeypatch.setenv("TITANIUM_AIRFLOW_USERNAME", "admin")
    monkeypatch.setenv("TITANIUM_AIRFLOW_PASSWORD", "s3cret")
    script = Server(fake_airflow, TASKS).script
    script.on("POST", DAG + "/dagRuns", a_run("queued"))
    return script


async def trigger_and_wait(
    capsys: pytest.CaptureFixture[str], script: ScriptedAirflow, *more: str, paused: bool = False
) -> Result:
    script.on("GET", DAG, {"dag_id": "tit_bash", "is_paused": paused})
    return await run(capsys, "runs", "trigger", "tit_bash", "--wait", "--poll-interval", "0.01", *more)


def v1_log(lines: List[str]) -> Dict[str, Any]:
    return {"content": str([("worker", "\n".join(lines))]), "continuation_token": "t"}


@pytest.mark.parametrize(
    ("options", "error"),
    [(["--timeout", "5"], "--timeout needs --wait"),
     (["--poll-interval", "1", "--timeout", "5"], "--poll-interval and --timeout need --wait")],
)
async def test_wait_options_without_wait_are_a_usage_error(
    v1: ScriptedAirflow, capsys: pytest.CaptureFixture[str], fake_airflow: FakeAirflow, options: List[str], error: str
) -> None:
    """Nothing is triggered: the user meant to wait, and would otherwise get a run nobody follows."""
    result = await run(capsys, "runs", "trigger", "tit_bash", *options)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("usage: titanium-airflow runs trigger ")
    assert result.err.endswith(f"\ntitanium-airflow: error: {error}\n"), result
    assert fake_airflow.requests == []


async def test_success_shows_each_change_with_the_task_counts(
    v1: ScriptedAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    v1.on("GET", RUN, a_run("queued"), a_run("running"), a_run("running"), a_run("success"))
    v1.on("GET", TASKS, instances(None, None), instances("running", None), instances("success", "running"),
          instances("success", "success"))
    result = await trigger_and_wait(capsys, v1)
    assert result.code == 0, result
    progress = [line.split()[1:] for line in result.err.splitlines() if line.lstrip()[:1].isdigit()]
    assert progress == [
        ["queued", "none=2"], ["running", "none=1", "running=1"], ["running", "running=1", "success=1"],
        ["success", "success=2"],
    ]
    assert "\r" not in result.err
    assert result.out.splitlines()[1].split()[:3] == ["tit_bash", "r1", "success"]
    assert result.err.splitlines()[0] == "triggered tit_bash run r1"
    assert result.err.splitlines()[-1].startswith("run r1 of tit_bash ended success after ")
    assert "GET /api/v1/dags/tit_bash/dagRuns/r1/taskInstances?limit=100&offset=0" in v1.calls()


async def test_failure_names_the_failed_tasks_and_shows_the_first_ones_log_tail(
    v1: ScriptedAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    v1.on("GET", RUN, a_run("running"), a_run("failed"))
    v1.on("GET", TASKS, instances("running", "running", None),
          instances("failed", "failed", "upstream_failed"))
    log = [f"line {number}" for number in range(1, 31)]
    v1.on("GET", TASKS + "/t1/logs/1", v1_log(log))  # t1 ended first
    result = await trigger_and_wait(capsys, v1, "--json")
    assert result.code == 1, result
    assert DAGRun.from_json(result.out).state == "failed"  # stdout: only the final run
    err = result.err.splitlines()
    report = err[err.index("failed: t1, t0"):]
    assert report == [
        "failed: t1, t0",
        "--- the last 20 lines of the log of t1, try 1 ---",
        *log[-20:],
        "--- the whole log: titanium-airflow logs tit_bash r1 t1 --try 1",
    ]
    assert f"GET {TASKS}/t1/logs/1?full_content=true&map_index=-1" in v1.calls()
    assert f"GET {TASKS}?state=failed&limit=100&offset=0" in v1.calls()


async def test_a_failed_run_without_a_failed_task_says_so(
    v1: ScriptedAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    v1.on("GET", RUN, a_run("failed"))
    v1.on("GET", TASKS, instances("success", None))
    result = await trigger_and_wait(capsys, v1)
    assert result.code == 1, result
    assert result.err.splitlines()[-1] == "no task instance failed: the run was set to failed (or timed out) as a whole"


async def test_a_log_that_cannot_be_read_still_exits_1(v1: ScriptedAirflow, capsys: pytest.CaptureFixture[str]) -> None:
    v1.on("GET", RUN, a_run("failed"))
    v1.on("GET", TASKS, instances("failed"))
    v1.on("GET", TASKS + "/t0/logs/1", {"title": "Forbidden", "detail": None, "status": 403}, status=403)
    result = await trigger_and_wait(capsys, v1)
    assert result.code == 1, result
    assert result.err.splitlines()[-2:] == [
        "failed: t0",
        "could not read the failed tasks or their log: Forbidden (HTTP 403); check the credentials (--username/"
        "--password or --token) and the user's permissions",
    ]


async def test_a_mapped_task_is_named_with_its_index(v1: ScriptedAirflow, capsys: pytest.CaptureFixture[str]) -> None:
    failed = {"task_id": "square", "state": "failed", "try_number": 2, "map_index": 1, "end_date": None}
    v1.on("GET", RUN, a_run("failed"))
    v1.on("GET", TASKS, {"task_instances": [failed], "total_entries": 1})
    v1.on("GET", TASKS + "/square/logs/2", v1_log(["boom"]))
    result = await trigger_and_wait(capsys, v1)
    assert result.err.splitlines()[-4:] == [
        "failed: square[1]",
        "--- the last 1 lines of the log of square[1], try 2 ---",
        "boom",
        "--- the whole log: titanium-airflow logs tit_bash r1 square --try 2 --map-index 1",
    ]
    assert f"GET {TASKS}/square/logs/2?full_content=true&map_index=1" in v1.calls()


async def test_on_a_terminal_one_line_is_updated(
    v1: ScriptedAirflow, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    v1.on("GET", RUN, a_run("queued"), a_run("running"), a_run("success"))
    v1.on("GET", TASKS, instances(None), instances("running"), instances("success"))
    result = await trigger_and_wait(capsys, v1)
    assert result.code == 0
    text = terminal.getvalue()
    shown = [line.rsplit("  ", 1)[0].rstrip() for line in text.split("\r")[1:]]  # without the elapsed time
    changes = [head for index, head in enumerate(shown) if index == 0 or head != shown[index - 1]]
    assert changes == ["tit_bash r1: queued   none=1", "tit_bash r1: running  running=1",
                       "tit_bash r1: success  success=1"], text  # a second's tick may repeat a line between
    closed, after = text.split("\r")[-1].split("\n", 1)  # the line is closed, then the run's end is said
    assert closed.startswith("tit_bash r1: success") and after.startswith("run r1 of tit_bash ended success"), text


def test_on_a_terminal_the_elapsed_time_goes_on_between_changes_and_stops_at_the_end() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    line = progress_line.Progress(terminal, "d r", tick=0.01)
    line.show(RunProgress("d", "r", "running", {"running": 1}, DAGRun(state="running"), 1.5))
    deadline = time.monotonic() + 30
    while terminal.getvalue().count("\r") < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    line.end()
    text = terminal.getvalue()
    rewrites = text.rstrip("\n").split("\r")[1:]
    assert len(rewrites) >= 3, text
    elapsed = [float(rewrite.rsplit("  ", 1)[1].strip().rstrip("s")) for rewrite in rewrites]
    assert elapsed == sorted(elapsed) and elapsed[0] >= 1.5, text
    assert all(rewrite.startswith("d r: running  running=1  ") for rewrite in rewrites), text
    assert text.endswith("\n") and text.count("\n") == 1
    assert terminal.getvalue() == text and line._ticker is not None and not line._ticker.is_alive()


async def test_timeout_exits_3_and_a_paused_dag_is_warned_of(
    v1: ScriptedAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    v1.on("GET", RUN, a_run("queued"))
    v1.on("GET", TASKS, instances(None))
    result = await trigger_and_wait(capsys, v1, "--timeout", "0.2", paused=True)
    assert result.code == 3, result
    assert "warning: DAG tit_bash is paused" in result.err
    assert result.err.splitlines()[-1] == (
        "gave up waiting after 0.2s: the run is queued and goes on;"
        " check it with: titanium-airflow runs get tit_bash r1"
    )
    assert [call for call in v1.calls() if not call.startswith("GET ")] == [f"POST {DAG}/dagRuns"]  # run left alone


async def test_ctrl_c_stops_waiting_and_leaves_the_run_alone(
    v1: ScriptedAirflow, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(self: progress_line.Progress, progress: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(progress_line.Progress, "show", interrupted)
    v1.on("GET", RUN, a_run("running"))
    v1.on("GET", TASKS, instances("running"))
    result = await trigger_and_wait(capsys, v1)
    assert result.code == 130, result
    assert result.err.splitlines()[-1] == (
        "interrupted: stopped waiting; the run r1 goes on; check it with: titanium-airflow runs get tit_bash r1"
    )
    assert [call.split("?")[0] for call in v1.calls()] == [f"GET {DAG}", f"POST {DAG}/dagRuns", f"GET {RUN}",
                                                            f"GET {TASKS}"]


async def test_airflow_3_follows_the_wait_stream_and_reports_the_failure(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    script = Server(fake_airflow, TASKS_V2).script
    script.on("GET", DAG_V2, {"dag_id": "tit_bash", "is_paused": False})
    script.on("POST", DAG_V2 + "/dagRuns", a_run("queued"))
    script.on("GET", RUN_V2, a_run("queued"), a_run("failed"))
    script.on("GET", TASKS_V2, instances(None), instances(None), instances("failed"))
    script.on("GET", RUN_V2 + "/wait", ndjson({"state": "queued"}, {"state": "failed"}),
              content_type="application/x-ndjson")
    structured = [{"timestamp": "2026-01-02T03:04:05Z", "event": "boom", "level": "error", "logger": "task"}]
    script.on("GET", TASKS_V2 + "/t0/logs/1", {"content": structured, "continuation_token": None})
    root = root_of(fake_airflow.host)
    result = await run(capsys, "--host", root + "/api/v2", "--token", "tok", "runs", "trigger", "tit_bash",
                       "--wait", "--poll-interval", "0.01", "--json")
    assert result.code == 1, result
    assert DAGRunResponse.from_json(result.out).state == "failed"
    assert [line.split()[1:] for line in result.err.splitlines() if line.lstrip()[:1].isdigit()] == [
        ["queued", "none=1"], ["failed", "failed=1"]
    ]
    assert result.err.splitlines()[-4:] == [
        "failed: t0",
        "--- the last 1 lines of the log of t0, try 1 ---",
        "[2026-01-02T03:04:05.000000Z] ERROR - boom source=task",
        "--- the whole log: titanium-airflow logs tit_bash r1 t0 --try 1",
    ]
    assert f"GET {RUN_V2}/wait?interval=0.01" in script.calls()
    assert script.fake.requests[1].json() == {"logical_date": None}
