"""The command line against the real Airflow 3.3: the API asked of a root URL, ``health`` and ``version``."""

from __future__ import annotations

import json

from ..cli_process import run_cli, table
from .conftest import ADMIN, AIRFLOW_VERSION


def test_a_root_url_is_found_to_serve_v2(base_url: str) -> None:
    done = run_cli(base_url, "version", user=(ADMIN.username, ADMIN.password))
    assert done.returncode == 0, done.stderr
    shown = dict(line.split(None, 1) for line in done.stdout.splitlines())
    assert shown["version"] == AIRFLOW_VERSION and shown["api"] == "/api/v2"
    as_json = run_cli(base_url + "/api/v2", "version", "--json")
    assert as_json.returncode == 0 and json.loads(as_json.stdout)["version"] == AIRFLOW_VERSION


def test_health_lists_every_component_healthy(base_url: str) -> None:
    done = run_cli(base_url, "health")
    assert done.returncode == 0, done.stdout + done.stderr
    rows = table(done.stdout)
    assert rows[0] == ["COMPONENT", "STATUS", "LATEST_HEARTBEAT"]
    assert {row[0]: row[1] for row in rows[1:]} == {
        "metadatabase": "healthy", "scheduler": "healthy", "triggerer": "healthy", "dag_processor": "healthy"
    }
    as_json = run_cli(base_url, "health", "--json")
    assert as_json.returncode == 0 and json.loads(as_json.stdout)["scheduler"]["status"] == "healthy"
