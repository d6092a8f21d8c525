"""BasicDAGRun: the short form of a DAG run inside a dataset event."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ApiModel, DateTime
from .dag_state import DagState


class BasicDAGRun(ApiModel):
    """A DAG run, in short."""

    run_id: Optional[str] = Field(
        default=None, description="Run ID (spec name; the server sends dag_run_id)."
    )
    # Server sends this, spec lacks it: the run ID under the key DAGRun uses.
    dag_run_id: Optional[str] = Field(default=None, description="Run ID as the server sends it.")
    dag_id: Optional[str] = Field(default=None, description="The DAG ID.")
    logical_date: Optional[DateTime] = Field(
        default=None, description="The logical date (formerly execution date)."
    )
    start_date: Optional[DateTime] = Field(default=None, description="When the DAG run was actually started.")
    end_date: Optional[DateTime] = Field(default=None, description="When the DAG run ended.")
    data_interval_start: Optional[DateTime] = Field(
        default=None, description="The beginning of the interval the DAG run covers."
    )
    data_interval_end: Optional[DateTime] = Field(
        default=None, description="The end of the interval the DAG run covers."
    )
    state: Optional[DagState] = Field(default=None, description="DAG run state.")
