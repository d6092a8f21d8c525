"""Error: the problem document the server answers failures with."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ApiModel


class Error(ApiModel):
    """[RFC7807](https://tools.ietf.org/html/rfc7807) compliant response."""

    type: Optional[str] = Field(default=None, description="URI reference that identifies the problem type.")
    title: Optional[str] = Field(
        default=None, description="Short, human-readable summary of the problem type."
    )
    # Spec says number; the server sends an integer HTTP status.
    status: Optional[int] = Field(default=None, description="HTTP status code of this occurrence.")
    detail: Optional[str] = Field(default=None, description="Explanation specific to this occurrence.")
    instance: Optional[str] = Field(default=None, description="URI reference of this specific occurrence.")
