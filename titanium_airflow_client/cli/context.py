"""What a command's handler works with: the parsed arguments, the output, and the blocking client.

Handlers take this one object (``def handler(ctx: Context) -> int``), so what every command
needs can grow here without touching each handler.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Callable, List, Tuple

from titanium_airflow_client.cli.errors import UsageError
from titanium_airflow_client.cli.generation import V1, V2

if TYPE_CHECKING:
    from titanium_airflow_client.cli.output import Output
    from titanium_airflow_client.helper_arguments import ApiGeneration
    from titanium_airflow_client.sync import ApiClient

# The parsed arguments that name what a command is about, and what to call each in messages.
_IDS = (  # outermost first
    ("dag_id", "DAG"), ("dag_run_id", "run"), ("run_id", "run"), ("task_id", "task"), ("xcom_key", "XCom"),
    ("variable_key", "variable"), ("connection_id", "connection"), ("pool_name", "pool"),
)


class Context:
    """One command's run: ``args`` (argparse's namespace), ``out`` (the Output), ``client`` (sync.ApiClient),
    and ``api``, the API the server serves: ``"v1"`` (Airflow 2) or ``"v2"`` (Airflow 3)."""

    __slots__ = ("api", "args", "client", "out")

    def __init__(self, args: argparse.Namespace, out: Output, client: ApiClient, api: ApiGeneration = V1) -> None:
        self.args = args
        self.out = out
        self.client = client
        self.api = api

    @property
    def v2(self) -> bool:
        """Whether the server is an Airflow 3 (``titanium_airflow_client.v2.sync``'s API classes apply)."""
        return self.api == V2

    def confirm(self, question: str) -> None:
        """Ask before a destructive command; without a terminal, ``--yes`` must say it."""
        if self.args.yes:
            return
        if not sys.stdin.isatty():
            raise UsageError(f"{question.rstrip('?')}: not without --yes (stdin is not a terminal)")
        answer = input(f"{question} [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            raise UsageError("not confirmed; nothing was changed")


def subject(args: argparse.Namespace) -> List[Tuple[str, str]]:
    """The ids a command line names, e.g. ``[("DAG", "tit_bash"), ("task", "hello")]``, for its errors."""
    named: List[Tuple[str, str]] = []
    for dest, kind in _IDS:
        value = getattr(args, dest, None)
        if isinstance(value, str) and value and value != "~" and "/" not in value:  # "/": a shell's ~
            named.append((kind, value))
    return named


Handler = Callable[[Context], int]
