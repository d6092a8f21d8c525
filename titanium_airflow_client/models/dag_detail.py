"""DAGDetail: a DAG with the details only the parsed DAG file knows."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Union

from pydantic import Field

from ._base import DateTime
from .dag import DAG
from .time_delta import TimeDelta


class DAGDetail(DAG):
    """DAG details.

    For details see: [airflow.models.dag.DAG](https://airflow.apache.org/docs/apache-airflow/stable/
    _api/airflow/models/dag/index.html#airflow.models.dag.DAG)
    """

    # Not a request body itself, but a DAGDetail passed where a DAG is patched must send only is_paused.
    __read_only_fields__ = DAG.__read_only_fields__ | frozenset(
        {
            "timezone",
            "catchup",
            "orientation",
            "concurrency",
            "start_date",
            "dag_run_timeout",
            "dataset_expression",
            "doc_md",
            "params",
            "end_date",
            "is_paused_upon_creation",
            "last_parsed",
            "template_search_path",
            "template_searchpath",
            "render_template_as_native_obj",
        }
    )

    timezone: Optional[str] = Field(default=None, description="The DAG's time zone, e.g. 'UTC'.")
    catchup: Optional[bool] = Field(default=None, description="Whether the scheduler backfills missed runs.")
    orientation: Optional[str] = Field(default=None, description="Graph orientation in the UI, e.g. 'LR'.")
    # Spec says number; the server sends max_active_tasks, an integer.
    concurrency: Optional[int] = Field(default=None, description="Deprecated alias of max_active_tasks.")
    start_date: Optional[DateTime] = Field(default=None, description="The DAG's start date.")
    dag_run_timeout: Optional[TimeDelta] = Field(default=None, description="Timeout of a DAG run.")
    dataset_expression: Optional[Dict[str, Any]] = Field(
        default=None, description="Nested dataset any/all conditions."
    )
    doc_md: Optional[str] = Field(default=None, description="DAG documentation in markdown.")
    params: Optional[Dict[str, Any]] = Field(
        default=None, description="User-specified DAG params, each as the server dumps a Param."
    )
    end_date: Optional[DateTime] = Field(default=None, description="The DAG's end date.")
    is_paused_upon_creation: Optional[bool] = Field(
        default=None, description="Whether the DAG is paused upon creation."
    )
    last_parsed: Optional[DateTime] = Field(default=None, description="The last time the DAG was parsed.")
    template_search_path: Optional[List[str]] = Field(
        default=None,
        description="The template search path (spec name; the server sends template_searchpath).",
    )
    # Server sends this, spec lacks it: str() of the Python value, e.g. "['/a', '/b']", or null.
    template_searchpath: Optional[Union[str, List[str]]] = Field(
        default=None, description="The template search path as the server sends it."
    )
    render_template_as_native_obj: Optional[bool] = Field(
        default=None, description="Whether to render templates as native Python objects."
    )
