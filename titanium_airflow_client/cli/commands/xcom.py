"""``titanium-airflow xcom``: list the XComs of a DAG run and print one's value, on both generations."""

from __future__ import annotations

import argparse
from typing import Any, Dict, List

from titanium_airflow_client.cli.arguments import given, int_at_least
from titanium_airflow_client.cli.commands.group import (
    Commands,
    dag_id_argument,
    page_options,
    run_id_argument,
    task_id_argument,
)
from titanium_airflow_client.cli.context import Context
from titanium_airflow_client.cli.errors import EXIT_OK
from titanium_airflow_client.cli.listing import fetch_listing
from titanium_airflow_client.cli.output import Column, attr

XCOM_COLUMNS: List[Column] = [
    ("task_id", attr("task_id")),
    ("map_index", attr("map_index")),
    ("key", attr("key")),
    ("timestamp", attr("timestamp")),
]
ALL = "~"  # the API's wildcard for a DAG, run or task


def register(commands: Commands) -> None:
    group = commands.group("xcom", "list the XComs of a DAG run and print their values")

    parser = group.command("list", list_xcoms, "list the XComs of a DAG run, without values (get_xcom_entries)")
    parser.add_argument("dag_id", metavar="DAG_ID", help="the DAG's id (dag_id); ~ for every DAG")
    parser.add_argument(
        "dag_run_id", metavar="RUN_ID", help="the DAG run's id (dag_run_id); ~ for every run of the DAG"
    )
    parser.add_argument(
        "--task", dest="task_id", metavar="TASK_ID", help="only this task's XComs (default: every task)"
    )
    map_index_option(parser)
    parser.add_argument("--key", metavar="KEY", help="only XComs with this key (xcom_key)")
    page_options(parser, "XComs", order_by=False)

    parser = group.command(
        "get", show_xcom, "print an XCom's value: JSON, or text for a string (get_xcom_entry)"
    )
    dag_id_argument(parser)
    run_id_argument(parser)
    task_id_argument(parser)
    parser.add_argument("xcom_key", metavar="KEY", help="the XCom's key, e.g. return_value")
    map_index_option(parser)


def map_index_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--map-index", type=int_at_least(-1), metavar="I",
        help="the index of a mapped task's instance (a mapped task's XComs need it; -1: not mapped)",
    )


def list_xcoms(ctx: Context) -> int:
    args = ctx.args
    query: Dict[str, Any] = dict(
        dag_id=args.dag_id, dag_run_id=args.dag_run_id, task_id=args.task_id or ALL,
        **given(map_index=args.map_index, xcom_key=args.key, limit=args.limit, offset=args.offset),
    )
    if ctx.v2:
        from titanium_airflow_client.v2.sync import XComApi, XComCollectionResponse

        method: Any = XComApi(ctx.client).get_xcom_entries
        collection_type: type = XComCollectionResponse
    else:
        from titanium_airflow_client.sync import XComApi as XComApiV1
        from titanium_airflow_client.sync import XComCollection

        method, collection_type = XComApiV1(ctx.client).get_xcom_entries, XComCollection
    collection, items = fetch_listing(method, query, args.all, collection_type, "xcom_entries")
    if not items and not getattr(collection, "total_entries", None):
        check_named_objects_exist(ctx)
    shown = XCOM_COLUMNS if args.dag_id != ALL else [("dag_id", attr("dag_id")), *XCOM_COLUMNS]
    ctx.out.listing(collection, items, shown, "XComs")
    return EXIT_OK


def check_named_objects_exist(ctx: Context) -> None:
    """Airflow lists no XComs for a DAG, run or task it does not know: ask for them, so that one is a 404."""
    args = ctx.args
    if ctx.v2:
        from titanium_airflow_client.v2.sync import DAGApi, DagRunApi, TaskApi

        dags: Any = DAGApi(ctx.client)
        runs: Any = DagRunApi(ctx.client)
        tasks: Any = TaskApi(ctx.client)
    else:
        from titanium_airflow_client.sync import DAGApi as DAGApiV1
        from titanium_airflow_client.sync import DAGRunApi

        dags = tasks = DAGApiV1(ctx.client)
        runs = DAGRunApi(ctx.client)
    if args.dag_id == ALL:
        return
    if args.dag_run_id == ALL:
        dags.get_dag(args.dag_id)
    else:
        runs.get_dag_run(args.dag_id, args.dag_run_id)
    if args.task_id and args.task_id != ALL:
        tasks.get_task(args.dag_id, args.task_id)


def show_xcom(ctx: Context) -> int:
    args = ctx.args
    ids = (args.dag_id, args.dag_run_id, args.task_id, args.xcom_key)
    if ctx.v2:
        from titanium_airflow_client.v2.sync import XComApi

        # deserialize: the value a task pulls, also from a custom XCom backend; native, not str() of it
        answer: Any = XComApi(ctx.client).get_xcom_entry(
            args.dag_id, args.task_id, args.dag_run_id, args.xcom_key, deserialize=True, stringify=False,
            **given(map_index=args.map_index),
        )
        entry = answer.actual_instance
    else:
        from titanium_airflow_client.sync import XComApi as XComApiV1

        # stringify=False: the value itself, not Python's str() of it (deserialize needs a server setting)
        entry = answer = XComApiV1(ctx.client).get_xcom_entry(
            *ids, stringify=False, **given(map_index=args.map_index)
        )
    if ctx.out.as_json:
        ctx.out.json_text(answer.to_json())
    else:
        ctx.out.json_text(value_text(entry.value))
    return EXIT_OK


def value_text(value: Any) -> str:
    """A string as it is; anything else (objects, lists, numbers, true/false, null) as JSON."""
    if isinstance(value, str):
        return value
    import json

    return json.dumps(value, ensure_ascii=False, indent=2)
