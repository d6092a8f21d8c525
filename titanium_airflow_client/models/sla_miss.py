"""SLAMiss: a missed SLA of a task instance."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ApiModel, DateTime


class SLAMiss(ApiModel):
    """A missed service level agreement."""

    task_id: Optional[str] = Field(default=None, description="The task ID.")
    dag_id: Optional[str] = Field(default=None, description="The DAG ID.")
    execution_date: Optional[DateTime] = Field(
        default=None, description="Execution date of the task instance."
    )
    email_sent: Optional[bool] = Field(default=None, description="Whether the SLA email was sent.")
    timestamp: Optional[DateTime] = Field(default=None, description="When the miss was recorded.")
    description: Optional[str] = Field(default=None, description="Description of the miss.")
    notification_sent: Optional[bool] = Field(default=None, description="Whether a notification was sent.")
