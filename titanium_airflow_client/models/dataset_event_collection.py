"""DatasetEventCollection: a list of dataset events."""

from __future__ import annotations

from typing import List, Optional

from pydantic import Field

from ._base import ApiModel
from .dataset_event import DatasetEvent


class DatasetEventCollection(ApiModel):
    """A collection of dataset events."""

    dataset_events: Optional[List[DatasetEvent]] = Field(default=None, description="The dataset events.")
    total_entries: Optional[int] = Field(
        default=None, description="Count of all matching objects before pagination (limit, offset)."
    )
