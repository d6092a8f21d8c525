"""Every exception the library raises; all derive from :class:`OpenApiException`.

The names follow OpenAPI Generator's Python clients, so code written against
those catches the same classes here.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Sequence, Tuple, Union

from multidict import CIMultiDict

if TYPE_CHECKING:
    from titanium_airflow_client.models.error import Error

PathType = Sequence[Union[str, int]]

__all__ = [
    "OpenApiException",
    "ApiAttributeError",
    "ApiConnectionError",
    "ApiDecodeError",
    "ApiException",
    "ApiKeyError",
    "ApiResponseTooLargeError",
    "ApiTimeoutError",
    "ApiTypeError",
    "ApiValueError",
    "BadRequestException",
    "ConflictException",
    "ForbiddenException",
    "NotFoundException",
    "ServiceException",
    "UnauthorizedException",
]


def render_path(path_to_item: Optional[PathType]) -> str:
    """``["body", "dag_runs", 0]`` → ``['body']['dag_runs'][0]``."""
    return "".join(f"[{p}]" if isinstance(p, int) else f"['{p}']" for p in path_to_item or ())


class OpenApiException(Exception):
    """Base of every exception raised by this library.

    Subclasses take other ``__init__`` arguments than their ``args``, so the default
    pickling (``type(self)(*args)``) would fail, in copy.copy too, and a process pool
    could not send them back. They are rebuilt from ``args`` and ``__dict__`` instead.
    """

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...], Dict[str, Any]]:
        return _rebuild, (type(self), self.args), self.__dict__


def _rebuild(cls: type[OpenApiException], args: Tuple[Any, ...]) -> OpenApiException:
    """An instance of ``cls`` with these ``args``, without calling ``__init__``; pickle restores ``__dict__``."""
    error = cls.__new__(cls)
    error.args = args
    return error


class _PathException(OpenApiException):
    def __init__(self, msg: str, path_to_item: Optional[PathType] = None) -> None:
        self.path_to_item = list(path_to_item) if path_to_item else None
        if path_to_item:
            msg = f"{msg} at {render_path(path_to_item)}"
        super().__init__(msg)


class ApiTypeError(_PathException, TypeError):
    """An argument has the wrong type; nothing was sent."""


class ApiValueError(_PathException, ValueError):
    """An argument has a wrong value; nothing was sent."""


class ApiKeyError(_PathException, KeyError):
    """A key that does not exist was looked up."""

    def __str__(self) -> str:  # KeyError's str() would quote the message
        return str(self.args[0]) if self.args else ""


class ApiAttributeError(_PathException, AttributeError):
    """An attribute that does not exist was looked up."""


class ApiTimeoutError(OpenApiException, TimeoutError):
    """The server did not answer in time. Names the method and URL; the cause is chained."""

    def __init__(self, method: str, url: str, timeout: object) -> None:
        self.method = method
        self.url = url
        super().__init__(f"{method} {url} timed out (timeout: {timeout})")


class ApiConnectionError(OpenApiException, ConnectionError):
    """The request could not be delivered (refused, reset, DNS, TLS). The cause is chained.

    ``method`` and ``url`` are None when the blocking facade's loop stopped the call itself
    (its ApiClient closed while the call waited to retry, or before it started).
    """

    def __init__(self, method: Optional[str], url: Optional[str], reason: str) -> None:
        self.method = method
        self.url = url
        self.reason = reason
        if method and url:
            super().__init__(f"{method} {url} failed: {reason}")
        else:
            super().__init__(f"the call could not complete: {reason}")


class ApiException(OpenApiException):
    """The server answered with an error status (or an undecodable body).

    ``problem`` holds the parsed RFC 7807 body Airflow sends as
    ``application/problem+json`` (type, title, status, detail), when there is one.
    """

    def __init__(
        self,
        status: Optional[int] = None,
        reason: Optional[str] = None,
        body: Optional[bytes] = None,
        headers: Optional[Mapping[str, str]] = None,
        *,
        method: Optional[str] = None,
        url: Optional[str] = None,
    ) -> None:
        self.status = status
        self.reason = reason
        self.body = body
        # A copy: aiohttp's CIMultiDictProxy cannot be pickled, and the copy keeps case-insensitive lookup.
        self.headers: Optional[CIMultiDict[str]] = None if headers is None else CIMultiDict(headers)
        self.method = method
        self.url = url
        self.problem: Optional[Error] = _parse_problem(body)
        super().__init__(str(self))

    @property
    def data(self) -> Optional[Error]:
        """OpenAPI Generator's name for the parsed error body."""
        return self.problem

    def __str__(self) -> str:
        parts = [f"({self.status})", f"Reason: {self.reason}"]
        if self.method and self.url:
            parts.append(f"Request: {self.method} {self.url}")
        if self.problem is not None and (self.problem.title or self.problem.detail):
            parts.append(f"Problem: {self.problem.title}: {self.problem.detail}")
        elif self.body:
            parts.append(f"Body: {self.body[:500].decode('utf-8', 'replace')}")
        return "\n".join(parts)


class BadRequestException(ApiException):
    """400: the server rejected the request's arguments."""


class UnauthorizedException(ApiException):
    """401: missing or wrong credentials."""


class ForbiddenException(ApiException):
    """403: the credentials lack the permission."""


class NotFoundException(ApiException):
    """404: the resource does not exist."""


class ConflictException(ApiException):
    """409: the resource already exists or is in use."""


class ServiceException(ApiException):
    """5xx: the server failed."""


class ApiDecodeError(ApiException):
    """A successful status came with a body that is not what the endpoint returns.

    ``error`` says why; status, headers and the raw body are kept as on ApiException.
    """

    def __init__(self, error: str, status: int, reason: Optional[str], body: bytes,
                 headers: Optional[Mapping[str, str]] = None, *, method: Optional[str] = None,
                 url: Optional[str] = None) -> None:
        self.error = error
        super().__init__(status, reason, body, headers, method=method, url=url)

    def __str__(self) -> str:
        return f"{self.error}\n{super().__str__()}"


class ApiResponseTooLargeError(ApiException):
    """The response body grew past ``Configuration.max_response_bytes``; it was not read to its end.

    ``limit`` is that setting; status, reason and headers are the response's, ``body`` is None.
    """

    def __init__(self, method: str, url: str, limit: int, status: int, reason: Optional[str],
                 headers: Optional[Mapping[str, str]] = None) -> None:
        self.limit = limit
        super().__init__(status, reason, None, headers, method=method, url=url)

    def __str__(self) -> str:
        return (
            f"{self.method} {self.url}: the response body is larger than max_response_bytes ({self.limit:,} bytes);"
            f" reading stopped there (raise Configuration.max_response_bytes, or set it to None, to accept it)"
            f"\n{super().__str__()}"
        )


_BY_STATUS: dict[int, type[ApiException]] = {
    400: BadRequestException,
    401: UnauthorizedException,
    403: ForbiddenException,
    404: NotFoundException,
    409: ConflictException,
}


def exception_for_status(status: int) -> type[ApiException]:
    """The ApiException subclass for an HTTP error status."""
    if status >= 500:
        return ServiceException
    return _BY_STATUS.get(status, ApiException)


def _parse_problem(body: Optional[bytes]) -> Optional[Error]:
    if not body or not body.lstrip().startswith(b"{"):
        return None
    from titanium_airflow_client.models.error import Error  # models import nothing from here

    try:
        payload: Any = json.loads(body)
        if not isinstance(payload, dict) or not ({"title", "detail", "status"} & payload.keys()):
            return None
        return Error.model_validate(payload)
    except (ValueError, RecursionError):  # json and pydantic errors, or nesting too deep: the body is kept raw
        return None
