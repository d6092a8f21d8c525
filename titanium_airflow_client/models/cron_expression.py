"""CronExpression: a schedule given as cron text."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from ._type_tagged import TypeTaggedModel


class CronExpression(TypeTaggedModel):
    """Cron expression.

    The server also uses this shape for schedules that are not cron at all,
    e.g. ``{"__type": "CronExpression", "value": "Dataset"}`` for dataset-triggered DAGs.
    """

    type: Literal["CronExpression"] = Field(
        default="CronExpression", alias="__type", description="Always 'CronExpression'."
    )
    value: Optional[str] = Field(default=None, description="Cron expression (or preset such as '@daily').")
