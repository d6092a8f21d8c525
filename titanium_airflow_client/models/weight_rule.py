"""WeightRule: how a task's effective priority weight is computed."""

from __future__ import annotations

from ._base import ApiEnum


class WeightRule(ApiEnum):
    """Weight rule.

    One of 'downstream', 'upstream', 'absolute', or the path of a custom
    priority weight strategy class (kept as an unknown member).
    """

    DOWNSTREAM = "downstream"
    UPSTREAM = "upstream"
    ABSOLUTE = "absolute"
