"""The local Airflow 2.11 as the ``variables``, ``connections`` and ``pools`` scenarios see it."""

from __future__ import annotations

from ..cli_admin_scenarios import Server
from .conftest import ADMIN, API_URL, VIEWER, unique_name

SERVER = Server(
    host=API_URL,
    admin=ADMIN,
    viewer=VIEWER,
    unique=unique_name,
    # The FS hook passes a test when its path exists (and, unlike SQLite's, makes no file of the login and
    # port the round trip adds); Airflow 2.11 has no hook for an unknown type.
    passing=("--conn-type", "fs", "--extra", '{"path": "/tmp"}'),
    passed_message="Path /tmp is existing.",
    failing=("--conn-type", "no_such_type"),
    failed_message='Unknown hook type "no_such_type"',
)
