"""TaskInstanceCollection: a page of task instances."""

from __future__ import annotations

from typing import List, Optional

from pydantic import Field

from ._base import ApiModel
from .task_instance import TaskInstance


class TaskInstanceCollection(ApiModel):
    """Collection of task instances."""

    task_instances: Optional[List[TaskInstance]] = Field(default=None, description="The task instances.")
    total_entries: Optional[int] = Field(
        default=None, description="Count of all matching objects before pagination (limit, offset)."
    )
