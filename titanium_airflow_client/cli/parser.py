"""The command line's parser: the top-level program, the options every command shares, and
reading ``--order-by -start_date`` as a value rather than an option.

Building and using it imports argparse and the command modules, never the library itself:
``--help``, ``--version`` and usage errors answer at once.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Collection, List, NoReturn, Optional, Sequence

from titanium_airflow_client.cli.commands import GROUPS
from titanium_airflow_client.cli.commands.group import Commands
from titanium_airflow_client.cli.config import ENV_HOST, ENV_PASSWORD, ENV_TOKEN, ENV_USERNAME
from titanium_airflow_client.cli.errors import DEFAULT_HOST, EXIT_ERROR, PROG, error_line
from titanium_airflow_client.version import __version__

DESCRIPTION = "Apache Airflow's REST API from the command line: Airflow 2 (/api/v1) and Airflow 3 (/api/v2)."

EPILOG = f"""\
connection:
  --host, --username, --password, --token, or the environment variables
  {ENV_HOST}, {ENV_USERNAME},
  {ENV_PASSWORD}, {ENV_TOKEN}. Flags win over the environment. Prefer the environment for secrets.
  The host is the server's root URL (default {DEFAULT_HOST}): which API it serves is asked
  (Airflow 3's /api/v2, else Airflow 2's /api/v1). A host ending in /api/v1 or /api/v2 says it.
  On Airflow 3, a user and password log in for a token (JWT); --token gives one.
  These options, --json and --debug go before or after the command.

output:
  A table by default (--fields chooses its columns); --json prints exactly the JSON
  of the model the server returned (for lists, the collection). Notes go to stderr.
  On a terminal a table fits its width (long cells cut, ending in …); piped, cells are whole.

errors:
  One line on stderr: "{PROG}: error: <what went wrong>".

exit status:
  0    success
  1    runs trigger --wait: the run ended "failed"; health: a component is not healthy;
       connections test: the server says the test failed
  2    usage error, connection failure, or an error answer from the server
  3    runs trigger --wait --timeout: gave up waiting (the run goes on);
       logs --follow --timeout: gave up following (the task goes on);
       connections test --on-worker --timeout: gave up waiting (the test goes on)
  130  interrupted (Ctrl-C); a triggered run goes on

Each command has its own --help, e.g. `{PROG} runs trigger --help`.
"""

# Options whose value may start with "-" (``--order-by -start_date``): argparse would take it for an option.
DASH_VALUE_OPTIONS = frozenset({"--order-by", "--note", "--pattern"})


class CliParser(argparse.ArgumentParser):
    """Usage errors as the usage line, then the one error line every error takes."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, error_line(message) + "\n")


def shared_options(parser: argparse.ArgumentParser, after_command: bool) -> None:
    """The connection and output options: shown on the top-level parser; accepted, unlisted, after a command."""

    def visible(help_text: str) -> str:
        return argparse.SUPPRESS if after_command else help_text

    default: Any = argparse.SUPPRESS if after_command else None  # after the command: keep what came before it
    group = parser.add_argument_group("connection and output (before or after the command)")
    group.add_argument(
        "--host", default=default, help=visible(f"the server's URL (${ENV_HOST}; default {DEFAULT_HOST})")
    )
    group.add_argument(
        "--username", "-u", default=default,
        help=visible(f"user: Basic auth on Airflow 2, a login on Airflow 3 (${ENV_USERNAME})"),
    )
    group.add_argument(
        "--password", "-p", default=default, help=visible(f"password (${ENV_PASSWORD}; safer than the flag)")
    )
    group.add_argument(
        "--token", default=default, help=visible(f"bearer token instead of user/password (${ENV_TOKEN})")
    )
    flag_default: Any = argparse.SUPPRESS if after_command else False
    group.add_argument("--json", action="store_true", default=flag_default, help=visible("print the model's JSON"))
    group.add_argument(
        "--debug", action="store_true", default=flag_default,
        help=visible("log every request on stderr (never credentials)"),
    )


def build_parser(wanted: Optional[Collection[str]] = None) -> CliParser:
    """The program's parser; with ``wanted`` (the words of a command line), only the groups it names get
    their commands' parsers (see ``Commands``)."""
    parser = CliParser(
        prog=PROG, description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    shared_options(parser, after_command=False)
    after_command = CliParser(add_help=False)
    shared_options(after_command, after_command=True)
    commands = Commands(
        parser.add_subparsers(title="commands", dest="group", required=True), after_command, wanted
    )
    for register in GROUPS:
        register(commands)
    return parser


def parse_args(argv: Optional[Sequence[str]] = None, parser: Optional[argparse.ArgumentParser] = None) -> Any:
    """Parse a command line (``sys.argv`` by default); exits with status 2 on a usage error."""
    words = join_dash_values(sys.argv[1:] if argv is None else argv)
    args = (parser or build_parser({word for word in words if not word.startswith("-")})).parse_args(words)
    check_options = getattr(args, "check_options", None)  # a command's rules between its options (only_with)
    if check_options is not None:
        check_options(args)
    return args


def join_dash_values(argv: Sequence[str]) -> List[str]:
    """``--order-by -start_date`` → ``--order-by=-start_date``, so that argparse reads the value as one."""
    given = list(argv)
    joined: List[str] = []
    index = 0
    while index < len(given):
        arg = given[index]
        if arg in DASH_VALUE_OPTIONS and index + 1 < len(given) and given[index + 1].startswith("-"):
            joined.append(f"{arg}={given[index + 1]}")
            index += 2
            continue
        if arg == "--":
            joined.extend(given[index:])
            break
        joined.append(arg)
        index += 1
    return joined
