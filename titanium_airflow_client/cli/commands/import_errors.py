"""``titanium-airflow import-errors``: the DAG files the scheduler (Airflow 3: the DAG processor) cannot import."""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

from titanium_airflow_client.cli.arguments import given, positive_int
from titanium_airflow_client.cli.commands.group import Commands, page_options
from titanium_airflow_client.cli.context import Context
from titanium_airflow_client.cli.errors import EXIT_OK
from titanium_airflow_client.cli.listing import fetch_listing
from titanium_airflow_client.cli.output import Column, attr, cell

TRACEBACK_HEADER = "Traceback (most recent call last):"


def error_line(stack_trace: Optional[str]) -> Optional[str]:
    """The line that says what failed: the first of the stack trace, or for a Python traceback its last
    (the exception; the first only says that a traceback follows)."""
    lines = [line.strip() for line in (stack_trace or "").splitlines() if line.strip()]
    if not lines:
        return None
    return lines[-1] if lines[0] == TRACEBACK_HEADER else lines[0]


def import_error_columns(v2: bool) -> List[Column]:
    bundle: List[Column] = [("bundle_name", attr("bundle_name"))] if v2 else []  # Airflow 3's DAG bundles
    return [
        ("id", attr("import_error_id")),
        ("filename", attr("filename")),
        *bundle,
        ("timestamp", attr("timestamp")),
        ("error", lambda error: error_line(error.stack_trace)),
    ]


def register(commands: Commands) -> None:
    group = commands.group("import-errors", "the DAG files that fail to import, and why")
    parser = group.command(
        "list", list_import_errors,
        "list import errors: file, time, what failed; --json has the whole stack trace (get_import_errors)",
    )
    page_options(parser, "import errors")
    parser = group.command(
        "get", show_import_error,
        "show one import error: its fields, what failed, and the whole stack trace last, as written (get_import_error)",
    )
    parser.add_argument(
        "import_error_id", type=positive_int, metavar="ID", help="the import error's id (import_error_id), as listed"
    )


def list_import_errors(ctx: Context) -> int:
    args = ctx.args
    order_by: Any = args.order_by
    if ctx.v2:
        from titanium_airflow_client.v2.sync import ImportErrorApi, ImportErrorCollectionResponse

        method: Any = ImportErrorApi(ctx.client).get_import_errors
        collection_type: type = ImportErrorCollectionResponse
        order_by = [order_by] if order_by else None  # Airflow 3 takes a list
    else:
        from titanium_airflow_client.sync import ImportErrorApi as ImportErrorApiV1
        from titanium_airflow_client.sync import ImportErrorCollection

        method, collection_type = ImportErrorApiV1(ctx.client).get_import_errors, ImportErrorCollection
    query = given(limit=args.limit, offset=args.offset, order_by=order_by)
    collection, items = fetch_listing(method, query, args.all, collection_type, "import_errors")
    ctx.out.listing(collection, items, import_error_columns(ctx.v2), "import errors")
    return EXIT_OK


def show_import_error(ctx: Context) -> int:
    if ctx.v2:
        from titanium_airflow_client.v2.sync import ImportErrorApi

        error: Any = ImportErrorApi(ctx.client).get_import_error(ctx.args.import_error_id)
    else:
        from titanium_airflow_client.sync import ImportErrorApi as ImportErrorApiV1

        error = ImportErrorApiV1(ctx.client).get_import_error(ctx.args.import_error_id)
    if ctx.out.as_json:
        ctx.out.json_text(error.to_json())
    else:
        _print_detail(ctx, error)
    return EXIT_OK


def _print_detail(ctx: Context, error: Any) -> None:
    """One field per line, then ``error`` (as ``list`` shows it) and the stack trace: its lines as written, the
    later ones under the first, so that a traceback reads as one."""
    pairs: List[Tuple[str, str]] = [
        (name, cell(getattr(error, name)))
        for name in type(error).model_fields
        if name in error.model_fields_set and name != "stack_trace"
    ]
    trace = (error.stack_trace or "").rstrip().splitlines() or ["-"]
    pairs += [("error", cell(error_line(error.stack_trace))), ("stack_trace", trace[0])]
    ctx.out.pairs(pairs)
    margin = " " * (max(len(name) for name, _ in pairs) + 2)  # where ``pairs`` puts the values
    out = ctx.out.out
    for line in trace[1:]:
        out.write(f"{margin}{line}\n" if line else "\n")
    out.flush()
