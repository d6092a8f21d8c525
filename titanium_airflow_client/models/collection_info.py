"""CollectionInfo: paging metadata shared by collections."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ApiModel


class CollectionInfo(ApiModel):
    """Metadata about collection."""

    total_entries: Optional[int] = Field(
        default=None, description="Count of all matching objects before pagination (limit, offset)."
    )
