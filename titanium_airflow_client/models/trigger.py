"""Trigger: the trigger a deferred task instance waits on."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ApiModel, DateTime


class Trigger(ApiModel):
    """A trigger."""

    id: Optional[int] = Field(default=None, description="Trigger ID.")
    classpath: Optional[str] = Field(default=None, description="Import path of the trigger class.")
    kwargs: Optional[str] = Field(default=None, description="str() of the trigger's keyword arguments.")
    created_date: Optional[DateTime] = Field(default=None, description="When the trigger was created.")
    triggerer_id: Optional[int] = Field(default=None, description="ID of the triggerer job running it.")
