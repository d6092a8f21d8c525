"""UpdateTaskInstancesState: the body of post_set_task_instances_state."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ApiModel, DateTime
from .update_task_state import UpdateTaskState


class UpdateTaskInstancesState(ApiModel):
    """The new state of a task instance and of the ones related to it."""

    __read_only_fields__ = frozenset()  # every field is a request field
    # The server requires the four include_* flags (the spec calls them optional): send false unless set.
    __always_sent_fields__ = ("include_upstream", "include_downstream", "include_future", "include_past")

    dry_run: Optional[bool] = Field(
        default=True,
        description="If set, only list the task instances that would be affected (server default: true too).",
    )
    task_id: Optional[str] = Field(default=None, description="The task ID (required by the server).")
    execution_date: Optional[DateTime] = Field(
        default=None, description="The execution date. Either set this or dag_run_id but not both."
    )
    dag_run_id: Optional[str] = Field(
        default=None, description="The DAG run ID. Either set this or execution_date but not both."
    )
    include_upstream: Optional[bool] = Field(
        default=False, description="Also affect upstream tasks (always sent: the server requires it)."
    )
    include_downstream: Optional[bool] = Field(
        default=False, description="Also affect downstream tasks (always sent: the server requires it)."
    )
    include_future: Optional[bool] = Field(
        default=False,
        description="Also affect tasks of future DAG runs (always sent: the server requires it).",
    )
    include_past: Optional[bool] = Field(
        default=False, description="Also affect tasks of past DAG runs (always sent: the server requires it)."
    )
    new_state: Optional[UpdateTaskState] = Field(
        default=None, description="Expected new state (required by the server)."
    )
