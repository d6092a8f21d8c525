"""The command line against Airflow 2.9.3: ``runs trigger --wait`` triggers, follows and reports the run."""

from __future__ import annotations

from typing import Any, List

import titanium_airflow_client.sync as sync
from titanium_airflow_client import DAGRun

from ..cli_process import run_cli
from ..integration.conftest import ADMIN, new_run_id
from .conftest import AIRFLOW_VERSION, API_URL, BASE_URL

WAIT_TIMEOUT = 480  # seconds; the SequentialExecutor may be busy with other runs first


def test_a_root_url_is_found_to_serve_v1_of_2_9() -> None:
    done = run_cli(BASE_URL, "version", user=ADMIN)
    assert done.returncode == 0, done.stderr
    assert dict(line.split(None, 1) for line in done.stdout.splitlines())["version"] == AIRFLOW_VERSION


def test_runs_trigger_wait_follows_the_run_to_success(created_runs: List[Any]) -> None:
    run_id = new_run_id("cli")
    created_runs.append(("tit_bash", run_id))
    done = run_cli(
        BASE_URL,
        "runs",
        "trigger",
        "tit_bash",
        "--run-id",
        run_id,
        "--conf",
        '{"from": "cli"}',
        "--note",
        "on 2.9",
        "--wait",
        "--poll-interval",
        "1",
        "--timeout",
        str(WAIT_TIMEOUT),
        user=ADMIN,
        timeout=WAIT_TIMEOUT + 60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].split()[:3] == ["tit_bash", run_id, "success"]
    assert f"triggered tit_bash run {run_id}" in done.stderr
    assert "ended success" in done.stderr.splitlines()[-1]
    with sync.ApiClient(sync.Configuration(host=API_URL, username=ADMIN[0], password=ADMIN[1])) as client:
        run: DAGRun = sync.DAGRunApi(client).get_dag_run("tit_bash", run_id)
    assert (run.state, run.conf, run.note) == ("success", {"from": "cli"}, "on 2.9")
