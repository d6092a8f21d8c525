"""DAGRunCollection: a page of DAG runs."""

from __future__ import annotations

from typing import List, Optional

from pydantic import Field

from ._base import ApiModel
from .dag_run import DAGRun


class DAGRunCollection(ApiModel):
    """Collection of DAG runs."""

    dag_runs: Optional[List[DAGRun]] = Field(default=None, description="The DAG runs of this page.")
    total_entries: Optional[int] = Field(
        default=None, description="Count of all matching objects before pagination (limit, offset)."
    )
