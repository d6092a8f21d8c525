"""``titanium-airflow variables`` against the real Airflow 3.3: set (create, then update), get, list, delete
with and without --yes, import (one bulk request: created/updated/failed) and export, both output modes
(cli_admin_scenarios)."""

from __future__ import annotations

from pathlib import Path

from .. import cli_admin_scenarios as scenarios
from .cli_admin_server import SERVER


def test_set_get_list_and_delete_a_variable() -> None:
    scenarios.variable_round_trip(SERVER)


def test_import_then_export_then_import_again(tmp_path: Path) -> None:
    scenarios.variable_import_and_export(SERVER, tmp_path)


def test_import_refusals_exit_2(tmp_path: Path) -> None:
    scenarios.variable_import_refusals(SERVER, tmp_path)
