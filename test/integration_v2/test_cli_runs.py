"""The dags, tasks, runs and logs commands against the real Airflow 3.3, run as a user runs them: its login (user
and password, a token, a wrong password), the same command lines as on Airflow 2, ``runs trigger --wait`` on a
run that fails and one that succeeds, ``tasks states`` and ``logs``. Runs get unique ids and are deleted."""

from __future__ import annotations

import json
import subprocess
from typing import Iterator, List

import pytest

from titanium_airflow_client.v2.models import (
    DAGCollectionResponse,
    DAGResponse,
    DAGRunCollectionResponse,
    DAGRunResponse,
    TaskInstanceCollectionResponse,
)

from ..cli_process import one_error_line, run_cli, table
from .conftest import ADMIN, BASE_URL, token_for, unique

WAIT_TIMEOUT = 480  # seconds; the scheduler may be busy with other tests' runs
SANDBOX_DAG = "tit_sandbox_a"  # paused: its runs stay queued
PAUSE_DAG = "tit_sandbox_b"


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The script against the server's root URL (the API is asked), logged in as admin."""
    return run_cli(BASE_URL, *args, user=(ADMIN.username, ADMIN.password), timeout=timeout)


@pytest.fixture
def created_runs() -> Iterator[List[str]]:
    """``DAG_ID RUN_ID`` of the runs a test makes; deleted afterwards."""
    runs: List[str] = []
    yield runs
    for pair in runs:
        cli("runs", "delete", *pair.split(), "--yes")


def fields(text: str) -> dict[str, str]:
    return dict(line.split(None, 1) for line in text.splitlines() if len(line.split(None, 1)) == 2)


# --------------------------------------------------------------------------- the login


async def test_a_token_is_used_as_it_is() -> None:
    token = await token_for(ADMIN)
    done = run_cli(BASE_URL + "/api/v2", "dags", "get", "tit_bash", "--json", token=token)
    assert done.returncode == 0, done.stderr
    assert DAGResponse.from_json(done.stdout).dag_id == "tit_bash"


def test_a_wrong_password_is_one_line_naming_401() -> None:
    done = run_cli(BASE_URL, "dags", "list", user=("admin", "not-the-Pa55word"))
    assert done.returncode == 2
    line = one_error_line(done)
    assert "HTTP 401" in line and "check the credentials" in line
    assert "not-the-Pa55word" not in line


# --------------------------------------------------------------------------- dags and tasks


def test_dags_and_tasks_in_both_output_modes() -> None:
    done = cli("dags", "list", "--tag", "titanium", "--limit", "100")
    assert done.returncode == 0, done.stderr
    rows = table(done.stdout)
    assert rows[0] == ["DAG_ID", "PAUSED", "ACTIVE", "SCHEDULE", "NEXT_RUN", "TAGS", "OWNERS"]
    assert next(row for row in rows if row[0] == "tit_bash")[1:3] == ["false", "true"]
    done = cli("dags", "list", "--pattern", "tit_page", "--paused", "--fields", "dag_id,is_paused", "--all", "--json")
    assert done.returncode == 0, done.stderr
    pages = DAGCollectionResponse.from_json(done.stdout)
    assert [(dag.dag_id, dag.is_paused) for dag in pages.dags or []] == [(f"tit_page_{i:02d}", True) for i in range(12)]
    assert json.loads(done.stdout)["dags"][0] == {"dag_id": "tit_page_00", "is_paused": True}

    done = cli("dags", "details", "tit_cron", "--fields", "timetable_summary,dag_id")
    assert done.returncode == 0, done.stderr
    assert table(done.stdout) == [["timetable_summary", "0", "3", "*", "*", "*"], ["dag_id", "tit_cron"]]
    done = cli("dags", "source", "tit_bash")
    assert done.returncode == 0 and 'dag_id="tit_bash"' in done.stdout
    done = cli("tasks", "list", "tit_bash")
    assert done.returncode == 0 and {row[0] for row in table(done.stdout)[1:]} == {"hello", "goodbye"}
    done = cli("tasks", "get", "tit_bash", "hello", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["downstream_task_ids"] == ["goodbye"]


def test_pause_and_unpause() -> None:
    try:
        done = cli("dags", "unpause", PAUSE_DAG)
        assert done.returncode == 0 and table(done.stdout)[1][:2] == [PAUSE_DAG, "false"]
    finally:
        done = cli("dags", "pause", PAUSE_DAG, "--json")
    assert done.returncode == 0 and DAGResponse.from_json(done.stdout).is_paused is True


def test_unknown_ids_are_one_line_naming_them() -> None:
    for command in (["dags", "get"], ["runs", "list"], ["tasks", "list"]):
        done = cli(*command, "no_such_dag_for_cli")
        assert done.returncode == 2, command
        assert "no_such_dag_for_cli" in one_error_line(done) and "HTTP 404" in done.stderr, command
    done = cli("tasks", "states", "tit_bash", "no_such_run")
    assert done.returncode == 2 and "no_such_run" in one_error_line(done)
    done = cli("logs", "tit_bash", "no_such_run", "hello")
    assert done.returncode == 2 and "no_such_run" in one_error_line(done)
    done = cli("dags", "list", "--fields", "dag_id,bogus")
    assert done.returncode == 2 and one_error_line(done).startswith(
        "titanium-airflow: error: unknown field bogus for --fields"
    )


# --------------------------------------------------------------------------- runs


def test_a_run_through_its_commands(created_runs: List[str]) -> None:
    """On the paused sandbox (its runs stay queued): trigger, note, set-state, list, get, clear, delete."""
    run_id = unique("cli_sandbox")
    created_runs.append(f"{SANDBOX_DAG} {run_id}")
    done = cli("runs", "trigger", SANDBOX_DAG, "--run-id", run_id, "--conf", '{"n": 1}', "--json")
    assert done.returncode == 0, done.stderr
    run = DAGRunResponse.from_json(done.stdout)
    assert (run.dag_run_id, run.state, run.conf, run.logical_date) == (run_id, "queued", {"n": 1}, None)

    done = cli("runs", "note", SANDBOX_DAG, run_id, "noted by the cli")
    assert done.returncode == 0 and done.stdout.splitlines()[1].endswith("noted by the cli"), done.stderr
    done = cli("runs", "set-state", SANDBOX_DAG, run_id, "failed")
    assert done.returncode == 0 and table(done.stdout)[1][2] == "failed", done.stderr
    done = cli("runs", "list", SANDBOX_DAG, "--state", "failed", "--order-by", "-start_date", "--limit", "100",
               "--json")
    assert done.returncode == 0, done.stderr
    assert run_id in [r.dag_run_id for r in DAGRunCollectionResponse.from_json(done.stdout).dag_runs or []]
    done = cli("runs", "get", SANDBOX_DAG, run_id, "--fields", "state,note")
    assert table(done.stdout) == [["state", "failed"], ["note", "noted", "by", "the", "cli"]]
    done = cli("runs", "clear", SANDBOX_DAG, run_id, "--dry-run")
    assert done.returncode == 0 and "dry run" in done.stderr, done.stderr
    assert fields(cli("runs", "get", SANDBOX_DAG, run_id).stdout)["state"] == "failed"  # nothing was cleared

    done = cli("runs", "delete", SANDBOX_DAG, run_id)
    assert done.returncode == 2 and "--yes" in done.stderr
    done = cli("runs", "delete", SANDBOX_DAG, run_id, "--yes")
    assert (done.returncode, done.stderr) == (0, f"deleted run {run_id} of DAG {SANDBOX_DAG}\n")
    done = cli("runs", "get", SANDBOX_DAG, run_id)
    assert done.returncode == 2 and "HTTP 404" in one_error_line(done)


def test_trigger_wait_on_a_failing_run_shows_the_failed_task_and_its_log(created_runs: List[str]) -> None:
    run_id = unique("cli_fail")
    created_runs.append(f"tit_fail {run_id}")
    done = cli("runs", "trigger", "tit_fail", "--run-id", run_id, "--wait", "--poll-interval", "1",
               "--timeout", str(WAIT_TIMEOUT), timeout=WAIT_TIMEOUT + 60)
    assert done.returncode == 1, done.stderr
    assert table(done.stdout)[1][:3] == ["tit_fail", run_id, "failed"]
    err = done.stderr.splitlines()
    assert err[0] == f"triggered tit_fail run {run_id}"
    assert [line.split()[1:] for line in err if line.lstrip()[:1].isdigit()][-1] == ["failed", "failed=1"]
    report = err[err.index("failed: fail"):]
    assert report[1] == "--- the last 20 lines of the log of fail, try 1 ---"
    assert report[-1] == f"--- the whole log: titanium-airflow logs tit_fail {run_id} fail --try 1"
    tail = report[2:-1]
    assert len(tail) == 20 and any("Bash command failed" in line for line in tail)

    done = cli("logs", "tit_fail", run_id, "fail", "--try", "1")  # the command the report gives
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-20:] == tail
    assert any("failing" in line for line in done.stdout.splitlines())
    done = cli("logs", "tit_fail", run_id, "fail", "--json")
    assert done.returncode == 0, done.stderr
    entries = [json.loads(line) for line in done.stdout.splitlines()]
    assert any(entry.get("event") == "failing" for entry in entries)  # Airflow 3's messages, as sent
    done = cli("logs", "tit_fail", run_id, "fail", "--follow", "--poll-interval", "0.5")  # the task is over
    assert done.returncode == 0 and done.stdout.splitlines()[-20:] == tail, done.stderr

    done = cli("tasks", "states", "tit_fail", run_id)
    assert done.returncode == 0, done.stderr
    rows = table(done.stdout)
    assert rows[0] == ["TASK_ID", "MAP_INDEX", "STATE", "TRY_NUMBER", "START_DATE", "DURATION"]
    assert rows[1][:4] == ["fail", "-1", "failed", "1"] and len(rows) == 2
    done = cli("tasks", "states", "tit_fail", run_id, "--json")
    states = TaskInstanceCollectionResponse.from_json(done.stdout)
    assert [(ti.task_id, ti.state) for ti in states.task_instances or []] == [("fail", "failed")]
    done = cli("logs", "tit_fail", run_id, "fail", "--try", "2")
    assert done.returncode == 2 and "has no try 2" in one_error_line(done)


def test_trigger_wait_on_a_succeeding_run_exits_0(created_runs: List[str]) -> None:
    run_id = unique("cli_bash")
    created_runs.append(f"tit_bash {run_id}")
    done = cli("runs", "trigger", "tit_bash", "--run-id", run_id, "--wait", "--poll-interval", "1", "--json",
               "--timeout", str(WAIT_TIMEOUT), timeout=WAIT_TIMEOUT + 60)
    assert done.returncode == 0, done.stderr
    assert DAGRunResponse.from_json(done.stdout).state == "success"
    progress = [line.split()[1:] for line in done.stderr.splitlines() if line.lstrip()[:1].isdigit()]
    assert progress[-1] == ["success", "success=2"]
    assert done.stderr.splitlines()[-1].startswith(f"run {run_id} of tit_bash ended success after ")
    done = cli("tasks", "states", "tit_bash", run_id)
    assert [row[:3] for row in table(done.stdout)[1:]] == [["hello", "-1", "success"], ["goodbye", "-1", "success"]]
