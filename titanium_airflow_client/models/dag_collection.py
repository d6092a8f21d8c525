"""DAGCollection: a page of DAGs."""

from __future__ import annotations

from typing import List, Optional

from pydantic import Field

from ._base import ApiModel
from .dag import DAG


class DAGCollection(ApiModel):
    """Collection of DAGs."""

    dags: Optional[List[DAG]] = Field(default=None, description="The DAGs of this page.")
    total_entries: Optional[int] = Field(
        default=None, description="Count of all matching objects before pagination (limit, offset)."
    )
