"""One item of FastAPI's validation error answer (Airflow 3's 422), as ``UnprocessableEntityException.errors`` holds it.

    {"detail": [{"type": "int_parsing", "loc": ["query", "limit"], "msg": "Input should be a valid integer",
                 "input": "ten"}]}

Hand-written rather than generated: every v2 endpoint may answer it, and the exception needs it
without importing the generated models.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Union

from pydantic import Field

from titanium_airflow_client.models._base import ApiModel


class ValidationErrorItem(ApiModel):
    """What was wrong (``msg``, ``type``) and where (``loc``: e.g. ``["body", "conf"]``, ``["query", "limit"]``)."""

    type: str = ""
    loc: List[Union[str, int]] = Field(default_factory=list)
    msg: str = ""
    # What the server was given there. It may quote a secret that was sent (a password, say),
    # so neither str() of the exception, ``describe()`` nor repr() shows it.
    input: Any = Field(default=None, repr=False)
    ctx: Optional[Dict[str, Any]] = None
    url: Optional[str] = None

    @property
    def where(self) -> str:
        """``loc`` as text: ``query.limit``, ``body.conf.0``."""
        return ".".join(str(part) for part in self.loc)

    def describe(self) -> str:
        """``query.limit: Input should be a valid integer`` (without the input)."""
        return f"{self.where}: {self.msg}" if self.loc else self.msg


__all__ = ["ValidationErrorItem"]
