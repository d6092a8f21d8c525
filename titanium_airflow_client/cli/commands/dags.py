"""``titanium-airflow dags``: list, show, pause, unpause and delete DAGs, and print their source.

Handlers import the library when they run, so that parsing the command line stays instant.
"""

from __future__ import annotations

from typing import Any, List

from titanium_airflow_client.cli.arguments import comma_list, given
from titanium_airflow_client.cli.commands.group import (
    Commands,
    dag_id_argument,
    fields_option,
    page_options,
    yes_option,
)
from titanium_airflow_client.cli.context import Context
from titanium_airflow_client.cli.errors import EXIT_OK, UsageError
from titanium_airflow_client.cli.field_choice import check_fields, only_fields, only_fields_of_items
from titanium_airflow_client.cli.generation_apis import dag_api, every, order_by
from titanium_airflow_client.cli.output import Column, attr, columns

DAG_COLUMNS: List[Column] = [
    ("dag_id", attr("dag_id")),
    ("paused", attr("is_paused")),
    ("active", attr("is_active")),
    ("schedule", attr("schedule_interval")),
    ("next_run", attr("next_dagrun")),
    ("tags", attr("tags")),
    ("owners", attr("owners")),
]
# Airflow 3's DAG: is_stale instead of is_active, a timetable summary instead of the schedule, tags as objects.
DAG_COLUMNS_V2: List[Column] = [
    ("dag_id", attr("dag_id")),
    ("paused", attr("is_paused")),
    ("active", lambda dag: None if dag.is_stale is None else not dag.is_stale),
    ("schedule", attr("timetable_summary")),
    ("next_run", lambda dag: dag.next_dagrun_logical_date or dag.next_dagrun_run_after),
    ("tags", lambda dag: [tag.name for tag in dag.tags or []]),
    ("owners", attr("owners")),
]


def register(commands: Commands) -> None:
    group = commands.group("dags", "list, show, pause, unpause and delete DAGs")

    parser = group.command("list", list_dags, "list DAGs (get_dags)")
    page_options(parser, "DAGs")
    parser.add_argument(
        "--tag", type=comma_list, action="extend", metavar="TAG",
        help="only DAGs with this tag (repeatable or comma-separated: any of them)",
    )
    parser.add_argument("--pattern", metavar="TEXT", help="only DAG ids containing TEXT (dag_id_pattern)")
    paused = parser.add_mutually_exclusive_group()
    paused.add_argument("--paused", dest="paused", action="store_const", const=True, help="only paused DAGs")
    paused.add_argument("--unpaused", dest="paused", action="store_const", const=False, help="only unpaused DAGs")
    parser.add_argument("--include-inactive", action="store_true", help="also DAGs the scheduler no longer sees")
    fields_option(parser)

    parser = group.command("get", show_dag, "show a DAG (get_dag)")
    dag_id_argument(parser)
    fields_option(parser)

    parser = group.command("details", show_dag_details, "show a DAG's details: schedule, params, ... (get_dag_details)")
    dag_id_argument(parser)
    fields_option(parser)

    parser = group.command("source", print_dag_source, "print the source of a DAG's file (get_dag_source)")
    parser.add_argument(
        "dag_id", metavar="DAG_ID", nargs="?",
        help="the DAG's id (on Airflow 2 its file_token is looked up); or give --file-token (Airflow 2)",
    )
    parser.add_argument("--file-token", help="the file_token itself, instead of DAG_ID (Airflow 2 only)")

    parser = group.command("pause", pause_dag, "pause a DAG (patch_dag is_paused=true)")
    dag_id_argument(parser)

    parser = group.command("unpause", unpause_dag, "unpause a DAG (patch_dag is_paused=false)")
    dag_id_argument(parser)

    parser = group.command("delete", delete_dag, "delete a DAG's metadata: runs, task instances (delete_dag)")
    dag_id_argument(parser)
    yes_option(parser)


def list_dags(ctx: Context) -> int:
    args = ctx.args
    api = dag_api(ctx)
    query = given(
        limit=args.limit, offset=args.offset, order_by=order_by(ctx, args.order_by), tags=args.tag,
        paused=args.paused, dag_id_pattern=args.pattern,
    )
    if ctx.v2:
        from titanium_airflow_client.v2.sync import DAGCollectionResponse, DAGResponse

        query.update(given(exclude_stale=False if args.include_inactive else None))
        if args.fields:
            check_fields(DAGResponse, args.fields)
        if args.all:
            dags = list(every(api.get_dags, **query))
            collection: Any = DAGCollectionResponse(dags=dags, total_entries=len(dags))
        else:
            collection = api.get_dags(**query)
        collection = only_fields_of_items(collection, "dags", DAGResponse, args.fields)
    else:
        from titanium_airflow_client.models import DAGCollection

        query.update(given(only_active=False if args.include_inactive else None, fields=args.fields))
        if args.all:
            dags = list(every(api.get_dags, **query))
            collection = DAGCollection(dags=dags, total_entries=len(dags))
        else:
            collection = api.get_dags(**query)
    ctx.out.listing(collection, collection.dags, columns(args.fields, _dag_columns(ctx)), "DAGs")
    return EXIT_OK


def _dag_columns(ctx: Context) -> List[Column]:
    return DAG_COLUMNS_V2 if ctx.v2 else DAG_COLUMNS


def show_dag(ctx: Context) -> int:
    ctx.out.detail(_dag_model(ctx, "get_dag"), first=ctx.args.fields or ())
    return EXIT_OK


def show_dag_details(ctx: Context) -> int:
    ctx.out.detail(_dag_model(ctx, "get_dag_details"), first=ctx.args.fields or ())
    return EXIT_OK


def _dag_model(ctx: Context, method: str) -> Any:
    """``get_dag`` or ``get_dag_details``, with ``--fields`` (asked of Airflow 2, applied here for Airflow 3)."""
    call = getattr(dag_api(ctx), method)
    if ctx.v2:
        return only_fields(call(ctx.args.dag_id), ctx.args.fields)
    return call(ctx.args.dag_id, **given(fields=ctx.args.fields))


def print_dag_source(ctx: Context) -> int:
    args = ctx.args
    if ctx.v2:
        source = _dag_source_v2(ctx)
    else:
        api = dag_api(ctx)
        file_token = args.file_token
        if file_token is None:
            if args.dag_id is None:
                raise UsageError("dags source needs a DAG_ID or --file-token")
            file_token = api.get_dag(args.dag_id).file_token
            if not file_token:
                raise UsageError(f"the server sent no file_token for DAG {args.dag_id}")
        source = api.get_dag_source(file_token)
    if ctx.out.as_json:
        ctx.out.json_text(source.to_json())
    else:
        content = source.content or ""
        ctx.out.out.write(content if content.endswith("\n") or not content else content + "\n")
        ctx.out.out.flush()
    return EXIT_OK


def _dag_source_v2(ctx: Context) -> Any:
    """Airflow 3 finds the source by the DAG's id (get_dag_source); it has no file tokens for it."""
    from titanium_airflow_client.v2.sync import DagSourceApi

    if ctx.args.file_token is not None:
        raise UsageError("Airflow 3 finds a DAG's source by its DAG_ID; --file-token is for Airflow 2")
    if ctx.args.dag_id is None:
        raise UsageError("dags source needs a DAG_ID")
    return DagSourceApi(ctx.client).get_dag_source(ctx.args.dag_id)


def pause_dag(ctx: Context) -> int:
    return _set_paused(ctx, True)


def unpause_dag(ctx: Context) -> int:
    return _set_paused(ctx, False)


def _set_paused(ctx: Context, paused: bool) -> int:
    patch: Any
    if ctx.v2:
        from titanium_airflow_client.v2.sync import DAGPatchBody as patch
    else:
        from titanium_airflow_client.models import DAG as patch
    dag = dag_api(ctx).patch_dag(ctx.args.dag_id, patch(is_paused=paused), update_mask=["is_paused"])
    ctx.out.model(dag, _dag_columns(ctx))
    return EXIT_OK


def delete_dag(ctx: Context) -> int:
    dag_id = ctx.args.dag_id
    ctx.confirm(f"Delete DAG {dag_id} with all its runs and task instances?")
    dag_api(ctx).delete_dag(dag_id)
    if not ctx.out.as_json:
        ctx.out.note(f"deleted DAG {dag_id}")
    return EXIT_OK
