"""TaskCollection: the tasks of a DAG."""

from __future__ import annotations

from typing import List, Optional

from pydantic import Field

from ._base import ApiModel
from .task import Task


class TaskCollection(ApiModel):
    """Collection of tasks."""

    tasks: Optional[List[Task]] = Field(default=None, description="The tasks.")
    # Server sends this, spec lacks it.
    total_entries: Optional[int] = Field(default=None, description="Number of tasks.")
