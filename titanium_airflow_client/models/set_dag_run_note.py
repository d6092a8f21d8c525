"""SetDagRunNote: the body of set_dag_run_note."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ApiModel


class SetDagRunNote(ApiModel):
    """A note to set on a DAG run."""

    __read_only_fields__ = frozenset()  # every field is a request field

    note: Optional[str] = Field(
        default=None, description="Custom notes left by users for this Dag Run (at most 1000 characters)."
    )
