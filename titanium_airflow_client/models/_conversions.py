"""Conversions of generated models to the Python objects they stand for.

Mixed into the generated models named in ``scripts/codegen/naming.py`` (``MIXINS``).
"""

from __future__ import annotations

import ast
import functools
from datetime import timedelta
from typing import Any, List, Optional, Tuple

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


class LogContentConversion:
    """``log_parts()`` and ``log_text()`` for get_log's JSON answer.

    Airflow 2 sends the JSON ``content`` as ``str()`` of a Python list of ``(host, text)`` tuples.
    It is read back with ``ast.literal_eval``, which evaluates literals only, never code. Content in
    any other form (a newer server's plain text) comes back whole, as the text of an unnamed host.
    """

    def log_parts(self) -> List[Tuple[str, str]]:
        """The ``(host, text)`` pairs of the log."""
        content: Optional[str] = getattr(self, "content", None)
        if not content:
            return []
        try:
            parsed = ast.literal_eval(content)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return [("", content)]
        if isinstance(parsed, list) and all(
            isinstance(item, tuple) and len(item) == 2 and all(isinstance(part, str) for part in item)
            for item in parsed
        ):
            return [(host, text) for host, text in parsed]
        return [("", content)]

    def log_text(self) -> str:
        """The log's text, every host's part in order."""
        return "".join(text for _, text in self.log_parts())
