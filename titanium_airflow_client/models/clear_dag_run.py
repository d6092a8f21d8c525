"""ClearDagRun: the body of clear_dag_run."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ApiModel


class ClearDagRun(ApiModel):
    """Clearing of a DAG run."""

    __read_only_fields__ = frozenset()  # every field is a request field
    # A real clear is destructive: the choice is always stated, never left to a server default.
    __always_sent_fields__ = ("dry_run",)

    dry_run: Optional[bool] = Field(
        default=True,
        description=(
            "If set, only list the task instances that would be cleared. Always sent, so an empty"
            " ClearDagRun() can never clear for real whatever a server's default."
        ),
    )
