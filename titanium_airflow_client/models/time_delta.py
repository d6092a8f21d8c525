"""TimeDelta: a fixed duration, as Airflow dumps ``datetime.timedelta``."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal, Optional

from pydantic import Field

from ._type_tagged import TypeTaggedModel


class TimeDelta(TypeTaggedModel):
    """Time delta."""

    type: Literal["TimeDelta"] = Field(default="TimeDelta", alias="__type", description="Always 'TimeDelta'.")
    days: Optional[int] = Field(default=None, description="Days.")
    seconds: Optional[int] = Field(default=None, description="Seconds (0 to 86399).")
    microseconds: Optional[int] = Field(default=None, description="Microseconds (0 to 999999).")

    def to_timedelta(self) -> timedelta:
        """The equivalent ``datetime.timedelta`` (missing parts count as 0)."""
        return timedelta(days=self.days or 0, seconds=self.seconds or 0, microseconds=self.microseconds or 0)
