"""Conversions of the schedule models to the Python objects they stand for.

Mixed into the generated models named in ``scripts/codegen/naming.py`` (``MIXINS``).
"""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any, Optional

from dateutil.relativedelta import relativedelta


def _part(model: Any, name: str) -> int:
    value: Optional[int] = getattr(model, name, None)
    return value or 0


class TimeDeltaConversion:
    """``to_timedelta()`` for the TimeDelta model."""

    def to_timedelta(self) -> timedelta:
        """The equivalent ``datetime.timedelta`` (missing parts count as 0)."""
        return timedelta(
            days=_part(self, "days"), seconds=_part(self, "seconds"), microseconds=_part(self, "microseconds")
        )


class RelativeDeltaConversion:
    """``to_relativedelta()`` for the RelativeDelta model."""

    def to_relativedelta(self) -> relativedelta:
        """The equivalent ``dateutil.relativedelta.relativedelta`` (missing relative parts count as 0)."""
        part = functools.partial(_part, self)
        absolute = functools.partial(getattr, self)
        return relativedelta(
            years=part("years"),
            months=part("months"),
            days=part("days"),
            leapdays=part("leapdays"),
            weeks=part("weeks"),
            hours=part("hours"),
            minutes=part("minutes"),
            seconds=part("seconds"),
            microseconds=part("microseconds"),
            year=absolute("year", None),
            month=absolute("month", None),
            day=absolute("day", None),
            hour=absolute("hour", None),
            minute=absolute("minute", None),
            second=absolute("second", None),
            microsecond=absolute("microsecond", None),
        )
