"""The command line against Airflow 2.9.3: ``runs trigger --wait`` triggers, follows and reports the run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import titanium_airflow_client.sync as sync
from titanium_airflow_client import DAGRun

from ..integration.conftest import ADMIN, new_run_id
from .conftest import API_URL

SCRIPT = Path(sys.executable).parent / "titanium-airflow"
WAIT_TIMEOUT = 480  # seconds; the SequentialExecutor may be busy with other runs first


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env: Dict[str, str] = {k: v for k, v in os.environ.items() if not k.startswith("TITANIUM_AIRFLOW_")}
    env.update(TITANIUM_AIRFLOW_HOST=API_URL, TITANIUM_AIRFLOW_USERNAME=ADMIN[0], TITANIUM_AIRFLOW_PASSWORD=ADMIN[1])
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout, env=env)


def test_runs_trigger_wait_follows_the_run_to_success(created_runs: List[Any]) -> None:
    run_id = new_run_id("cli")
    created_runs.append(("tit_bash", run_id))
    done = cli(
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
        timeout=WAIT_TIMEOUT + 60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].split()[:3] == ["tit_bash", run_id, "success"]
    assert f"triggered tit_bash run {run_id}" in done.stderr
    assert "ended success" in done.stderr.splitlines()[-1]
    with sync.ApiClient(sync.Configuration(host=API_URL, username=ADMIN[0], password=ADMIN[1])) as client:
        run: DAGRun = sync.DAGRunApi(client).get_dag_run("tit_bash", run_id)
    assert (run.state, run.conf, run.note) == ("success", {"from": "cli"}, "on 2.9")
