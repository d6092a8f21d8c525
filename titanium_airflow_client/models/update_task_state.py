"""UpdateTaskState: the states a task instance may be set to through the API."""

from __future__ import annotations

from ._base import ApiEnum


class UpdateTaskState(ApiEnum):
    """Expected new state. Only a subset of TaskState are available.

    Other states are managed directly by the scheduler or the workers and cannot be
    updated manually through the REST API.
    """

    SUCCESS = "success"
    FAILED = "failed"
    SKIPPED = "skipped"
