"""``titanium-airflow``: Airflow's REST API from the command line.

Every command is one or two calls of the blocking API (:mod:`titanium_airflow_client.sync`);
parameters, checks and errors are the library's own. Tables for people, ``--json`` for
programs: the exact JSON of the returned model.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import logging
import os
import sys
import time
from datetime import datetime
from enum import Enum
from typing import IO, Any, Callable, Dict, List, NoReturn, Optional, Sequence, Tuple

from titanium_airflow_client.configuration import DEFAULT_HOST, Configuration
from titanium_airflow_client.exceptions import (
    ApiConnectionError,
    ApiDecodeError,
    ApiException,
    ApiTimeoutError,
    OpenApiException,
)
from titanium_airflow_client.models import (
    DAG,
    ApiModel,
    ClearDagRun,
    CronExpression,
    DAGCollection,
    DAGRun,
    DAGRunCollection,
    SetDagRunNote,
    Tag,
    Task,
    TimeDelta,
    UpdateDagRunState,
)
from titanium_airflow_client.sync import ApiClient, DAGApi, DAGRunApi, paginate
from titanium_airflow_client.version import __version__

PROG = "titanium-airflow"

EXIT_OK = 0
EXIT_RUN_FAILED = 1
EXIT_ERROR = 2
EXIT_WAIT_TIMEOUT = 3
EXIT_INTERRUPTED = 130

ENV_HOST = "TITANIUM_AIRFLOW_HOST"
ENV_USERNAME = "TITANIUM_AIRFLOW_USERNAME"
ENV_PASSWORD = "TITANIUM_AIRFLOW_PASSWORD"
ENV_TOKEN = "TITANIUM_AIRFLOW_TOKEN"

FINAL_STATES = ("success", "failed")
_sleep = time.sleep  # tests replace it
LOGGER = "titanium_airflow_client"
log = logging.getLogger(LOGGER + ".cli")

EPILOG = f"""\
connection:
  --host, --username, --password, --token, or the environment variables
  {ENV_HOST}, {ENV_USERNAME}, {ENV_PASSWORD}, {ENV_TOKEN}.
  Flags win over the environment. The host is the API's base URL
  (default {DEFAULT_HOST}). Prefer the environment for secrets.

output:
  A table by default; --json prints exactly the JSON of the model the server returned
  (for lists, the collection). Errors are one line on stderr.

exit status:
  0    success
  1    runs trigger --wait: the run ended "failed"
  2    usage error, connection failure, or an error answer from the server
  3    runs trigger --wait --timeout: gave up waiting (the run goes on)
  130  interrupted (Ctrl-C); a triggered run goes on
"""


class UsageError(Exception):
    """A bad combination of options or arguments: exit 2 with one line."""


# --------------------------------------------------------------------------- output


Column = Tuple[str, Callable[[Any], Any]]


def _attr(name: str) -> Callable[[Any], Any]:
    return lambda model: getattr(model, name, None)


DAG_COLUMNS: List[Column] = [
    ("dag_id", _attr("dag_id")),
    ("paused", _attr("is_paused")),
    ("active", _attr("is_active")),
    ("schedule", _attr("schedule_interval")),
    ("next_run", _attr("next_dagrun")),
    ("tags", _attr("tags")),
    ("owners", _attr("owners")),
]
RUN_COLUMNS: List[Column] = [
    ("dag_id", _attr("dag_id")),
    ("dag_run_id", _attr("dag_run_id")),
    ("state", _attr("state")),
    ("run_type", _attr("run_type")),
    ("logical_date", _attr("logical_date")),
    ("start_date", _attr("start_date")),
    ("end_date", _attr("end_date")),
]
TASK_COLUMNS: List[Column] = [
    ("task_id", _attr("task_id")),
    ("operator", lambda task: task.operator_name or (task.class_ref.class_name if task.class_ref else None)),
    ("owner", _attr("owner")),
    ("trigger_rule", _attr("trigger_rule")),
    ("retries", _attr("retries")),
    ("downstream", _attr("downstream_task_ids")),
]
TASK_INSTANCE_REF_COLUMNS: List[Column] = [
    ("dag_id", _attr("dag_id")),
    ("dag_run_id", _attr("dag_run_id")),
    ("task_id", _attr("task_id")),
]


def cell(value: Any) -> str:
    """One table cell: short, on one line."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, Tag):
        return value.name or "-"
    if isinstance(value, CronExpression):
        return value.value or "-"
    if isinstance(value, TimeDelta):
        return str(value.to_timedelta())
    if isinstance(value, ApiModel):
        return _one_line(value.to_json())
    if isinstance(value, (list, tuple)):
        return ",".join(cell(item) for item in value) if value else "-"
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"), default=str)
    return _one_line(str(value))


def _one_line(text: str) -> str:
    return " ".join(text.split())


class Output:
    """Where results (stdout) and messages (stderr) go, and in which form."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    @property
    def out(self) -> IO[str]:
        return sys.stdout

    @property
    def err(self) -> IO[str]:
        return sys.stderr

    def note(self, text: str) -> None:
        """A message for the person at the terminal (stderr), never part of the result."""
        print(text, file=self.err, flush=True)

    def json_text(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def table(self, rows: Sequence[Any], columns: Sequence[Column]) -> None:
        header = [name.upper() for name, _ in columns]
        lines = [header] + [[cell(get(row)) for _, get in columns] for row in rows]
        widths = [max(len(line[i]) for line in lines) for i in range(len(columns))]
        for line in lines:
            text = "  ".join(value.ljust(width) for value, width in zip(line, widths, strict=True))
            print(text.rstrip(), file=self.out)
        self.out.flush()

    def record(self, model: ApiModel) -> None:
        """Every field the server sent, one per line: name, value."""
        pairs: List[Tuple[str, str]] = []
        for name, field in type(model).model_fields.items():
            if name in model.model_fields_set:
                pairs.append((field.alias or name, cell(getattr(model, name))))
        pairs.extend((key, cell(value)) for key, value in (model.model_extra or {}).items())
        width = max((len(key) for key, _ in pairs), default=0)
        for key, value in pairs:
            print(f"{key.ljust(width)}  {value}", file=self.out)
        self.out.flush()

    def model(self, model: ApiModel, columns: Sequence[Column]) -> None:
        """One object: its JSON, or a one-row table."""
        if self.as_json:
            self.json_text(model.to_json())
        else:
            self.table([model], columns)

    def detail(self, model: ApiModel) -> None:
        """One object: its JSON, or all its fields."""
        if self.as_json:
            self.json_text(model.to_json())
        else:
            self.record(model)

    def listing(
        self, collection: ApiModel, items: Optional[Sequence[Any]], columns: Sequence[Column], what: str
    ) -> None:
        """A collection: its JSON, or a table of its items (and how many there are in all)."""
        if self.as_json:
            self.json_text(collection.to_json())
            return
        rows = list(items or [])
        self.table(rows, columns)
        total = getattr(collection, "total_entries", None)
        if total is not None and total > len(rows):
            self.note(f"{len(rows)} of {total} {what} shown; see --limit/--offset, or --all")


def _columns(fields: Optional[List[str]], default: List[Column]) -> List[Column]:
    """The requested --fields as columns, else the command's default columns."""
    return [(name, _attr(name)) for name in fields] if fields else default


# --------------------------------------------------------------------------- argument types


def _datetime(text: str) -> datetime:
    value = text.strip()
    if value[-1:] in ("Z", "z"):  # Python 3.10's fromisoformat does not take Z
        value = value[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO 8601 date-time: {text!r} (e.g. 2026-01-02T03:04:05+00:00; no offset means UTC)"
        ) from None


def _int_at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more: {text!r}")
        return value

    return parse


_positive_int = _int_at_least(1)
_non_negative_int = _int_at_least(0)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds: {text!r}")
    return value


def _conf(text: str) -> Dict[str, Any]:
    """``--conf '{"a": 1}'``, ``--conf @file.json`` or ``--conf @-`` (stdin)."""
    source = "--conf"
    if text.startswith("@"):
        path = text[1:]
        source = "stdin" if path == "-" else path
        try:
            if path == "-":
                text = sys.stdin.read()
            else:
                with open(path, encoding="utf-8") as file:
                    text = file.read()
        except OSError as exc:
            raise argparse.ArgumentTypeError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{source} is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f"{source} must be a JSON object, got {type(value).__name__}")
    return value


def _names(values: Optional[List[str]]) -> Optional[List[str]]:
    """Repeatable options that also take comma-separated lists: ``--state a --state b,c``."""
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _given(**kwargs: Any) -> Dict[str, Any]:
    """The arguments the user gave; the others keep the API method's own defaults."""
    return {key: value for key, value in kwargs.items() if value is not None}


def _dag_or_all(dag_id: Optional[str]) -> str:
    if not dag_id or dag_id == "~":
        return "~"
    if dag_id == os.path.expanduser("~") and "/" in dag_id:  # an unquoted ~ the shell expanded
        log.debug("taking %r, the shell's expansion of an unquoted ~, as ~ (all DAGs)", dag_id)
        return "~"
    return dag_id


# --------------------------------------------------------------------------- commands


def _confirm(args: argparse.Namespace, question: str) -> None:
    """Ask before a destructive command; without a terminal, --yes must say it."""
    if args.yes:
        return
    if not sys.stdin.isatty():
        raise UsageError(f"{question.rstrip('?')}: not without --yes (stdin is not a terminal)")
    answer = input(f"{question} [y/N] ")
    if answer.strip().lower() not in ("y", "yes"):
        raise UsageError("not confirmed; nothing was changed")


def cmd_dags_list(args: argparse.Namespace, client: ApiClient, out: Output) -> int:
    api = DAGApi(client)
    fields = _names(args.fields)
    query = _given(
        limit=args.limit, offset=args.offset, order_by=args.order_by, tags=_names(args.tag),
        only_active=False if args.include_inactive else None, paused=args.paused, fields=fields,
        dag_id_pattern=args.pattern,
    )
    if args.all:
        dags = list(paginate(api.get_dags)(**query))
        collection = DAGCollection(dags=dags, total_entries=len(dags))
    else:
        collection = api.get_dags(**query)
    out.listing(collection, collection.dags, _columns(fields, DAG_COLUMNS), "DAGs")
    return EXIT_OK


def cmd_dags_get(args: argparse.Namespace, client: ApiClient, out: Output) -> int:
    out.detail(DAGApi(client).get_dag(args.dag_id, **_given(fields=_names(args.fields))))
    return EXIT_OK


def cmd_dags_details(args: argparse.Namespace, client: ApiClient, out: Output) -> int:
    out.detail(DAGApi(client).get_dag_details(args.dag_id, **_given(fields=_names(args.fields))))
    return EXIT_OK


def cmd_dags_source(args: argparse.Namespace, client: ApiClient, out: Output) -> int:
    api = DAGApi(client)
    file_token = args.file_token
    if file_token is None:
        file_token = api.get_dag(args.dag_id).file_token
        if not file_token:
            raise UsageError(f"the server sent no file_token for DAG {args.dag_id}")
    source = api.get_dag_source(file_token)
    if out.as_json:
        out.json_text(source.to_json())
    else:
        content = source.content or ""
        out.out.write(content if content.endswith("\n") or not content else content + "\n")
        out.out.flush()
    return EXIT_OK


def _set_paused(args: argparse.Namespace, client: ApiClient, out: Output, paused: bool) -> int:
    dag = DAGApi(client).patch_dag(args.dag_id, DAG(is_paused=paused), update_mask=["is_paused"])
    out.model(dag, DAG_COLUMNS)
    return EXIT_OK


def cmd_dags_pause(args: argparse.Namespace, client: ApiClient, out: Output) -> int:
    return _set_paused(args, client, out, True)


def cmd_dags_unpause(args: argparse.Namespace, client: ApiClient, out: Output) -> int:
    return _set_paused(args, client, out, False)


def cmd_dags_delete(args: argparse.Namespace, client: ApiClient, out: Output) -> int:
    _confirm(args, f"Delete DAG {args.dag_id} with all its runs and task instances?")
    DAGApi(client).delete_dag(args.dag_id)
    if not out.as_json:
        out.note(f"deleted DAG {args.dag_id}")
    return EXIT_OK


def cmd_tasks_list(args: argparse.Namespace, client: ApiClient, out: Output) -> int:
    collection = DAGApi(client).get_tasks(args.dag_id, **_given(order_by=args.order_by))
    out.listing(collection, collection.tasks, TASK_COLUMNS, "tasks")
    return EXIT_OK


def cmd_tasks_get(args: argparse.Namespace, client: ApiClient, out: Output) -> int:
    task: Task = DAGApi(client).get_task(args.dag_id, args.task_id)
    out.detail(task)
    return EXIT_OK


def cmd_runs_list(args: argparse.Namespace, client: ApiClient, out: Output) -> int:
    api = DAGRunApi(client)
    fields = _names(args.fields)
    query = _given(
        limit=args.limit, offset=args.offset, order_by=args.order_by, state=_names(args.state), fields=fields,
        execution_date_gte=args.execution_date_gte, execution_date_lte=args.execution_date_lte,
        start_date_gte=args.start_date_gte, start_date_lte=args.start_date_lte,
        end_date_gte=args.end_date_gte, end_date_lte=args.end_date_lte,
        updated_at_gte=args.updated_at_gte, updated_at_lte=args.updated_at_lte,
    )
    dag_id = _dag_or_all(args.dag_id)
    if args.all:
        runs = list(paginate(api.get_dag_runs)(dag_id, **query))
        collection = DAGRunCollection(dag_runs=runs, total_entries=len(runs))
    else:
        collection = api.get_dag_runs(dag_id, **query)
    out.listing(collection, collection.dag_runs, _columns(fields, RUN_COLUMNS), "DAG runs")
    return EXIT_OK


def cmd_runs_get(args: argparse.Namespace, client: ApiClient, out: Output) -> int:
    out.detail(DAGRunApi(client).get_dag_run(args.dag_id, args.dag_run_id, **_given(fields=_names(args.fields))))
    return EXIT_OK


def cmd_runs_trigger(args: argparse.Namespace, client: ApiClient, out: Output) -> int:
    dag_id: str = args.dag_id
    if args.wait or args.unpause:
        dag_api = DAGApi(client)
        if dag_api.get_dag(dag_id).is_paused:
            if args.unpause:
                dag_api.patch_dag(dag_id, DAG(is_paused=False), update_mask=["is_paused"])
                out.note(f"unpaused DAG {dag_id}")
            else:
                out.note(
                    f"warning: DAG {dag_id} is paused: the run stays queued until it is unpaused "
                    f"(--unpause, or `{PROG} dags unpause {dag_id}`)"
                )
    runs = DAGRunApi(client)
    request = DAGRun(**_given(dag_run_id=args.run_id, conf=args.conf, note=args.note, logical_date=args.logical_date))
    run = runs.post_dag_run(dag_id, request)
    if not args.wait:
        out.model(run, RUN_COLUMNS)
        return EXIT_OK
    run_id = run.dag_run_id or ""
    out.note(f"triggered {dag_id} run {run_id}")
    return _follow(runs, dag_id, run_id, run, args.poll_interval, args.timeout, out)


class _Progress:
    """A live ``\\r`` line on a terminal; a plain line per state change otherwise."""

    def __init__(self, stream: IO[str], label: str) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.label = label
        self.last_state: Optional[str] = None
        self.width = 0

    def show(self, state: str, elapsed: float) -> None:
        if self.live:
            text = f"{self.label}: {state:<8} {elapsed:6.1f}s"
            self.stream.write("\r" + text.ljust(self.width))
            self.width = len(text)
            self.stream.flush()
        elif state != self.last_state:
            self.stream.write(f"{elapsed:6.1f}s  {state}\n")
            self.stream.flush()
        self.last_state = state

    def end(self) -> None:
        if self.live and self.width:
            self.stream.write("\n")
            self.stream.flush()
            self.width = 0


def _follow(
    runs: DAGRunApi, dag_id: str, run_id: str, run: DAGRun, poll: float, timeout: Optional[float], out: Output
) -> int:
    """Poll the run until it is final; show progress on stderr, the final run on stdout."""
    check = f"check it with: {PROG} runs get {dag_id} {run_id}"
    progress = _Progress(out.err, f"{dag_id} {run_id}")
    started = time.monotonic()
    refresh = min(poll, 0.5) if progress.live else poll
    try:
        next_poll = started + poll
        while True:
            state = cell(run.state) if run.state is not None else "unknown"
            now = time.monotonic()
            progress.show(state, now - started)
            if state in FINAL_STATES:
                break
            if timeout is not None and now - started >= timeout:
                progress.end()
                out.note(f"gave up waiting after {timeout:g}s: the run is {state} and goes on; {check}")
                return EXIT_WAIT_TIMEOUT
            _sleep(max(0.0, min(refresh, next_poll - now)))
            if time.monotonic() >= next_poll:
                run = runs.get_dag_run(dag_id, run_id)
                next_poll = time.monotonic() + poll
    except KeyboardInterrupt:
        progress.end()
        out.note(f"interrupted: stopped waiting; the run {run_id} goes on; {check}")
        return EXIT_INTERRUPTED
    except OpenApiException as exc:
        progress.end()
        out.note(f"error: {describe(exc)}; the run goes on; {check}")
        return EXIT_ERROR
    progress.end()
    elapsed = time.monotonic() - started
    out.model(run, RUN_COLUMNS)
    out.note(f"run {run_id} of {dag_id} ended {state} after {elapsed:.1f}s")
    return EXIT_OK if state == "success" else EXIT_RUN_FAILED


def cmd_runs_note(args: argparse.Namespace, client: ApiClient, out: Output) -> int:
    run = DAGRunApi(client).set_dag_run_note(args.dag_id, args.dag_run_id, SetDagRunNote(note=args.note))
    out.model(run, [*RUN_COLUMNS[:3], ("note", _attr("note"))])
    return EXIT_OK


def cmd_runs_set_state(args: argparse.Namespace, client: ApiClient, out: Output) -> int:
    run = DAGRunApi(client).update_dag_run_state(args.dag_id, args.dag_run_id, UpdateDagRunState(state=args.state))
    out.model(run, RUN_COLUMNS)
    return EXIT_OK


def cmd_runs_clear(args: argparse.Namespace, client: ApiClient, out: Output) -> int:
    if not args.dry_run:
        _confirm(args, f"Clear every task instance of run {args.dag_run_id} of DAG {args.dag_id}?")
    answer = DAGRunApi(client).clear_dag_run(args.dag_id, args.dag_run_id, ClearDagRun(dry_run=args.dry_run))
    if out.as_json:
        out.json_text(answer.to_json())
        return EXIT_OK
    result = answer.actual_instance
    if isinstance(result, DAGRun):
        out.table([result], RUN_COLUMNS)
    else:
        out.table(result.task_instances or [], TASK_INSTANCE_REF_COLUMNS)
        if args.dry_run:
            out.note("dry run: these task instances would be cleared; nothing was changed")
    return EXIT_OK


def cmd_runs_delete(args: argparse.Namespace, client: ApiClient, out: Output) -> int:
    _confirm(args, f"Delete run {args.dag_run_id} of DAG {args.dag_id}?")
    DAGRunApi(client).delete_dag_run(args.dag_id, args.dag_run_id)
    if not out.as_json:
        out.note(f"deleted run {args.dag_run_id} of DAG {args.dag_id}")
    return EXIT_OK


# --------------------------------------------------------------------------- parser


class _Parser(argparse.ArgumentParser):
    """Usage errors as one ``titanium-airflow: error: ...`` line, after the usage line."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def _common_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """Connection and output options; accepted before the command and after it."""

    def default(value: Any) -> Any:
        return argparse.SUPPRESS if suppress else value

    group = parser.add_argument_group("connection and output")
    group.add_argument("--host", default=default(None), help=f"API base URL (${ENV_HOST}; default {DEFAULT_HOST})")
    group.add_argument("--username", "-u", default=default(None), help=f"user for HTTP Basic auth (${ENV_USERNAME})")
    group.add_argument(
        "--password", "-p", default=default(None), help=f"password (${ENV_PASSWORD}; safer than the flag)"
    )
    group.add_argument("--token", default=default(None), help=f"bearer token instead of user/password (${ENV_TOKEN})")
    group.add_argument("--json", action="store_true", default=default(False), help="print the model's JSON")
    group.add_argument(
        "--debug", action="store_true", default=default(False), help="log every request on stderr (no secrets)"
    )


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    _common_options(common, suppress=True)
    formatter = argparse.RawDescriptionHelpFormatter

    parser = _Parser(
        prog=PROG,
        description="Apache Airflow's REST API (v1) from the command line.",
        epilog=EPILOG,
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _common_options(parser, suppress=False)
    groups = parser.add_subparsers(title="commands", dest="group", required=True, metavar="{dags,tasks,runs}")

    def group(name: str, help_text: str) -> Any:
        sub = groups.add_parser(
            name, help=help_text, description=help_text, parents=[common], epilog=EPILOG, formatter_class=formatter
        )
        return sub.add_subparsers(title="commands", dest="command", required=True)

    def command(
        subparsers: Any, name: str, handler: Callable[[argparse.Namespace, ApiClient, Output], int], help_text: str
    ) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = subparsers.add_parser(
            name, help=help_text, description=help_text, parents=[common], epilog=EPILOG, formatter_class=formatter
        )
        sub.set_defaults(handler=handler)
        return sub

    def fields_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--fields", action="append", metavar="F[,F...]",
            help="only these fields (repeatable or comma-separated); the table shows them as columns",
        )

    def page_options(sub: argparse.ArgumentParser, what: str) -> None:
        sub.add_argument("--limit", type=_positive_int, help="items per page (server default 100, capped by it)")
        sub.add_argument("--offset", type=_non_negative_int, help="items to skip")
        sub.add_argument("--order-by", help="field to sort by; prefix - to reverse, e.g. -start_date")
        sub.add_argument("--all", action="store_true", help=f"page through all {what} (--limit is the page size)")

    def yes_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--yes", "-y", action="store_true", help="do not ask; needed when stdin is not a terminal")

    # dags
    dags = group("dags", "list, show, pause, unpause and delete DAGs")
    sub = command(dags, "list", cmd_dags_list, "list DAGs (get_dags)")
    page_options(sub, "DAGs")
    sub.add_argument("--tag", action="append", metavar="TAG", help="only DAGs with this tag (repeatable: any of)")
    sub.add_argument("--pattern", metavar="TEXT", help="only DAG ids containing TEXT (dag_id_pattern)")
    paused = sub.add_mutually_exclusive_group()
    paused.add_argument("--paused", dest="paused", action="store_const", const=True, help="only paused DAGs")
    paused.add_argument("--unpaused", dest="paused", action="store_const", const=False, help="only unpaused DAGs")
    sub.add_argument("--include-inactive", action="store_true", help="also DAGs the scheduler no longer sees")
    fields_option(sub)
    sub = command(dags, "get", cmd_dags_get, "show a DAG (get_dag)")
    sub.add_argument("dag_id", metavar="DAG_ID")
    fields_option(sub)
    sub = command(dags, "details", cmd_dags_details, "show a DAG's details: schedule, params, ... (get_dag_details)")
    sub.add_argument("dag_id", metavar="DAG_ID")
    fields_option(sub)
    sub = command(dags, "source", cmd_dags_source, "print the source of a DAG's file (get_dag_source)")
    sub.add_argument("dag_id", metavar="DAG_ID", nargs="?", help="the DAG (its file_token is looked up)")
    sub.add_argument("--file-token", help="the file_token itself, instead of DAG_ID")
    sub.set_defaults(dag_id=None)
    sub = command(dags, "pause", cmd_dags_pause, "pause a DAG (patch_dag is_paused=true)")
    sub.add_argument("dag_id", metavar="DAG_ID")
    sub = command(dags, "unpause", cmd_dags_unpause, "unpause a DAG (patch_dag is_paused=false)")
    sub.add_argument("dag_id", metavar="DAG_ID")
    sub = command(dags, "delete", cmd_dags_delete, "delete a DAG's metadata: runs, task instances (delete_dag)")
    sub.add_argument("dag_id", metavar="DAG_ID")
    yes_option(sub)

    # tasks
    tasks = group("tasks", "list and show the tasks of a DAG")
    sub = command(tasks, "list", cmd_tasks_list, "list the tasks of a DAG (get_tasks)")
    sub.add_argument("dag_id", metavar="DAG_ID")
    sub.add_argument("--order-by", help="field to sort by; prefix - to reverse")
    sub = command(tasks, "get", cmd_tasks_get, "show a task (get_task)")
    sub.add_argument("dag_id", metavar="DAG_ID")
    sub.add_argument("task_id", metavar="TASK_ID")

    # runs
    runs = group("runs", "list, show, trigger, annotate, change, clear and delete DAG runs")
    sub = command(runs, "list", cmd_runs_list, "list DAG runs (get_dag_runs)")
    sub.add_argument(
        "dag_id", metavar="DAG_ID", nargs="?", default="~",
        help="the DAG, or ~ (quote it in a shell) or nothing for the runs of every DAG",
    )
    page_options(sub, "runs")
    sub.add_argument("--state", action="append", metavar="STATE", help="queued, running, success, failed (repeatable)")
    for name in ("execution_date", "start_date", "end_date", "updated_at"):
        for bound, meaning in (("gte", "at or after"), ("lte", "at or before")):
            sub.add_argument(
                f"--{name.replace('_', '-')}-{bound}", type=_datetime, metavar="ISO",
                help=f"{name} {meaning} ISO (e.g. 2026-01-02T03:04:05+02:00; no offset means UTC)",
            )
    fields_option(sub)
    sub = command(runs, "get", cmd_runs_get, "show a DAG run (get_dag_run)")
    sub.add_argument("dag_id", metavar="DAG_ID")
    sub.add_argument("dag_run_id", metavar="RUN_ID")
    fields_option(sub)
    sub = command(runs, "trigger", cmd_runs_trigger, "trigger a DAG run, optionally wait for its end (post_dag_run)")
    sub.add_argument("dag_id", metavar="DAG_ID")
    sub.add_argument("--run-id", help="the run's id (default: chosen by the server)")
    sub.add_argument("--conf", type=_conf, metavar="JSON|@FILE", help="the run's conf: a JSON object, @file or @-")
    sub.add_argument("--note", help="a note on the run")
    sub.add_argument("--logical-date", type=_datetime, metavar="ISO", help="the run's logical date (default: now)")
    sub.add_argument("--unpause", action="store_true", help="unpause the DAG first if it is paused")
    sub.add_argument("--wait", action="store_true", help="follow the run to its end; exit 0 on success, 1 on failure")
    sub.add_argument("--poll-interval", type=_seconds, default=2.0, metavar="S", help="seconds between polls (2)")
    sub.add_argument("--timeout", type=_seconds, metavar="S", help="with --wait: give up after S seconds (exit 3)")
    sub = command(runs, "note", cmd_runs_note, "set the note of a DAG run (set_dag_run_note)")
    sub.add_argument("dag_id", metavar="DAG_ID")
    sub.add_argument("dag_run_id", metavar="RUN_ID")
    sub.add_argument("note", metavar="TEXT")
    sub = command(runs, "set-state", cmd_runs_set_state, "set the state of a DAG run (update_dag_run_state)")
    sub.add_argument("dag_id", metavar="DAG_ID")
    sub.add_argument("dag_run_id", metavar="RUN_ID")
    sub.add_argument("state", choices=("success", "failed", "queued"))
    sub = command(runs, "clear", cmd_runs_clear, "clear a DAG run so its tasks run again (clear_dag_run)")
    sub.add_argument("dag_id", metavar="DAG_ID")
    sub.add_argument("dag_run_id", metavar="RUN_ID")
    sub.add_argument("--dry-run", action="store_true", help="only list the task instances that would be cleared")
    yes_option(sub)
    sub = command(runs, "delete", cmd_runs_delete, "delete a DAG run (delete_dag_run)")
    sub.add_argument("dag_id", metavar="DAG_ID")
    sub.add_argument("dag_run_id", metavar="RUN_ID")
    yes_option(sub)
    return parser


# --------------------------------------------------------------------------- connection and errors


def configuration(args: argparse.Namespace, environ: Optional[Dict[str, str]] = None) -> Configuration:
    """The Configuration from flags, else the environment; flags win."""
    env = {key: value for key, value in (os.environ if environ is None else environ).items() if value}
    host = args.host or env.get(ENV_HOST)
    if args.token is not None and (args.username is not None or args.password is not None):
        raise UsageError("give --token or --username/--password, not both")
    username: Optional[str]
    password: Optional[str]
    token: Optional[str]
    if args.token is not None:
        username, password, token = None, None, args.token
    elif args.username is not None or args.password is not None:
        username = args.username if args.username is not None else env.get(ENV_USERNAME)
        password = args.password if args.password is not None else env.get(ENV_PASSWORD)
        token = None
    else:
        username, password, token = env.get(ENV_USERNAME), env.get(ENV_PASSWORD), env.get(ENV_TOKEN)
        if token is not None and (username is not None or password is not None):
            raise UsageError(
                f"both {ENV_TOKEN} and {ENV_USERNAME}/{ENV_PASSWORD} are set; unset one, or choose with a flag"
            )
    if password is not None and username is None:
        raise UsageError(f"a password needs a user name: --username or {ENV_USERNAME}")
    if username is not None and password is None:
        if not sys.stdin.isatty():
            raise UsageError(f"no password for {username}: --password or {ENV_PASSWORD}")
        password = getpass.getpass(f"password for {username}: ")
    config = Configuration(host=host, username=username, password=password, access_token=token)
    auth = f"basic (user {username})" if username else "bearer token" if token else "none"
    log.debug("host %s, authentication %s", config.host, auth)
    return config


def describe(exc: BaseException) -> str:
    """One line saying what went wrong: the server's problem, or the transport failure."""
    if isinstance(exc, ApiDecodeError):
        first = exc.error.splitlines()[0] if exc.error else "undecodable answer"
        return f"{first} ({exc.method} {exc.url}); is the host the API's base URL, e.g. {DEFAULT_HOST}?"
    if isinstance(exc, ApiException):
        problem = exc.problem
        if problem is not None and (problem.title or problem.detail):
            text = ": ".join(part for part in (problem.title, problem.detail) if part)
        else:
            body = (exc.body or b"")[:200].decode("utf-8", "replace").strip()
            if body.startswith("<"):  # an HTML page: not the API (wrong host path, a proxy)
                body = f"not an API answer; is the host the API's base URL, e.g. {DEFAULT_HOST}?"
            text = f"{exc.reason or 'error'} ({exc.method} {exc.url})" + (f": {body}" if body else "")
        line = f"{text} (HTTP {exc.status})"
        if exc.status in (401, 403):
            line += "; check the credentials (--username/--password or --token) and the user's permissions"
        return _one_line(line)
    if isinstance(exc, ApiConnectionError):
        return _one_line(f"cannot reach the server: {exc}")
    if isinstance(exc, ApiTimeoutError):
        return _one_line(f"no answer in time: {exc}")
    return _one_line(str(exc) or type(exc).__name__)


class _DebugLog:
    """``--debug``: the library's DEBUG log on stderr while a command runs."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.logger = logging.getLogger(LOGGER)
        self.handler = logging.StreamHandler(sys.stderr)
        self.handler.setFormatter(logging.Formatter("debug: %(asctime)s %(name)s: %(message)s"))
        self.level = self.logger.level

    def __enter__(self) -> None:
        if self.enabled:
            self.logger.addHandler(self.handler)
            self.logger.setLevel(logging.DEBUG)

    def __exit__(self, *exc_info: object) -> None:
        if self.enabled:
            self.logger.removeHandler(self.handler)
            self.logger.setLevel(self.level)


# Options whose value may start with "-" (``--order-by -start_date``): argparse would take it for an option.
_DASH_VALUE_OPTIONS = frozenset({"--order-by", "--note", "--pattern"})


def parse_args(argv: Optional[Sequence[str]] = None, parser: Optional[argparse.ArgumentParser] = None) -> Any:
    """Parse a command line; ``--order-by -start_date`` works as ``--order-by=-start_date``."""
    given = list(sys.argv[1:] if argv is None else argv)
    joined: List[str] = []
    index = 0
    while index < len(given):
        arg = given[index]
        if arg in _DASH_VALUE_OPTIONS and index + 1 < len(given) and given[index + 1].startswith("-"):
            joined.append(f"{arg}={given[index + 1]}")
            index += 2
            continue
        if arg == "--":
            joined.extend(given[index:])
            break
        joined.append(arg)
        index += 1
    return (parser or build_parser()).parse_args(joined)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run one command; returns the exit status (see ``--help``)."""
    try:
        args = parse_args(argv)
    except SystemExit as exc:  # --help, --version or a usage error
        return exc.code if isinstance(exc.code, int) else EXIT_OK if exc.code is None else EXIT_ERROR
    out = Output(as_json=args.json)
    try:
        with _DebugLog(args.debug):
            config = configuration(args)
            with ApiClient(config) as client:
                code: int = args.handler(args, client, out)
                return code
    except UsageError as exc:
        out.note(f"{PROG}: error: {exc}")
        return EXIT_ERROR
    except OpenApiException as exc:
        out.note(f"error: {describe(exc)}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        out.note("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `| head`: the reader is gone; say nothing more
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115  (no flush error at exit)
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
