"""``runs trigger --wait`` on a failing run, ``tasks states`` and ``logs`` against the real Airflow 2.11, run as a
user runs them (a subprocess). Runs get ids unique to the session and are deleted at its end (``run_registry``)."""

from __future__ import annotations

import json
import subprocess
from typing import Tuple

from titanium_airflow_client import DAGRun, TaskInstanceCollection

from ..cli_process import one_error_line, run_cli, table
from .conftest import ADMIN, API_URL, RunRegistry, new_run_id

WAIT_TIMEOUT = 480  # seconds; the SequentialExecutor may be busy with other runs first


def cli(*args: str, user: Tuple[str, str] = ADMIN, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return run_cli(API_URL, *args, user=user, timeout=timeout)


def test_trigger_wait_on_a_failing_run_shows_the_failed_task_and_its_log(run_registry: RunRegistry) -> None:
    run_id = new_run_id("cli-fail-tail")
    run_registry.add("tit_fail", run_id)
    done = cli("runs", "trigger", "tit_fail", "--run-id", run_id, "--wait", "--poll-interval", "1",
               "--timeout", str(WAIT_TIMEOUT), timeout=WAIT_TIMEOUT + 60)
    assert done.returncode == 1, done.stderr
    assert table(done.stdout)[1][:3] == ["tit_fail", run_id, "failed"]
    err = done.stderr.splitlines()
    assert [line.split()[1:] for line in err if line.lstrip()[:1].isdigit()][-1] == ["failed", "failed=1"]
    report = err[err.index("failed: fail"):]
    assert report[1] == "--- the last 20 lines of the log of fail, try 1 ---"
    assert report[-1] == f"--- the whole log: titanium-airflow logs tit_fail {run_id} fail --try 1"
    tail = report[2:-1]
    assert len(tail) == 20 and any("Bash command failed" in line for line in tail)

    done = cli("logs", "tit_fail", run_id, "fail", "--try", "1")  # the command the report gives
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-20:] == tail
    assert any(line.endswith("INFO - failing") for line in done.stdout.splitlines())
    done = cli("logs", "tit_fail", run_id, "fail", "--json")
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["event"] for line in done.stdout.splitlines()][-20:] == tail

    done = cli("tasks", "states", "tit_fail", run_id)
    assert done.returncode == 0, done.stderr
    rows = table(done.stdout)
    assert rows[0] == ["TASK_ID", "MAP_INDEX", "STATE", "TRY_NUMBER", "START_DATE", "DURATION"]
    assert rows[1][:4] == ["fail", "-1", "failed", "1"] and len(rows) == 2
    done = cli("tasks", "states", "tit_fail", run_id, "--json")
    states = TaskInstanceCollection.from_json(done.stdout)
    assert [(ti.task_id, ti.state) for ti in states.task_instances or []] == [("fail", "failed")]


def test_states_and_logs_of_a_run_that_succeeded(bash_run: DAGRun) -> None:
    run_id = bash_run.dag_run_id or ""
    done = cli("tasks", "states", "tit_bash", run_id)
    assert done.returncode == 0, done.stderr
    assert [row[:4] for row in table(done.stdout)[1:]] == [["hello", "-1", "success", "1"],
                                                           ["goodbye", "-1", "success", "1"]]
    done = cli("logs", "tit_bash", run_id, "hello")
    assert done.returncode == 0, done.stderr
    whole = done.stdout.splitlines()
    assert any("Task exited with return code 0" in line for line in whole)
    done = cli("logs", "tit_bash", run_id, "hello", "--follow", "--poll-interval", "0.5")  # over: ends by itself
    assert done.returncode == 0 and done.stdout.splitlines() == whole, done.stderr


def test_logs_of_a_mapped_task_instance(mapped_run: DAGRun) -> None:
    run_id = mapped_run.dag_run_id or ""
    done = cli("tasks", "states", "tit_mapped", run_id)
    assert done.returncode == 0, done.stderr
    assert ["square", "1", "success", "1"] in [row[:4] for row in table(done.stdout)[1:]]
    done = cli("logs", "tit_mapped", run_id, "square", "--map-index", "1")
    assert done.returncode == 0 and "map_index=1" in done.stdout, done.stderr


def test_unknown_ids_and_tries_are_one_line_naming_them(bash_run: DAGRun) -> None:
    run_id = bash_run.dag_run_id or ""
    done = cli("logs", "tit_bash", run_id, "no_such_task")
    assert done.returncode == 2
    named = f"titanium-airflow: error: task no_such_task of run {run_id} of DAG tit_bash"
    assert one_error_line(done).startswith(named)
    done = cli("tasks", "states", "tit_bash", "no_such_run")
    assert done.returncode == 2 and "no_such_run" in one_error_line(done) and "HTTP 404" in done.stderr
    done = cli("logs", "tit_bash", run_id, "hello", "--try", "2")
    assert done.returncode == 2
    assert one_error_line(done).endswith("has no try 2: its latest is 1 (state success)")
