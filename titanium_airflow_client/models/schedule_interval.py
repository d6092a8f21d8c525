"""ScheduleInterval: the union of the schedule kinds, told apart by the ``__type`` key."""

from __future__ import annotations

from typing import Any, Union

from pydantic import Discriminator, Tag
from typing_extensions import Annotated, TypeAlias

from .cron_expression import CronExpression
from .relative_delta import RelativeDelta
from .time_delta import TimeDelta
from .unknown_schedule_interval import UnknownScheduleInterval

_KNOWN_TYPES = frozenset({"CronExpression", "TimeDelta", "RelativeDelta"})
_UNKNOWN = "Unknown"


def schedule_interval_type(value: Any) -> str:
    """Tag of a raw or already-built schedule interval; unrecognised kinds go to the fallback."""
    tag = value.get("__type", value.get("type")) if isinstance(value, dict) else getattr(value, "type", None)
    if isinstance(tag, str) and tag in _KNOWN_TYPES:
        return tag
    return _UNKNOWN


# Schedule interval: how often the DAG runs. Nullable where used (``Optional[ScheduleInterval]``).
ScheduleInterval: TypeAlias = Annotated[
    Union[
        Annotated[CronExpression, Tag("CronExpression")],
        Annotated[TimeDelta, Tag("TimeDelta")],
        Annotated[RelativeDelta, Tag("RelativeDelta")],
        Annotated[UnknownScheduleInterval, Tag(_UNKNOWN)],
    ],
    Discriminator(schedule_interval_type),
]
