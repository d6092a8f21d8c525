"""``--fields`` on ``variables``, ``connections`` and ``pools`` against the real Airflow 3.3, whose API has no
``fields`` parameter there: table columns and ``--json`` keys as asked, a password asked for masked (***), an
unknown field one error line (cli_fields_admin_scenarios)."""

from __future__ import annotations

from .. import cli_fields_admin_scenarios as scenarios
from .cli_admin_server import SERVER


def test_variables_list_and_get_with_fields() -> None:
    scenarios.variables_with_fields(SERVER)


def test_pools_list_and_get_with_fields() -> None:
    scenarios.pools_with_fields(SERVER)


def test_connections_list_and_get_with_fields() -> None:
    scenarios.connections_with_fields(SERVER, sends_passwords=True)


def test_an_unknown_field_is_one_error_line() -> None:
    scenarios.unknown_fields_are_refused(SERVER)
