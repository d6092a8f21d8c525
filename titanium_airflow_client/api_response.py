"""What a ``<method>_with_http_info`` call returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Mapping, TypeVar

T = TypeVar("T")


@dataclass(slots=True)  # built on every call: slots keep that cheap
class ApiResponse(Generic[T]):
    """The decoded result of a call together with the HTTP response it came from."""

    status_code: int
    headers: Mapping[str, str]
    data: T
    raw_data: bytes
