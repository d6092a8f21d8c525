"""``titanium-airflow tasks``: list and show the tasks of a DAG, and the states of a run's task instances."""

from __future__ import annotations

from typing import Any, List

from titanium_airflow_client.cli.arguments import given
from titanium_airflow_client.cli.commands.group import Commands, dag_id_argument, run_id_argument, task_id_argument
from titanium_airflow_client.cli.context import Context
from titanium_airflow_client.cli.errors import EXIT_OK
from titanium_airflow_client.cli.generation_apis import dag_run_api, every, task_api, task_instance_api
from titanium_airflow_client.cli.output import Column, attr


def _operator(task: Any) -> Any:
    """The operator's name; else its class (a model on Airflow 2, a dict on Airflow 3)."""
    if task.operator_name:
        return task.operator_name
    class_ref = task.class_ref
    return class_ref.get("class_name") if isinstance(class_ref, dict) else getattr(class_ref, "class_name", None)


def _whole(value: Any) -> Any:
    """Airflow 3 sends counts such as retries as numbers with a fraction (1.0): shown as 1."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _seconds(value: Any) -> Any:
    return None if value is None else f"{value:.1f}"


TASK_COLUMNS: List[Column] = [
    ("task_id", attr("task_id")),
    ("operator", _operator),
    ("owner", attr("owner")),
    ("trigger_rule", attr("trigger_rule")),
    ("retries", lambda task: _whole(task.retries)),
    ("downstream", attr("downstream_task_ids")),
]
TASK_STATE_COLUMNS: List[Column] = [
    ("task_id", attr("task_id")),
    ("map_index", attr("map_index")),
    ("state", lambda ti: ti.state if ti.state is not None else "none"),
    ("try_number", attr("try_number")),
    ("start_date", attr("start_date")),
    ("duration", lambda ti: _seconds(ti.duration)),
]


def register(commands: Commands) -> None:
    group = commands.group("tasks", "list and show the tasks of a DAG, and the states of a run's tasks")

    parser = group.command("list", list_tasks, "list the tasks of a DAG (get_tasks)")
    dag_id_argument(parser)
    parser.add_argument("--order-by", help="field to sort by; prefix - to reverse, e.g. -task_id")

    parser = group.command("get", show_task, "show a task (get_task)")
    dag_id_argument(parser)
    task_id_argument(parser)

    parser = group.command(
        "states", show_task_states,
        "each task instance of a DAG run: state, try, start, duration in seconds (get_task_instances, every page)",
    )
    dag_id_argument(parser)
    run_id_argument(parser)


def list_tasks(ctx: Context) -> int:
    collection = task_api(ctx).get_tasks(ctx.args.dag_id, **given(order_by=ctx.args.order_by))
    ctx.out.listing(collection, collection.tasks, TASK_COLUMNS, "tasks")
    return EXIT_OK


def show_task(ctx: Context) -> int:
    ctx.out.detail(task_api(ctx).get_task(ctx.args.dag_id, ctx.args.task_id))
    return EXIT_OK


def show_task_states(ctx: Context) -> int:
    """The run's task instances in the order they started (those not started last), all pages."""
    from datetime import datetime, timezone

    args = ctx.args
    api = task_instance_api(ctx)
    instances = list(every(api.get_task_instances, args.dag_id, args.dag_run_id))
    if not instances:
        dag_run_api(ctx).get_dag_run(args.dag_id, args.dag_run_id)  # Airflow lists none for an unknown run: a 404
    collection_type: Any
    if ctx.v2:
        from titanium_airflow_client.v2.sync import TaskInstanceCollectionResponse as collection_type
    else:
        from titanium_airflow_client.models import TaskInstanceCollection as collection_type
    latest = datetime.max.replace(tzinfo=timezone.utc)
    instances.sort(key=lambda ti: (ti.start_date or latest, ti.task_id or "", ti.map_index or 0))
    collection = collection_type(task_instances=instances, total_entries=len(instances))
    ctx.out.listing(collection, instances, TASK_STATE_COLUMNS, "task instances")
    return EXIT_OK
