"""TaskInstance: a run of one task in one DAG run."""

from __future__ import annotations

from typing import Any, Dict, Optional

from pydantic import Field

from ._base import ApiModel, DateTime
from .job import Job
from .sla_miss import SLAMiss
from .task_state import TaskState
from .trigger import Trigger


class TaskInstance(ApiModel):
    """A task instance."""

    task_id: Optional[str] = Field(default=None, description="The task ID.")
    task_display_name: Optional[str] = Field(
        default=None, description="Human centric display text for the task."
    )
    dag_id: Optional[str] = Field(default=None, description="The DAG ID.")
    dag_run_id: Optional[str] = Field(default=None, description="The DagRun ID for this task instance.")
    execution_date: Optional[DateTime] = Field(default=None, description="Execution (logical) date.")
    start_date: Optional[DateTime] = Field(default=None, description="When the task instance started.")
    end_date: Optional[DateTime] = Field(default=None, description="When the task instance ended.")
    duration: Optional[float] = Field(default=None, description="Run time in seconds.")
    state: Optional[TaskState] = Field(default=None, description="Task state; null when not yet set.")
    try_number: Optional[int] = Field(default=None, description="Current try number.")
    map_index: Optional[int] = Field(default=None, description="Map index; -1 when not mapped.")
    max_tries: Optional[int] = Field(default=None, description="Maximum number of tries.")
    hostname: Optional[str] = Field(default=None, description="Host the task ran on.")
    unixname: Optional[str] = Field(default=None, description="Unix user the task ran as.")
    pool: Optional[str] = Field(default=None, description="Pool of the task.")
    pool_slots: Optional[int] = Field(default=None, description="Pool slots taken.")
    queue: Optional[str] = Field(default=None, description="Queue of the task.")
    priority_weight: Optional[int] = Field(default=None, description="Priority weight.")
    operator: Optional[str] = Field(default=None, description="Operator class name.")
    # Spec gives no format; the server sends a date-time.
    queued_when: Optional[DateTime] = Field(
        default=None, description="When the task entered the queued state."
    )
    pid: Optional[int] = Field(default=None, description="Process ID.")
    executor: Optional[str] = Field(
        default=None, description="Executor of the task; null for the default one."
    )
    executor_config: Optional[str] = Field(default=None, description="Executor config, as text (e.g. '{}').")
    sla_miss: Optional[SLAMiss] = Field(default=None, description="SLA miss, if any.")
    rendered_map_index: Optional[str] = Field(
        default=None, description="Rendered name of a mapped task instance."
    )
    rendered_fields: Optional[Dict[str, Any]] = Field(default=None, description="Rendered template fields.")
    trigger: Optional[Trigger] = Field(default=None, description="Trigger of a deferred task instance.")
    triggerer_job: Optional[Job] = Field(default=None, description="Triggerer job running the trigger.")
    note: Optional[str] = Field(default=None, description="Notes left by users about the task instance.")
