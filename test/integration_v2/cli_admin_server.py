"""The local Airflow 3.3 as the ``variables``, ``connections`` and ``pools`` scenarios see it."""

from __future__ import annotations

from ..cli_admin_scenarios import Server
from .conftest import ADMIN, BASE_URL, VIEWER, unique

MISSING_PATH = "/tmp/titanium-no-such-path"

SERVER = Server(
    host=BASE_URL,  # the root: the command line asks which API it serves
    admin=(ADMIN.username, ADMIN.password),
    viewer=(VIEWER.username, VIEWER.password),
    unique=unique,
    # The FS hook (standard provider) passes a test when its path exists.
    passing=("--conn-type", "fs", "--extra", '{"path": "/tmp"}'),
    passed_message="Path /tmp is existing.",
    failing=("--conn-type", "fs", "--extra", f'{{"path": "{MISSING_PATH}"}}'),
    failed_message=f"Path {MISSING_PATH} does not exist.",
)
