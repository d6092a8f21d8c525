"""``titanium-airflow pools`` against the real Airflow 2.11: set (create, then update the fields given), get, list,
delete; the default pool cannot be deleted (cli_admin_scenarios)."""

from __future__ import annotations

from .. import cli_admin_scenarios as scenarios
from .cli_admin_server import SERVER


def test_set_get_list_and_delete_a_pool() -> None:
    scenarios.pool_round_trip(SERVER)
