"""The local Airflow 2.11 as the ``variables``, ``connections`` and ``pools`` scenarios see it."""

from __future__ import annotations

from ..cli_admin_scenarios import Server
from .conftest import ADMIN, API_URL, VIEWER, unique_name

SERVER = Server(
    host=API_URL,
    admin=ADMIN,
    viewer=VIEWER,
    unique=unique_name,
    # SQLite's hook runs "select 1"; Airflow 2.11 has no hook for an unknown type.
    passing=("--conn-type", "sqlite", "--conn-host", ":memory:"),
    passed_message="Connection successfully tested",
    failing=("--conn-type", "no_such_type"),
    failed_message='Unknown hook type "no_such_type"',
)
