"""The command line against Airflow 3.0.6, given the server's root URL: the API and version are asked, the
user logs in, and ``runs trigger --wait`` follows a failing run by polling (3.0 has no wait stream) to its
report: the failed task, its log's tail, and the ``logs`` command that prints the whole log. A test on a
worker (new in 3.3) is refused before it is sent."""

from __future__ import annotations

from typing import List, Tuple

from ..cli_process import one_error_line, run_cli, table
from .conftest import ADMIN, AIRFLOW_VERSION, BASE_URL, RUN_TIMEOUT, new_run_id

USER = (ADMIN.username, ADMIN.password)


def test_a_root_url_is_found_to_serve_v2_of_3_0() -> None:
    done = run_cli(BASE_URL, "version", user=USER)
    assert done.returncode == 0, done.stderr
    shown = dict(line.split(None, 1) for line in done.stdout.splitlines())
    assert (shown["version"], shown["api"]) == (AIRFLOW_VERSION, "/api/v2")


def test_runs_trigger_wait_reports_a_failed_run_and_its_log(created_runs: List[Tuple[str, str]]) -> None:
    run_id = new_run_id("cli_fail")
    created_runs.append(("tit_fail", run_id))
    done = run_cli(
        BASE_URL, "runs", "trigger", "tit_fail", "--run-id", run_id, "--unpause", "--wait", "--poll-interval", "1",
        "--timeout", str(int(RUN_TIMEOUT)), user=USER, timeout=RUN_TIMEOUT + 60,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert table(done.stdout)[1][:3] == ["tit_fail", run_id, "failed"]
    err = done.stderr.splitlines()
    assert f"triggered tit_fail run {run_id}" in err
    report = err[err.index("failed: fail"):]
    assert report[-1] == f"--- the whole log: titanium-airflow logs tit_fail {run_id} fail --try 1"
    tail = report[2:-1]
    assert 0 < len(tail) <= 20

    done = run_cli(BASE_URL, "logs", "tit_fail", run_id, "fail", "--try", "1", user=USER)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-len(tail):] == tail
    done = run_cli(BASE_URL, "tasks", "states", "tit_fail", run_id, user=USER)
    assert done.returncode == 0, done.stderr
    assert table(done.stdout)[1][:4] == ["fail", "-1", "failed", "1"]


def test_a_connection_test_on_a_worker_is_refused_before_it_is_sent() -> None:
    done = run_cli(BASE_URL, "connections", "test", "c", "--conn-type", "fs", "--on-worker", user=USER)
    assert done.returncode == 2, done.stdout + done.stderr
    assert one_error_line(done) == (
        f"titanium-airflow: error: --on-worker needs Airflow 3.3 or later, and the server is Airflow"
        f" {AIRFLOW_VERSION}; nothing was sent"
    )
