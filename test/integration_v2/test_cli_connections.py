"""``titanium-airflow connections`` against the real Airflow 3.3: add, get and list with their secrets masked in
tables and --json, test (saved, and given without saving: exit 0 passed, 1 failed), delete (cli_admin_scenarios);
and the test a worker runs (--on-worker), which saves the connection only when it passes."""

from __future__ import annotations

import json

from .. import cli_admin_scenarios as scenarios
from ..cli_process import one_error_line, run_cli
from .cli_admin_server import SERVER

WORKER_DEADLINE = 240  # seconds a worker may take to pick a test up and run it, on a loaded 2-core machine
ON_WORKER = ("--on-worker", "--save-if-passed", "--poll-interval", "1", "--timeout", str(WORKER_DEADLINE))


def test_add_get_list_test_and_delete_a_connection() -> None:
    scenarios.connection_round_trip(SERVER)


def test_test_a_connection_without_saving_it() -> None:
    scenarios.connection_test_without_saving(SERVER)


def test_a_worker_tests_the_options_and_saves_the_connection_only_once_it_passes() -> None:
    conn = SERVER.unique("cli_on_worker")

    def on_worker(*options: str) -> scenarios.Done[str]:
        return run_cli(SERVER.host, "connections", "test", conn, *options, *ON_WORKER, user=SERVER.admin,
                       timeout=WORKER_DEADLINE + 60)

    try:
        failed = on_worker(*SERVER.failing)
        assert failed.returncode == 1, failed.stdout + failed.stderr
        assert scenarios.fields(failed.stdout) == {
            "connection_id": conn, "status": "failed", "message": SERVER.failed_message
        }
        not_saved = SERVER.cli("connections", "get", conn)
        assert not_saved.returncode == 2 and "(HTTP 404)" in one_error_line(not_saved)

        passed = on_worker(*SERVER.passing, "--json")
        assert passed.returncode == 0, passed.stdout + passed.stderr
        outcome = json.loads(passed.stdout)
        assert (outcome["connection_id"], outcome["state"]) == (conn, "success")
        assert outcome["result_message"] == SERVER.passed_message and outcome["token"]
        saved = json.loads(SERVER.ok("connections", "get", conn, "--json").stdout)
        assert saved["conn_type"] == "fs" and json.loads(saved["extra"]) == {"path": "/tmp"}
    finally:
        SERVER.cli("connections", "delete", conn, "--yes")
