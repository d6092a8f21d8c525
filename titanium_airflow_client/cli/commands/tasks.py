"""``titanium-airflow tasks``: list and show the tasks of a DAG."""

from __future__ import annotations

from typing import List

from titanium_airflow_client.cli.arguments import given
from titanium_airflow_client.cli.commands.group import Commands, dag_id_argument, task_id_argument
from titanium_airflow_client.cli.context import Context
from titanium_airflow_client.cli.errors import EXIT_OK
from titanium_airflow_client.cli.output import Column, attr

TASK_COLUMNS: List[Column] = [
    ("task_id", attr("task_id")),
    ("operator", lambda task: task.operator_name or (task.class_ref.class_name if task.class_ref else None)),
    ("owner", attr("owner")),
    ("trigger_rule", attr("trigger_rule")),
    ("retries", attr("retries")),
    ("downstream", attr("downstream_task_ids")),
]


def register(commands: Commands) -> None:
    group = commands.group("tasks", "list and show the tasks of a DAG")

    parser = group.command("list", list_tasks, "list the tasks of a DAG (get_tasks)")
    dag_id_argument(parser)
    parser.add_argument("--order-by", help="field to sort by; prefix - to reverse, e.g. -task_id")

    parser = group.command("get", show_task, "show a task (get_task)")
    dag_id_argument(parser)
    task_id_argument(parser)


def list_tasks(ctx: Context) -> int:
    from titanium_airflow_client.sync import DAGApi

    collection = DAGApi(ctx.client).get_tasks(ctx.args.dag_id, **given(order_by=ctx.args.order_by))
    ctx.out.listing(collection, collection.tasks, TASK_COLUMNS, "tasks")
    return EXIT_OK


def show_task(ctx: Context) -> int:
    from titanium_airflow_client.sync import DAGApi

    ctx.out.detail(DAGApi(ctx.client).get_task(ctx.args.dag_id, ctx.args.task_id))
    return EXIT_OK
