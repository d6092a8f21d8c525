"""The ``titanium-airflow`` console script and the blocking facade against the real local Airflow.

The script runs as a subprocess, as a user would run it. Runs it creates have ids unique to
this session and are deleted at its end (``run_registry``).
"""

from __future__ import annotations

import json
import subprocess
import threading
from typing import List, Optional, Tuple

import pytest

import titanium_airflow_client.sync as sync
from titanium_airflow_client import DAG, DAGCollection, DAGRun, DAGRunCollection, ForbiddenException, NotFoundException

from ..cli_process import SCRIPT, one_error_line, run_cli, table
from .conftest import ADMIN, API_URL, BASE_URL, SANDBOX_DAG, VIEWER, RunRegistry, new_logical_date, new_run_id

WAIT_TIMEOUT = 480  # seconds; the SequentialExecutor may be busy with other runs first
PAUSE_DAG = "tit_sandbox_b"  # paused, no runs: tests pause/unpause it


def cli(*args: str, user: Tuple[str, str] = ADMIN, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return run_cli(API_URL, *args, user=user, timeout=timeout)


def loop_threads() -> List[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("titanium-airflow-client-")]


# --------------------------------------------------------------------------- the script


def test_console_script_is_installed() -> None:
    assert SCRIPT.is_file(), f"{SCRIPT} missing: run `uv pip install -e .` after changing pyproject.toml"
    done = cli("--version")
    assert done.returncode == 0 and done.stdout.startswith("titanium-airflow ")


def test_dags_list_as_table_and_as_json() -> None:
    done = cli("dags", "list", "--tag", "titanium", "--limit", "50")
    assert done.returncode == 0, done.stderr
    rows = table(done.stdout)
    assert rows[0] == ["DAG_ID", "PAUSED", "ACTIVE", "SCHEDULE", "NEXT_RUN", "TAGS", "OWNERS"]
    bash = next(row for row in rows if row[0] == "tit_bash")
    assert bash[1:3] == ["false", "true"] and "titanium" in bash[-2]

    done = cli("dags", "list", "--tag", "titanium", "--json", "--limit", "50")
    assert done.returncode == 0 and done.stderr == ""
    dags = DAGCollection.from_json(done.stdout)
    assert done.stdout == dags.to_json() + "\n"
    assert "tit_bash" in [dag.dag_id for dag in dags.dags or []]
    assert (dags.total_entries or 0) >= 15  # tit_sandbox_c may be deleted by another test just now

    done = cli("dags", "list", "--pattern", "tit_page", "--paused", "--fields", "dag_id,is_paused", "--all")
    assert done.returncode == 0, done.stderr
    assert table(done.stdout) == [["DAG_ID", "IS_PAUSED"]] + [[f"tit_page_{i:02d}", "true"] for i in range(12)]


def test_dag_task_and_source_commands() -> None:
    done = cli("dags", "get", "tit_bash", "--json")
    assert done.returncode == 0 and DAG.from_json(done.stdout).dag_id == "tit_bash"
    done = cli("dags", "details", "tit_cron")
    assert done.returncode == 0
    details = dict(line.split(None, 1) for line in done.stdout.splitlines() if len(line.split(None, 1)) == 2)
    assert details["schedule_interval"] == "0 3 * * *" and details["dag_id"] == "tit_cron"
    done = cli("dags", "details", "tit_relativedelta", "--fields", "schedule_interval,dag_id")
    assert done.returncode == 0, done.stderr
    monthly = "relativedelta(months=+1)"
    assert table(done.stdout)[:2] == [["schedule_interval", monthly], ["dag_id", "tit_relativedelta"]]
    done = cli("dags", "list", "--pattern", "tit_relativedelta", "--fields", "dag_id,schedule_interval")
    assert table(done.stdout) == [["DAG_ID", "SCHEDULE_INTERVAL"], ["tit_relativedelta", monthly]]
    done = cli("dags", "source", "tit_bash")
    assert done.returncode == 0 and 'dag_id="tit_bash"' in done.stdout
    done = cli("tasks", "list", "tit_bash")
    assert done.returncode == 0
    assert {row[0] for row in table(done.stdout)[1:]} == {"hello", "goodbye"}
    done = cli("tasks", "get", "tit_bash", "hello", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["downstream_task_ids"] == ["goodbye"]


def test_trigger_wait_success_exits_0(run_registry: RunRegistry) -> None:
    run_id = new_run_id("cli-bash")
    run_registry.add("tit_bash", run_id)
    done = cli("runs", "trigger", "tit_bash", "--run-id", run_id, "--conf", '{"from": "cli"}', "--note", "cli test",
               "--wait", "--poll-interval", "1", "--timeout", str(WAIT_TIMEOUT), timeout=WAIT_TIMEOUT + 60)
    assert done.returncode == 0, done.stderr
    rows = table(done.stdout)
    assert rows[1][:3] == ["tit_bash", run_id, "success"]
    assert f"triggered tit_bash run {run_id}" in done.stderr
    assert "ended success" in done.stderr.splitlines()[-1]
    assert "running" in done.stderr  # progress lines, one per state
    done = cli("runs", "get", "tit_bash", run_id, "--json")
    run = DAGRun.from_json(done.stdout)
    assert (run.state, run.conf, run.note) == ("success", {"from": "cli"}, "cli test")


def test_trigger_wait_failure_exits_1(run_registry: RunRegistry) -> None:
    run_id = new_run_id("cli-fail")
    run_registry.add("tit_fail", run_id)
    done = cli("runs", "trigger", "tit_fail", "--run-id", run_id, "--wait", "--json", "--poll-interval", "1",
               "--timeout", str(WAIT_TIMEOUT), timeout=WAIT_TIMEOUT + 60)
    assert done.returncode == 1, done.stderr
    assert DAGRun.from_json(done.stdout).state == "failed"
    assert "ended failed" in done.stderr


def test_wrong_password_exits_2_with_one_line() -> None:
    done = cli("dags", "list", user=("admin", "not-the-password"))
    assert done.returncode == 2
    line = one_error_line(done)
    assert "HTTP 403" in line or "HTTP 401" in line
    assert "check the credentials" in line and "not-the-password" not in line


def test_viewer_may_read_but_not_pause() -> None:
    assert cli("dags", "get", PAUSE_DAG, user=VIEWER).returncode == 0
    done = cli("dags", "unpause", PAUSE_DAG, user=VIEWER)
    assert done.returncode == 2
    line = one_error_line(done)
    assert line.startswith(f"titanium-airflow: error: DAG {PAUSE_DAG}: Forbidden (HTTP 403); check the credentials")


def test_unknown_dag_exits_2_with_the_servers_problem() -> None:
    get_dag = "The DAG with dag_id: no_such_dag_for_cli was not found"
    post_run = "DAG with dag_id: 'no_such_dag_for_cli' not found"  # post_dag_run words it its own way
    details = {"dags get": get_dag, "runs list": get_dag, "runs trigger": post_run}
    for command, detail in details.items():
        done = cli(*command.split(), "no_such_dag_for_cli")
        assert done.returncode == 2, command
        assert one_error_line(done) == f"titanium-airflow: error: DAG not found: {detail} (HTTP 404)", command


def test_unknown_dag_or_task_is_named_when_the_server_does_not() -> None:
    done = cli("tasks", "list", "no_such_dag_for_cli")
    assert done.returncode == 2
    assert one_error_line(done) == "titanium-airflow: error: DAG no_such_dag_for_cli: DAG not found (HTTP 404)"
    done = cli("tasks", "get", "tit_bash", "no_such_task")
    assert done.returncode == 2
    assert one_error_line(done) == (
        "titanium-airflow: error: task no_such_task of DAG tit_bash: Task not found (HTTP 404)"
    )


def test_runs_list_checks_states_and_says_when_nothing_matches() -> None:
    done = cli("runs", "list", "tit_bash", "--state", "bogus")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines()[-1] == (
        "titanium-airflow: error: argument --state: unknown DAG run state 'bogus'; choose from queued, running,"
        " success, failed"
    )
    done = cli("runs", "list", PAUSE_DAG, "--state", "failed")  # paused, never run
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "no DAG runs match\n")


def test_fields_keep_the_order_asked() -> None:
    done = cli("dags", "list", "--pattern", "tit_bash", "--fields", "is_paused,dag_id")
    assert done.returncode == 0, done.stderr
    assert table(done.stdout) == [["IS_PAUSED", "DAG_ID"], ["false", "tit_bash"]]
    done = cli("dags", "get", "tit_bash", "--fields", "is_paused,dag_id")
    assert [row[0] for row in table(done.stdout)] == ["is_paused", "dag_id"]


def test_a_commands_help_is_about_the_command() -> None:
    done = cli("tasks", "get", "--help")
    assert done.returncode == 0 and len(done.stdout.splitlines()) <= 15, done.stdout
    assert "TASK_ID     the task's id" in done.stdout and "exit status:" not in done.stdout


def test_unreachable_host_exits_2() -> None:
    done = cli("--host", "http://127.0.0.1:1/api/v1", "dags", "list")
    assert done.returncode == 2
    assert one_error_line(done) == (
        "titanium-airflow: error: cannot connect to 127.0.0.1:1 (connection refused);"
        " is the server running and --host right?"
    )


def test_runs_list_all_json_parses() -> None:
    done = cli("runs", "list", "~", "--all", "--json", timeout=300)
    assert done.returncode == 0, done.stderr
    runs = DAGRunCollection.from_json(done.stdout)
    assert runs.total_entries == len(runs.dag_runs or [])
    ids = [(run.dag_id, run.dag_run_id) for run in runs.dag_runs or []]
    assert len(set(ids)) == len(ids)
    done = cli("runs", "list", "--all", "--limit", "7", "--order-by", "-id", "--fields", "dag_id,dag_run_id",
               timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(table(done.stdout)) - 1 >= len(ids)  # as many or more: runs may be created meanwhile


def test_a_run_through_its_commands(run_registry: RunRegistry) -> None:
    """Trigger on the paused sandbox (never executes), annotate, change, clear, list, delete."""
    assert cli("dags", "pause", SANDBOX_DAG).returncode == 0
    run_id = new_run_id("cli-sandbox")
    run_registry.add(SANDBOX_DAG, run_id)
    logical = new_logical_date().isoformat()
    done = cli("runs", "trigger", SANDBOX_DAG, "--run-id", run_id, "--logical-date", logical, "--conf", '{"n": 1}',
               "--json")
    assert done.returncode == 0, done.stderr
    run = DAGRun.from_json(done.stdout)
    assert (run.dag_run_id, run.state, run.conf) == (run_id, "queued", {"n": 1})
    assert run.logical_date is not None and run.logical_date.isoformat() == logical

    done = cli("runs", "note", SANDBOX_DAG, run_id, "noted by the cli")
    assert done.returncode == 0 and done.stdout.splitlines()[1].endswith("noted by the cli")
    done = cli("runs", "set-state", SANDBOX_DAG, run_id, "failed")
    assert done.returncode == 0 and table(done.stdout)[1][2] == "failed"
    done = cli("runs", "list", SANDBOX_DAG, "--state", "failed", "--execution-date-gte", logical,
               "--execution-date-lte", logical, "--json")
    assert done.returncode == 0
    assert [r.dag_run_id for r in DAGRunCollection.from_json(done.stdout).dag_runs or []] == [run_id]
    done = cli("runs", "clear", SANDBOX_DAG, run_id, "--dry-run")
    assert done.returncode == 0, done.stderr
    done = cli("runs", "get", SANDBOX_DAG, run_id)
    fields = dict(line.split(None, 1) for line in done.stdout.splitlines() if len(line.split(None, 1)) == 2)
    assert fields["state"] == "failed" and fields["note"] == "noted by the cli"

    done = cli("runs", "delete", SANDBOX_DAG, run_id)  # stdin is not a terminal: --yes is required
    assert done.returncode == 2 and "--yes" in done.stderr
    done = cli("runs", "delete", SANDBOX_DAG, run_id, "--yes")
    assert done.returncode == 0, done.stderr
    run_registry.discard(SANDBOX_DAG, run_id)
    done = cli("runs", "get", SANDBOX_DAG, run_id)
    assert done.returncode == 2 and "HTTP 404" in one_error_line(done)


def test_pause_and_unpause() -> None:
    try:
        done = cli("dags", "unpause", PAUSE_DAG)
        assert done.returncode == 0 and table(done.stdout)[1][:2] == [PAUSE_DAG, "false"]
    finally:
        done = cli("dags", "pause", PAUSE_DAG, "--json")
    assert done.returncode == 0 and DAG.from_json(done.stdout).is_paused is True


def test_debug_logs_requests_without_secrets() -> None:
    done = cli("dags", "get", "tit_bash", "--debug")
    assert done.returncode == 0
    assert f"GET {API_URL}/dags/tit_bash -> 200" in done.stderr
    assert "admin" not in done.stderr and "Basic " not in done.stderr  # not even the user name


# --------------------------------------------------------------------------- the blocking facade


def config(user: Tuple[str, str] = ADMIN) -> sync.Configuration:
    return sync.Configuration(host=API_URL, username=user[0], password=user[1])


def test_sync_facade_against_the_server() -> None:
    with sync.ApiClient(config()) as client:
        dags, runs = sync.DAGApi(client), sync.DAGRunApi(client)
        assert dags.get_dag("tit_bash").dag_id == "tit_bash"
        response = dags.get_dags_with_http_info(tags=["titanium"], limit=3)
        assert response.status_code == 200 and len(response.data.dags or []) == 3
        all_titanium = [dag.dag_id for dag in sync.paginate(dags.get_dags)(tags=["titanium"], limit=4)]
        assert len(all_titanium) == response.data.total_entries and "tit_bash" in all_titanium
        assert {t.task_id for t in dags.get_tasks("tit_bash").tasks or []} == {"hello", "goodbye"}
        with pytest.raises(NotFoundException):
            runs.get_dag_run("tit_bash", "no-such-run-for-the-facade")
        listed = runs.get_dag_runs("~", limit=1)
        assert listed.total_entries is not None
    with sync.ApiClient(config(VIEWER)) as viewer, pytest.raises(ForbiddenException):
        sync.DAGApi(viewer).patch_dag(PAUSE_DAG, DAG(is_paused=True), update_mask=["is_paused"])
    assert loop_threads() == []


async def test_sync_facade_called_inside_a_running_event_loop() -> None:
    """A coroutine that makes blocking calls: they block this loop, run on the client's own."""
    with sync.ApiClient(config()) as client:
        api = sync.DAGApi(client)
        first: Optional[str] = api.get_dag("tit_bash").dag_id
        second = api.get_dag("tit_fail").dag_id
    assert (first, second) == ("tit_bash", "tit_fail")
    assert loop_threads() == []


# --------------------------------------------------------------------------- the server: health, version


def test_a_root_url_is_found_to_serve_v1() -> None:
    done = run_cli(BASE_URL, "version", user=ADMIN)
    assert done.returncode == 0, done.stderr
    shown = dict(line.split(None, 1) for line in done.stdout.splitlines())
    assert shown["version"].startswith("2.11.") and shown["api"] == "/api/v1"
    as_json = cli("version", "--json")
    assert as_json.returncode == 0 and json.loads(as_json.stdout)["version"] == shown["version"]


def test_health_lists_the_components_airflow_2_reports() -> None:
    done = cli("health")
    assert done.returncode == 0, done.stdout + done.stderr
    rows = table(done.stdout)
    assert rows[0] == ["COMPONENT", "STATUS", "LATEST_HEARTBEAT"]
    statuses = {row[0]: row[1] for row in rows[1:]}
    assert statuses["metadatabase"] == "healthy" and statuses["scheduler"] == "healthy", statuses
    assert set(statuses) <= {"metadatabase", "scheduler", "triggerer", "dag_processor"}
