"""The command groups, one module each; a new group is a module here and one line in ``GROUPS``.

Each module's ``register(commands)`` adds its group, its commands and their handlers to the parser.
"""

from __future__ import annotations

from typing import Callable, Tuple

from titanium_airflow_client.cli.commands import connections, dags, pools, runs, server, tasks, variables
from titanium_airflow_client.cli.commands.group import Commands

GROUPS: Tuple[Callable[[Commands], None], ...] = (
    dags.register,
    tasks.register,
    runs.register,
    server.register,
    # variables, connections and pools (cli-admin)
    variables.register,
    connections.register,
    pools.register,
)
