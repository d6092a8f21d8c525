"""``titanium-airflow dags``: list, show, pause, unpause and delete DAGs, and print their source.

Handlers import the library when they run, so that parsing the command line stays instant.
"""

from __future__ import annotations

from typing import List

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
        "dag_id", metavar="DAG_ID", nargs="?", help="the DAG's id (its file_token is looked up); or give --file-token"
    )
    parser.add_argument("--file-token", help="the file_token itself, instead of DAG_ID")

    parser = group.command("pause", pause_dag, "pause a DAG (patch_dag is_paused=true)")
    dag_id_argument(parser)

    parser = group.command("unpause", unpause_dag, "unpause a DAG (patch_dag is_paused=false)")
    dag_id_argument(parser)

    parser = group.command("delete", delete_dag, "delete a DAG's metadata: runs, task instances (delete_dag)")
    dag_id_argument(parser)
    yes_option(parser)


def list_dags(ctx: Context) -> int:
    from titanium_airflow_client.models import DAGCollection
    from titanium_airflow_client.sync import DAGApi, paginate

    args = ctx.args
    api = DAGApi(ctx.client)
    query = given(
        limit=args.limit, offset=args.offset, order_by=args.order_by, tags=args.tag,
        only_active=False if args.include_inactive else None, paused=args.paused, fields=args.fields,
        dag_id_pattern=args.pattern,
    )
    if args.all:
        dags = list(paginate(api.get_dags)(**query))
        collection = DAGCollection(dags=dags, total_entries=len(dags))
    else:
        collection = api.get_dags(**query)
    ctx.out.listing(collection, collection.dags, columns(args.fields, DAG_COLUMNS), "DAGs")
    return EXIT_OK


def show_dag(ctx: Context) -> int:
    from titanium_airflow_client.sync import DAGApi

    dag = DAGApi(ctx.client).get_dag(ctx.args.dag_id, **given(fields=ctx.args.fields))
    ctx.out.detail(dag, first=ctx.args.fields or ())
    return EXIT_OK


def show_dag_details(ctx: Context) -> int:
    from titanium_airflow_client.sync import DAGApi

    details = DAGApi(ctx.client).get_dag_details(ctx.args.dag_id, **given(fields=ctx.args.fields))
    ctx.out.detail(details, first=ctx.args.fields or ())
    return EXIT_OK


def print_dag_source(ctx: Context) -> int:
    from titanium_airflow_client.sync import DAGApi

    args = ctx.args
    api = DAGApi(ctx.client)
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


def pause_dag(ctx: Context) -> int:
    return _set_paused(ctx, True)


def unpause_dag(ctx: Context) -> int:
    return _set_paused(ctx, False)


def _set_paused(ctx: Context, paused: bool) -> int:
    from titanium_airflow_client.models import DAG
    from titanium_airflow_client.sync import DAGApi

    dag = DAGApi(ctx.client).patch_dag(ctx.args.dag_id, DAG(is_paused=paused), update_mask=["is_paused"])
    ctx.out.model(dag, DAG_COLUMNS)
    return EXIT_OK


def delete_dag(ctx: Context) -> int:
    from titanium_airflow_client.sync import DAGApi

    dag_id = ctx.args.dag_id
    ctx.confirm(f"Delete DAG {dag_id} with all its runs and task instances?")
    DAGApi(ctx.client).delete_dag(dag_id)
    if not ctx.out.as_json:
        ctx.out.note(f"deleted DAG {dag_id}")
    return EXIT_OK
