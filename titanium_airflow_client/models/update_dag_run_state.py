"""UpdateDagRunState: the body of update_dag_run_state."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ApiEnum, ApiModel


class SettableDagRunState(ApiEnum):
    """States a DAG run may be set to (the spec's inline enum of ``UpdateDagRunState.state``)."""

    SUCCESS = "success"
    FAILED = "failed"
    QUEUED = "queued"


class UpdateDagRunState(ApiModel):
    """Modify the state of a DAG run."""

    __read_only_fields__ = frozenset()  # every field is a request field

    state: Optional[SettableDagRunState] = Field(default=None, description="The state to set this DagRun.")
