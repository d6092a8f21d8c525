"""DAGRun: a run of a DAG; also the body of post_dag_run."""

from __future__ import annotations

from typing import Any, Dict, Optional

from pydantic import Field

from ._base import ApiModel, DateTime
from .dag_run_type import DagRunType
from .dag_state import DagState


class DAGRun(ApiModel):
    """A DAG run."""

    # dump_only in the server's DAGRunSchema; sending any of them makes post_dag_run fail with 400.
    __read_only_fields__ = frozenset(
        {
            "dag_id",
            "start_date",
            "end_date",
            "state",
            "external_trigger",
            "last_scheduling_decision",
            "run_type",
        }
    )

    dag_run_id: Optional[str] = Field(
        default=None,
        description="Run ID; settable only on creation, generated from the logical date if unset.",
    )
    dag_id: Optional[str] = Field(default=None, description="The DAG ID.")
    logical_date: Optional[DateTime] = Field(
        default=None, description="The logical date (formerly execution date); settable only on creation."
    )
    execution_date: Optional[DateTime] = Field(
        default=None, description="Deprecated since 2.2.0: same as logical_date, kept for compatibility."
    )
    start_date: Optional[DateTime] = Field(default=None, description="When the DAG run was actually started.")
    end_date: Optional[DateTime] = Field(default=None, description="When the DAG run ended.")
    data_interval_start: Optional[DateTime] = Field(
        default=None, description="The beginning of the interval the DAG run covers."
    )
    data_interval_end: Optional[DateTime] = Field(
        default=None, description="The end of the interval the DAG run covers."
    )
    last_scheduling_decision: Optional[DateTime] = Field(
        default=None, description="When the scheduler last looked at this run."
    )
    run_type: Optional[DagRunType] = Field(default=None, description="How the run came about.")
    state: Optional[DagState] = Field(default=None, description="DAG run state.")
    external_trigger: Optional[bool] = Field(
        default=None, description="Whether the run was triggered externally."
    )
    conf: Optional[Dict[str, Any]] = Field(
        default=None, description="Configuration parameters of the run; settable only on creation."
    )
    note: Optional[str] = Field(default=None, description="Notes left by users about the DAG run.")
