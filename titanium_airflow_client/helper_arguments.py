"""The checks the run and log helpers (``wait_for_dag_run``, ``follow_log``, ...) make of their arguments when
they are called, before anything is sent, and which API generation they use with a client."""

from __future__ import annotations

import math
from typing import Optional

from typing_extensions import Literal

from titanium_airflow_client.api_client import ApiClient
from titanium_airflow_client.exceptions import ApiTypeError, ApiValueError

ApiGeneration = Literal["v1", "v2"]
API_GENERATIONS = ("v1", "v2")
V1_SUFFIX = "/api/v1"


def choose_api(function: str, api_client: object, api: Optional[str]) -> ApiGeneration:
    """``api`` when given, else ``"v1"`` for a host that is an ``/api/v1`` URL and ``"v2"`` for any other (a v2
    host is the server's root)."""
    if not isinstance(api_client, ApiClient):
        if type(api_client).__module__.startswith("titanium_airflow_client.sync"):
            raise ApiTypeError(
                f"{function}() needs an async ApiClient, got the blocking titanium_airflow_client.sync.ApiClient;"
                f" use titanium_airflow_client.sync.{function} with it"
            )
        raise ApiTypeError(f"{function}() needs an ApiClient, got {type(api_client).__name__}")
    if api is None:
        return "v1" if api_client.configuration.host.rstrip("/").endswith(V1_SUFFIX) else "v2"
    if api not in API_GENERATIONS:
        raise ApiValueError(f"{function}(): api must be 'v1', 'v2' or None (chosen by the host), got {api!r}")
    return api  # type: ignore[return-value]  # one of API_GENERATIONS


def check_id(function: str, name: str, value: object) -> str:
    """An Airflow id: a non-empty ``str`` without ``/`` (which Airflow would route as a path separator)."""
    if not isinstance(value, str):
        raise ApiTypeError(f"{function}(): {name} must be a str, got {type(value).__name__}")
    if not value:
        raise ApiValueError(f"{function}(): {name} must not be empty")
    if "/" in value:
        raise ApiValueError(f"{function}(): {name} must not contain '/', got {value!r}")
    return value


def check_seconds(function: str, name: str, value: object, *, optional: bool = False) -> Optional[float]:
    """A positive, finite number of seconds (or None, when ``optional``)."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        kind = "a number of seconds or None" if optional else "a number of seconds"
        raise ApiTypeError(f"{function}(): {name} must be {kind}, got {type(value).__name__}")
    if not (math.isfinite(value) and value > 0):
        raise ApiValueError(f"{function}(): {name} must be a finite number of seconds > 0, got {value!r}")
    return float(value)


def check_int(function: str, name: str, value: object, minimum: int, *, optional: bool = False) -> Optional[int]:
    """An ``int`` of at least ``minimum`` (or None, when ``optional``)."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        kind = "an int or None" if optional else "an int"
        raise ApiTypeError(f"{function}(): {name} must be {kind}, got {type(value).__name__}")
    if value < minimum:
        raise ApiValueError(f"{function}(): {name} must be >= {minimum}, got {value}")
    return value


def state_text(state: object) -> str:
    """A state as Airflow spells it (an enum member's value), ``"none"`` for no state."""
    if state is None:
        return "none"
    return str(getattr(state, "value", state))
