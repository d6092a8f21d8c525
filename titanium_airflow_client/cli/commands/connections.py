"""``titanium-airflow connections``: list, show, add, delete and test Airflow connections.

Secrets (the password, and extra's values whose key looks secret) are masked in tables, ``get`` and
``--json`` alike unless ``--show-secrets`` is given (``cli/masking.py``): JSON piped into a file does not
leak them by accident. The connection's fields are ``--conn-*`` options, as ``airflow connections add``
names them: ``--host`` and ``--password`` are this program's own connection to Airflow.
"""

from __future__ import annotations

import argparse
from typing import Any, Dict, List, Tuple

from titanium_airflow_client.cli.arguments import POLL_SECONDS, conf, given, int_at_least, poll_seconds, seconds
from titanium_airflow_client.cli.commands.group import Commands, fields_option, only_with, page_options, yes_option
from titanium_airflow_client.cli.context import Context
from titanium_airflow_client.cli.errors import EXIT_OK, EXIT_RUN_FAILED, EXIT_WAIT_TIMEOUT, UsageError
from titanium_airflow_client.cli.field_choice import check_fields, detail_of_fields, only_fields_of_items
from titanium_airflow_client.cli.output import Column, attr, columns

CONNECTION_COLUMNS: List[Column] = [
    ("connection_id", attr("connection_id")),
    ("conn_type", attr("conn_type")),
    ("host", attr("host")),
    ("port", attr("port")),
    ("login", attr("login")),
    ("schema", attr("schema_")),
    ("description", attr("description")),
]
# The connection's fields: (option names, API field, help); the short names are those no shared option takes.
# Each is kept in args as conn_<field>: args.host and args.password are the program's connection to Airflow.
FIELD_OPTIONS = (
    (("--conn-host",), "host", "the host"),
    (("--conn-port", "--port"), "port", "the port"),
    (("--conn-login", "--login"), "login", "the login (user name)"),
    (("--conn-password",), "password", "the password; - reads it from stdin's first line (safer than the flag)"),
    (("--conn-schema", "--schema"), "schema", "the schema (database name, or http/https for an HTTP connection)"),
    (("--conn-extra", "--extra"), "extra", "extra: a JSON object, @file or @- for stdin"),
    (("--conn-description", "--description"), "description", "a description"),
)
FIELDS = tuple(field for _, field, _ in FIELD_OPTIONS)
ACTIVE_TEST_STATES = ("pending", "queued", "running")  # a queued test's; then success or failed


def register(commands: Commands) -> None:
    group = commands.group("connections", "list, show, add, delete and test connections (secrets masked)")

    parser = group.command("list", list_connections, "list connections, their secrets masked (get_connections)")
    page_options(parser, "connections")
    show_secrets_option(parser)
    fields_option(parser)

    parser = group.command("get", show_connection, "show a connection, its secrets masked (get_connection)")
    connection_id_argument(parser)
    show_secrets_option(parser)
    fields_option(parser)

    parser = group.command("add", add_connection, "add a connection (post_connection)")
    connection_id_argument(parser)
    parser.add_argument("--conn-type", required=True, metavar="TYPE", help="the connection type, e.g. postgres, http")
    field_options(parser)
    show_secrets_option(parser)

    parser = group.command("delete", delete_connection, "delete a connection (delete_connection)")
    connection_id_argument(parser)
    yes_option(parser)

    parser = group.command(
        "test", test_connection,
        "test a connection in the server; exit 0 when it passes, 1 when it fails (test_connection)\n"
        "Without --conn-type: the saved CONN_ID (get_connection), the options given replacing its fields.\n"
        "With it: the options alone; nothing is saved.\n"
        "With --on-worker too (Airflow 3.3+): a worker tests the options (enqueue_connection_test).",
    )
    connection_id_argument(parser)
    parser.add_argument(
        "--conn-type", metavar="TYPE", help="the connection type: test the options given, not the saved connection"
    )
    field_options(parser)
    on_worker_options(parser)


def on_worker_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--on-worker", action="store_true", default=None,
        help="Airflow 3.3+: run the test on a worker, where tasks use connections, and wait for its outcome"
        " (enqueue_connection_test); it needs --conn-type, since Airflow tests there only what it is sent",
    )
    parser.add_argument("--queue", metavar="QUEUE", help="with --on-worker: the worker queue to send the test to")
    parser.add_argument("--executor", metavar="NAME", help="with --on-worker: the executor to send the test to")
    parser.add_argument(
        "--save-if-passed", action="store_true", default=None,
        help="with --on-worker: save the connection when the test passes (added, or the saved one replaced)",
    )
    parser.add_argument(
        "--poll-interval", type=seconds, metavar="S",
        help=f"with --on-worker: seconds between reads of the outcome ({POLL_SECONDS:g})",
    )
    parser.add_argument(
        "--timeout", type=seconds, metavar="S",
        help="with --on-worker: stop waiting after S seconds (exit 3; the test goes on)",
    )
    only_with(parser, "--on-worker", "--queue", "--executor", "--save-if-passed", "--poll-interval", "--timeout")
    only_with(parser, "--conn-type", "--on-worker")


def connection_id_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("connection_id", metavar="CONN_ID", help="the connection's id (conn_id)")


def show_secrets_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--show-secrets", action="store_true",
        help="print the password and extra's secret values as the server sent them (it may mask some itself)",
    )


def field_options(parser: argparse.ArgumentParser) -> None:
    for names, field, help_text in FIELD_OPTIONS:
        kind: Any = {"port": int_at_least(0), "extra": conf}.get(field, str)
        metavar = {"port": "PORT", "extra": "JSON|@FILE"}.get(field, field.upper())
        parser.add_argument(*names, dest=f"conn_{field}", type=kind, metavar=metavar, help=help_text)


def connection_api(ctx: Context) -> Any:
    """The ConnectionApi of the server's generation (the same method names on both)."""
    if ctx.v2:
        from titanium_airflow_client.v2.sync import ConnectionApi

        return ConnectionApi(ctx.client)
    from titanium_airflow_client.sync import ConnectionApi as ConnectionApiV1

    return ConnectionApiV1(ctx.client)


def shown(ctx: Context, connection: Any) -> Any:
    """The connection as printed: its secrets masked unless ``--show-secrets``."""
    if getattr(ctx.args, "show_secrets", False):
        return connection
    from titanium_airflow_client.cli.masking import masked_connection

    return masked_connection(connection)


def connection_models(ctx: Context) -> Tuple[type, type, type]:
    """The generation's models of a connection listing, of its items and of a connection (``--fields``')."""
    if ctx.v2:
        from titanium_airflow_client.v2.models import ConnectionCollectionResponse, ConnectionResponse

        return ConnectionCollectionResponse, ConnectionResponse, ConnectionResponse
    from titanium_airflow_client.models import Connection, ConnectionCollection, ConnectionCollectionItem

    return ConnectionCollection, ConnectionCollectionItem, Connection  # Airflow 2 lists fewer fields


def list_connections(ctx: Context) -> int:
    from titanium_airflow_client.cli.listing import fetch_paged

    fields = ctx.args.fields
    collection_type, item_type, _ = connection_models(ctx)
    check_fields(item_type, fields)
    collection = fetch_paged(ctx, connection_api(ctx).get_connections, collection_type, "connections")
    if collection.connections:  # masked first: a password asked for is still masked
        collection = collection.model_copy(update={"connections": [shown(ctx, c) for c in collection.connections]})
    collection = only_fields_of_items(collection, "connections", item_type, fields)
    ctx.out.listing(collection, collection.connections, columns(fields, CONNECTION_COLUMNS, item_type), "connections")
    return EXIT_OK


def show_connection(ctx: Context) -> int:
    check_fields(connection_models(ctx)[2], ctx.args.fields)
    connection = connection_api(ctx).get_connection(ctx.args.connection_id)
    detail_of_fields(ctx.out, shown(ctx, connection), ctx.args.fields, first=("connection_id", "conn_type"))
    return EXIT_OK


def add_connection(ctx: Context) -> int:
    args = ctx.args
    body = {"connection_id": args.connection_id, "conn_type": args.conn_type, **given_fields(args)}
    connection = connection_api(ctx).post_connection(body)
    ctx.out.model(shown(ctx, connection), CONNECTION_COLUMNS)
    if not ctx.out.as_json:
        ctx.out.note(f"added connection {args.connection_id}")
    return EXIT_OK


def given_fields(args: argparse.Namespace) -> Dict[str, Any]:
    """The connection's fields given as options, as the API names them (extra: JSON text)."""
    import json

    fields = given(**{field: getattr(args, f"conn_{field}") for field in FIELDS})
    if fields.get("password") == "-":
        import sys

        fields["password"] = sys.stdin.readline().rstrip("\r\n")
    if "extra" in fields:
        fields["extra"] = json.dumps(fields["extra"])
    return fields


def delete_connection(ctx: Context) -> int:
    connection_id = ctx.args.connection_id
    ctx.confirm(f"Delete connection {connection_id}?")
    connection_api(ctx).delete_connection(connection_id)
    if not ctx.out.as_json:
        ctx.out.note(f"deleted connection {connection_id}")
    return EXIT_OK


def test_connection(ctx: Context) -> int:
    args, out = ctx.args, ctx.out
    api = connection_api(ctx)
    fields = given_fields(args)
    if args.on_worker:
        return _test_on_worker(ctx, api, {"connection_id": args.connection_id, "conn_type": args.conn_type, **fields})
    saved = args.conn_type is None
    if saved:
        body = _saved_body(ctx, api.get_connection(args.connection_id))
    else:
        body = {"connection_id": args.connection_id, "conn_type": args.conn_type}
    result = api.test_connection({**body, **fields})
    passed = bool(result.status)
    if out.as_json:
        out.json_text(result.to_json())
    else:
        status = "passed" if passed else "failed"
        out.pairs([("connection_id", args.connection_id), ("status", status), ("message", result.message or "-")])
        if not passed and saved and not ctx.v2 and "password" not in fields:
            out.note(
                "note: Airflow 2 never sends a saved password back (and masks extra's secrets): the test ran "
                "without them; give --conn-password (and --conn-extra) to test with them"
            )
    return EXIT_OK if passed else EXIT_RUN_FAILED


def _test_on_worker(ctx: Context, api: Any, body: Dict[str, Any]) -> int:
    """Airflow 3.3's queued test: a worker runs it and the server keeps its outcome, read by the test's token
    until it is final. The worker sees only ``body``, never the saved connection (hence --conn-type)."""
    import time

    from titanium_airflow_client.exceptions import ApiVersionError

    args, out = ctx.args, ctx.out
    if not ctx.v2:
        raise UsageError("--on-worker needs Airflow 3.3 or later, and the server is Airflow 2; nothing was sent")
    options = given(queue=args.queue, executor=args.executor, commit_on_success=args.save_if_passed)
    try:
        token = api.enqueue_connection_test({**body, **options}).token
    except ApiVersionError as exc:  # said in the words of the command line
        raise UsageError(
            f"--on-worker needs Airflow {exc.needed} or later, and the server is Airflow {exc.server_version};"
            " nothing was sent"
        ) from None
    poll = poll_seconds(args.poll_interval)
    give_up = None if args.timeout is None else time.monotonic() + args.timeout
    while (outcome := api.get_connection_test(token)).state in ACTIVE_TEST_STATES:
        left = None if give_up is None else give_up - time.monotonic()
        if left is not None and left <= 0:
            out.note(
                f"gave up waiting after {args.timeout:g}s: the test of connection {args.connection_id} is"
                f" {outcome.state} and goes on in Airflow"
            )
            return EXIT_WAIT_TIMEOUT
        time.sleep(poll if left is None else min(poll, left))  # the last read is at the timeout
    passed = outcome.state == "success"
    if out.as_json:
        out.json_text(outcome.to_json())
        return EXIT_OK if passed else EXIT_RUN_FAILED
    status = "passed" if passed else outcome.state
    out.pairs([("connection_id", args.connection_id), ("status", status), ("message", outcome.result_message or "-")])
    if passed and args.save_if_passed:
        out.note(f"saved connection {args.connection_id}")
    return EXIT_OK if passed else EXIT_RUN_FAILED


def _saved_body(ctx: Context, connection: Any) -> Dict[str, Any]:
    """What to test of a saved connection. Airflow 3 merges the saved fields and secrets itself, given the
    id and type; Airflow 2 tests only what it is sent: every field the server sent back."""
    if ctx.v2:
        return {"connection_id": connection.connection_id, "conn_type": connection.conn_type}
    sent: Dict[str, Any] = connection.to_dict()
    return sent
