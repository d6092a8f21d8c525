"""TaskInstanceReference: the key of a task instance."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ApiModel, DateTime


class TaskInstanceReference(ApiModel):
    """Reference to a task instance."""

    task_id: Optional[str] = Field(default=None, description="The task ID.")
    dag_id: Optional[str] = Field(default=None, description="The DAG ID.")
    execution_date: Optional[DateTime] = Field(default=None, description="Execution (logical) date.")
    dag_run_id: Optional[str] = Field(default=None, description="The DAG run ID.")
