"""DagState: the state of a DAG run."""

from __future__ import annotations

from ._base import ApiEnum


class DagState(ApiEnum):
    """DAG State.

    *Changed in version 2.1.3*: 'queued' is added as a possible value.
    """

    QUEUED = "queued"
    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"
