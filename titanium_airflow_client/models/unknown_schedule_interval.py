"""UnknownScheduleInterval: where a schedule interval with an unrecognised ``__type`` lands."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._type_tagged import TypeTaggedModel


class UnknownScheduleInterval(TypeTaggedModel):
    """Schedule interval of a kind this client does not know (not in the spec).

    Parsing a newer server's schedule must not fail; every key is kept in ``model_extra``.
    """

    type: Optional[str] = Field(default=None, alias="__type", description="The server's kind name.")
