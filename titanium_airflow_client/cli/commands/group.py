"""How a command-group module adds itself to the parser, and the arguments several commands share."""

from __future__ import annotations

import argparse
from typing import Any, Collection, Optional, Sequence

from titanium_airflow_client.cli.arguments import comma_list, non_negative_int, positive_int
from titanium_airflow_client.cli.context import Handler
from titanium_airflow_client.cli.errors import PROG

# Each command's help is about that command; the options every command takes are described once, on top.
SHARED_OPTIONS_NOTE = f"""\
The connection and output options (--host, -u/--username, -p/--password, --token,
--json, --debug) go before or after the command; `{PROG} --help` describes
them, the environment variables, the errors and the exit statuses."""


class Commands:
    """The command groups of the top-level parser; each command-group module adds its own with ``group()``.

    Only the groups named in ``wanted`` (the words of the command line) get their commands: the others are
    listed by name and help, which is all ``--help`` shows of them, and building every command's parser
    would cost most of the program's start.
    """

    def __init__(self, groups: Any, shared: argparse.ArgumentParser, wanted: Optional[Collection[str]] = None) -> None:
        self._groups = groups  # argparse's _SubParsersAction
        self._shared = shared  # the connection and output options, accepted after the command too
        self._wanted = wanted  # None: every group, e.g. for tests that look at every command
        self._unwanted: Optional[_UnwantedGroup] = None

    def group(self, name: str, help_text: str, aliases: Sequence[str] = ()) -> Group:
        if self._wanted is not None and not any(word in self._wanted for word in (name, *aliases)):
            self._groups.add_parser(name, help=help_text, aliases=list(aliases))
            if self._unwanted is None:
                self._unwanted = _UnwantedGroup()
            return self._unwanted
        parser = self._groups.add_parser(
            name, help=help_text, description=help_text, parents=[self._shared], epilog=SHARED_OPTIONS_NOTE,
            formatter_class=argparse.RawDescriptionHelpFormatter, aliases=list(aliases),
        )
        return Group(parser.add_subparsers(title="commands", dest="command", required=True), self._shared)

    def command(self, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        """A command of its own, outside any group (``health``)."""
        return Group(self._groups, self._shared).command(name, handler, help_text)


class Group:
    """One command group (``dags``), to which its module adds commands."""

    def __init__(self, commands: Any, shared: argparse.ArgumentParser) -> None:
        self._commands = commands
        self._shared = shared

    def command(self, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        """A command that runs ``handler``; the caller adds its own arguments to the parser returned."""
        parser: argparse.ArgumentParser = self._commands.add_parser(
            name, help=help_text, description=help_text, parents=[self._shared], epilog=SHARED_OPTIONS_NOTE,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        parser.set_defaults(handler=handler)
        return parser


class _UnwantedGroup(Group):
    """A group the command line does not name: its commands' arguments go to one parser nobody reads."""

    def __init__(self) -> None:
        self._sink = argparse.ArgumentParser(add_help=False, conflict_handler="resolve")

    def command(self, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        return self._sink


def only_with(parser: argparse.ArgumentParser, needed: str, *options: str) -> None:
    """``options`` mean something only with the option ``needed`` (``--timeout`` with ``--wait``): given without
    it, they are a usage error naming both, before anything is sent. Their defaults must be None. A parser
    may have several such rules."""
    actions = parser._option_string_actions
    needed_dest = actions[needed].dest
    dests = {option: actions[option].dest for option in options}
    earlier = parser.get_default("check_options")

    def check(args: argparse.Namespace) -> None:
        if earlier is not None:
            earlier(args)
        given = [option for option, dest in dests.items() if getattr(args, dest, None) is not None]
        if given and not getattr(args, needed_dest, False):
            parser.error(f"{' and '.join(given)} {'need' if len(given) > 1 else 'needs'} {needed}")

    parser.set_defaults(check_options=check)


def dag_id_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dag_id", metavar="DAG_ID", help="the DAG's id (dag_id)")


def task_id_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("task_id", metavar="TASK_ID", help="the task's id (task_id)")


def run_id_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "dag_run_id", metavar="RUN_ID", help="the DAG run's id (dag_run_id), e.g. manual__2026-01-02T03:04:05+00:00"
    )


def fields_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fields", type=comma_list, action="extend", metavar="F[,F...]",
        help="only these fields, in this order (repeatable or comma-separated); a table shows them as its columns",
    )


def page_options(parser: argparse.ArgumentParser, what: str, order_by: bool = True) -> None:
    parser.add_argument("--limit", type=positive_int, help="items per page (server default 100, capped by it)")
    parser.add_argument("--offset", type=non_negative_int, help="items to skip")
    if order_by:  # not every listing can be sorted
        parser.add_argument("--order-by", help="field to sort by; prefix - to reverse, e.g. -start_date")
    parser.add_argument("--all", action="store_true", help=f"page through all {what} (--limit is the page size)")


def yes_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask; needed when stdin is not a terminal")
