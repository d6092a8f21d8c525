"""DagRunType: how a DAG run came about (the spec's inline ``DAGRun.run_type`` enum)."""

from __future__ import annotations

from ._base import ApiEnum


class DagRunType(ApiEnum):
    """Type of a DAG run."""

    BACKFILL = "backfill"
    MANUAL = "manual"
    SCHEDULED = "scheduled"
    DATASET_TRIGGERED = "dataset_triggered"
