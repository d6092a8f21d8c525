"""ClearTaskInstances: the body of post_clear_task_instances."""

from __future__ import annotations

from typing import List, Optional

from pydantic import Field

from ._base import ApiModel, DateTime


class ClearTaskInstances(ApiModel):
    """Which task instances of a DAG to clear.

    The server's form defaults equal the spec's (dry_run and only_failed true), so
    unset fields are simply left out.
    """

    __read_only_fields__ = frozenset()  # every field is a request field

    dry_run: Optional[bool] = Field(
        default=True,
        description="If set, only list the task instances that would be cleared (server default: true too).",
    )
    task_ids: Optional[List[str]] = Field(default=None, description="Task IDs to clear (at least one).")
    start_date: Optional[DateTime] = Field(default=None, description="The minimum execution date to clear.")
    end_date: Optional[DateTime] = Field(default=None, description="The maximum execution date to clear.")
    only_failed: Optional[bool] = Field(default=True, description="Only clear failed tasks.")
    only_running: Optional[bool] = Field(default=False, description="Only clear running tasks.")
    include_subdags: Optional[bool] = Field(
        default=None, description="Also clear subdags and tasks behind ExternalTaskMarkers."
    )
    include_parentdag: Optional[bool] = Field(
        default=None, description="Also clear the parent DAG of a subdag."
    )
    reset_dag_runs: Optional[bool] = Field(
        default=None, description="Set the state of the DAG runs to queued."
    )
    dag_run_id: Optional[str] = Field(default=None, description="The DAG run whose task instances to clear.")
    include_upstream: Optional[bool] = Field(default=False, description="Also affect upstream tasks.")
    include_downstream: Optional[bool] = Field(default=False, description="Also affect downstream tasks.")
    include_future: Optional[bool] = Field(default=False, description="Also affect tasks of future DAG runs.")
    include_past: Optional[bool] = Field(default=False, description="Also affect tasks of past DAG runs.")
