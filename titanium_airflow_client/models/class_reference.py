"""ClassReference: where a Python class lives."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ApiModel


class ClassReference(ApiModel):
    """Class reference."""

    module_path: Optional[str] = Field(default=None, description="Module of the class.")
    class_name: Optional[str] = Field(default=None, description="Name of the class.")
