"""RelativeDelta: a calendar-aware interval, as Airflow dumps ``dateutil.relativedelta``."""

from __future__ import annotations

from typing import Literal, Optional

from dateutil.relativedelta import relativedelta
from pydantic import Field

from ._type_tagged import TypeTaggedModel


class RelativeDelta(TypeTaggedModel):
    """Relative delta.

    Plural fields are relative amounts; singular fields are absolute values (null when unset).
    """

    type: Literal["RelativeDelta"] = Field(
        default="RelativeDelta", alias="__type", description="Always 'RelativeDelta'."
    )
    years: Optional[int] = Field(default=None, description="Relative years.")
    months: Optional[int] = Field(default=None, description="Relative months.")
    days: Optional[int] = Field(default=None, description="Relative days (weeks included).")
    leapdays: Optional[int] = Field(default=None, description="Days added in leap years after February.")
    # Not in the spec and never dumped (relativedelta folds weeks into days); kept for construction.
    weeks: Optional[int] = Field(default=None, description="Relative weeks (client side only).")
    hours: Optional[int] = Field(default=None, description="Relative hours.")
    minutes: Optional[int] = Field(default=None, description="Relative minutes.")
    seconds: Optional[int] = Field(default=None, description="Relative seconds.")
    microseconds: Optional[int] = Field(default=None, description="Relative microseconds.")
    year: Optional[int] = Field(default=None, description="Absolute year.")
    month: Optional[int] = Field(default=None, description="Absolute month.")
    day: Optional[int] = Field(default=None, description="Absolute day of month.")
    hour: Optional[int] = Field(default=None, description="Absolute hour.")
    minute: Optional[int] = Field(default=None, description="Absolute minute.")
    second: Optional[int] = Field(default=None, description="Absolute second.")
    microsecond: Optional[int] = Field(default=None, description="Absolute microsecond.")

    def to_relativedelta(self) -> relativedelta:
        """The equivalent ``dateutil.relativedelta.relativedelta`` (missing relative parts count as 0)."""
        return relativedelta(
            years=self.years or 0,
            months=self.months or 0,
            days=self.days or 0,
            leapdays=self.leapdays or 0,
            weeks=self.weeks or 0,
            hours=self.hours or 0,
            minutes=self.minutes or 0,
            seconds=self.seconds or 0,
            microseconds=self.microseconds or 0,
            year=self.year,
            month=self.month,
            day=self.day,
            hour=self.hour,
            minute=self.minute,
            second=self.second,
            microsecond=self.microsecond,
        )
