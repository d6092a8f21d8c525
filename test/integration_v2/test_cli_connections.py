"""``titanium-airflow connections`` against the real Airflow 3.3: add, get and list with their secrets masked in
tables and --json, test (saved, and given without saving: exit 0 passed, 1 failed), delete (cli_admin_scenarios)."""

from __future__ import annotations

from .. import cli_admin_scenarios as scenarios
from .cli_admin_server import SERVER


def test_add_get_list_test_and_delete_a_connection() -> None:
    scenarios.connection_round_trip(SERVER)


def test_test_a_connection_without_saving_it() -> None:
    scenarios.connection_test_without_saving(SERVER)
