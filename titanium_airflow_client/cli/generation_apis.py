"""The blocking API classes whose methods have the same names on both generations, picked by ``ctx.v2``.

v1 (Airflow 2) uses ``titanium_airflow_client.sync``'s classes, v2 (Airflow 3) ``titanium_airflow_client.v2.sync``'s;
where a method's parameters differ between the two, the handler passes what that generation takes.
Each import happens when a handler asks, so that parsing the command line stays instant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterator

if TYPE_CHECKING:
    from titanium_airflow_client.cli.context import Context


def dag_api(ctx: Context) -> Any:
    """``get_dag``, ``get_dag_details``, ``patch_dag``, ``delete_dag`` (and ``get_tasks``/``get_task`` on v1)."""
    if ctx.v2:
        from titanium_airflow_client.v2.sync import DAGApi as DAGApiV2

        return DAGApiV2(ctx.client)
    from titanium_airflow_client.sync import DAGApi

    return DAGApi(ctx.client)


def task_api(ctx: Context) -> Any:
    """``get_tasks``, ``get_task``: ``DAGApi`` on v1, ``TaskApi`` on v2."""
    if ctx.v2:
        from titanium_airflow_client.v2.sync import TaskApi

        return TaskApi(ctx.client)
    return dag_api(ctx)


def dag_run_api(ctx: Context) -> Any:
    """``get_dag_run(s)``, ``clear_dag_run``, ``delete_dag_run``: ``DAGRunApi`` on v1, ``DagRunApi`` on v2."""
    if ctx.v2:
        from titanium_airflow_client.v2.sync import DagRunApi

        return DagRunApi(ctx.client)
    from titanium_airflow_client.sync import DAGRunApi

    return DAGRunApi(ctx.client)


def task_instance_api(ctx: Context) -> Any:
    """``get_task_instance(s)``, ``get_mapped_task_instance``, ``get_log``."""
    if ctx.v2:
        from titanium_airflow_client.v2.sync import TaskInstanceApi as TaskInstanceApiV2

        return TaskInstanceApiV2(ctx.client)
    from titanium_airflow_client.sync import TaskInstanceApi

    return TaskInstanceApi(ctx.client)


def every(method: Callable[..., Any], *args: Any, **kwargs: Any) -> Iterator[Any]:
    """Every item of a list method of either generation, page by page (one ``paginate`` serves both)."""
    from titanium_airflow_client.sync import paginate

    pages: Callable[..., Iterator[Any]] = paginate(method)
    return pages(*args, **kwargs)


def order_by(ctx: Context, field: Any) -> Any:
    """``--order-by`` as the generation takes it: a string on v1, a list on v2 (None: not given)."""
    if field is None or not ctx.v2:
        return field
    return [field]
