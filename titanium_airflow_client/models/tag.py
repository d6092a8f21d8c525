"""Tag: a DAG tag."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ApiModel


class Tag(ApiModel):
    """Tag."""

    name: Optional[str] = Field(default=None, description="Tag name.")
