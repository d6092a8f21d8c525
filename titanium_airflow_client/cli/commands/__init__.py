"""The command groups, one module each; a new group is a module here and one line in ``GROUPS``.

Each module's ``register(commands)`` adds its group, its commands and their handlers to the parser.
"""

from __future__ import annotations

from typing import Callable, Tuple

from titanium_airflow_client.cli.commands import (
    assets,
    connections,
    dags,
    import_errors,
    logs,
    pools,
    runs,
    server,
    tasks,
    variables,
    xcom,
)
from titanium_airflow_client.cli.commands.group import Commands

# In the order `--help` lists them: the daily work first, then what the server holds, then the server itself.
GROUPS: Tuple[Callable[[Commands], None], ...] = (
    dags.register,
    tasks.register,
    runs.register,
    logs.register,
    xcom.register,
    assets.register,
    import_errors.register,
    variables.register,
    connections.register,
    pools.register,
    server.register,
)
