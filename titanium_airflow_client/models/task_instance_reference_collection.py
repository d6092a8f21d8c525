"""TaskInstanceReferenceCollection: the task instances an operation touched (or would touch)."""

from __future__ import annotations

from typing import List, Optional

from pydantic import Field

from ._base import ApiModel
from .task_instance_reference import TaskInstanceReference


class TaskInstanceReferenceCollection(ApiModel):
    """Collection of task instance references."""

    task_instances: Optional[List[TaskInstanceReference]] = Field(
        default=None, description="References to the task instances."
    )
