"""TaskState: the state of a task instance."""

from __future__ import annotations

from ._base import ApiEnum


class TaskState(ApiEnum):
    """Task state.

    A task instance with no state yet has ``state: null`` (``None``); the
    spec's ``"none"`` is deprecated in favour of null since 2.7.0.
    """

    REMOVED = "removed"
    SCHEDULED = "scheduled"
    QUEUED = "queued"
    RUNNING = "running"
    SUCCESS = "success"
    RESTARTING = "restarting"
    FAILED = "failed"
    UP_FOR_RETRY = "up_for_retry"
    UP_FOR_RESCHEDULE = "up_for_reschedule"
    UPSTREAM_FAILED = "upstream_failed"
    SKIPPED = "skipped"
    DEFERRED = "deferred"
    NONE = "none"
    # Server's TaskInstanceState still has it (unused, kept for compatibility); spec lacks it.
    SHUTDOWN = "shutdown"
