"""ListDagRunsForm: the body of get_dag_runs_batch."""

from __future__ import annotations

from typing import List, Optional

from pydantic import Field

from ._base import ApiModel, DateTime


class ListDagRunsForm(ApiModel):
    """Filters and paging of a DAG run batch query."""

    __read_only_fields__ = frozenset()  # every field is a request field

    order_by: Optional[str] = Field(
        default=None, description="Field to order the results by; prefix with '-' to reverse."
    )
    page_offset: Optional[int] = Field(default=None, ge=0, description="Number of items to skip.")
    page_limit: Optional[int] = Field(default=100, ge=1, description="Number of items to return.")
    dag_ids: Optional[List[str]] = Field(default=None, description="Return runs of these DAG IDs (OR).")
    states: Optional[List[str]] = Field(default=None, description="Return runs in these states (OR).")
    execution_date_gte: Optional[DateTime] = Field(
        default=None, description="Return runs with execution date at or after this."
    )
    execution_date_lte: Optional[DateTime] = Field(
        default=None, description="Return runs with execution date at or before this."
    )
    start_date_gte: Optional[DateTime] = Field(
        default=None, description="Return runs started at or after this."
    )
    start_date_lte: Optional[DateTime] = Field(
        default=None, description="Return runs started at or before this."
    )
    end_date_gte: Optional[DateTime] = Field(default=None, description="Return runs ended at or after this.")
    end_date_lte: Optional[DateTime] = Field(default=None, description="Return runs ended at or before this.")
