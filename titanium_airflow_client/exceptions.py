"""Every exception the library raises; all derive from :class:`OpenApiException`.

The names follow OpenAPI Generator's Python clients, so code written against
those catches the same classes here.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from multidict import CIMultiDict

if TYPE_CHECKING:
    from titanium_airflow_client.models.error import Error
    from titanium_airflow_client.validation import ValidationErrorItem

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
    "ApiVersionError",
    "BadRequestException",
    "ConflictException",
    "ForbiddenException",
    "NotFoundException",
    "ServiceException",
    "TokenProviderError",
    "UnauthorizedException",
    "UnprocessableEntityException",
    "WaitTimeoutError",
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


class ApiVersionError(ApiValueError):
    """The server's Airflow version is older than what the call uses; nothing was sent.

    ``operation`` names the method, ``needed`` the version that added what the call uses, ``server_version``
    the server's version as known (``Configuration.server_version``, or what the server said).
    """

    def __init__(self, what: str, needed: str, server_version: str, source: str) -> None:
        self.operation = what.split("(", 1)[0]
        self.needed = needed
        self.server_version = server_version
        super().__init__(
            f"{what} needs Airflow {needed} or later, and the server is Airflow {server_version} ({source});"
            " nothing was sent"
        )


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

    ``problem`` holds the parsed RFC 7807 body Airflow 2 sends as
    ``application/problem+json`` (type, title, status, detail), when there is one.
    ``detail`` is the error's text: the problem's ``detail``, or the ``{"detail": ...}`` of
    Airflow 3's FastAPI answers (a list of validation errors is joined into one text).
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
        self._read_details(_json_object(body))
        super().__init__(str(self))

    def add_note_text(self, text: str) -> None:
        """Show ``text`` as the error's last line (``Note: ...``)."""
        self.note = text
        self.args = (str(self),)

    problem: Optional[Error]
    detail: Optional[str]
    note: Optional[str] = None  # what may have caused the answer, when the client can tell (add_note_text)

    def _read_details(self, payload: Optional[Dict[str, Any]]) -> None:
        """What the error body says, parsed: ``problem`` and ``detail`` (and a subclass's own)."""
        self.problem = _parse_problem(payload)
        self.detail = _detail_text(payload)

    @property
    def data(self) -> Optional[Error]:
        """OpenAPI Generator's name for the parsed error body."""
        return self.problem

    def __str__(self) -> str:
        parts = [f"({self.status})", f"Reason: {self.reason}"]
        if self.method and self.url:
            parts.append(f"Request: {self.method} {self.url}")
        if self.problem is not None and self.problem.title:
            detail = f": {self.problem.detail}" if self.problem.detail else ""  # Airflow often sends null
            parts.append(f"Problem: {self.problem.title}{detail}")
        elif self.detail:
            parts.append(f"Detail: {self._shown_detail()}")
        elif self.body:
            parts.append(f"Body: {self.body[:500].decode('utf-8', 'replace')}")
        if self.note:
            parts.append(f"Note: {self.note}")
        return "\n".join(parts)

    def _shown_detail(self) -> str:
        return self.detail[:500] if self.detail else ""


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


class UnprocessableEntityException(ApiException):
    """422: FastAPI (Airflow 3) refused the request's parameters or body.

    ``errors`` holds the items of a ``{"detail": [{"type", "loc", "msg", "input", ...}, ...]}`` answer
    as :class:`~titanium_airflow_client.validation.ValidationErrorItem` (empty when the detail is a
    plain string); ``detail`` is the text of them all. ``str()`` shows the first few, with where each is.
    """

    SHOWN_ERRORS = 3

    errors: List[ValidationErrorItem]

    def _read_details(self, payload: Optional[Dict[str, Any]]) -> None:
        self.errors = _validation_errors(payload)
        super()._read_details(payload)

    def _shown_detail(self) -> str:
        if not self.errors:
            return super()._shown_detail()
        shown = [item.describe() for item in self.errors[: self.SHOWN_ERRORS]]
        if len(self.errors) > self.SHOWN_ERRORS:
            shown.append(f"and {len(self.errors) - self.SHOWN_ERRORS} more")
        return "; ".join(shown)


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


class TokenProviderError(OpenApiException):
    """``Configuration.token_provider`` raised, or returned something that is not a usable token.

    Nothing was sent. The provider's own exception, if any, is chained as ``__cause__``; the
    message never shows what the provider returned.
    """


class WaitTimeoutError(OpenApiException, TimeoutError):
    """A wait (``wait_for_dag_run``, ``follow_log``, ...) gave up after its ``timeout``; what it waited for goes on
    on the server.

    ``what`` names it (e.g. ``DAG run tit_bash/manual__2026-01-01``), ``state`` is the last state seen (None if
    none was), ``timeout`` the seconds waited; ``dag_id``, ``dag_run_id`` and ``task_id`` (None for a run) say
    which run or task instance it was.
    """

    def __init__(
        self,
        what: str,
        state: Optional[str],
        timeout: float,
        *,
        dag_id: Optional[str] = None,
        dag_run_id: Optional[str] = None,
        task_id: Optional[str] = None,
    ) -> None:
        self.what = what
        self.state = state
        self.timeout = timeout
        self.dag_id = dag_id
        self.dag_run_id = dag_run_id
        self.task_id = task_id
        last = f"its last state was {state}" if state is not None else "no state was seen"
        super().__init__(f"gave up waiting for {what} after {timeout:g} s ({last}); it goes on on the server")


_BY_STATUS: dict[int, type[ApiException]] = {
    400: BadRequestException,
    401: UnauthorizedException,
    403: ForbiddenException,
    404: NotFoundException,
    409: ConflictException,
    422: UnprocessableEntityException,
}


def exception_for_status(status: int) -> type[ApiException]:
    """The ApiException subclass for an HTTP error status."""
    if status >= 500:
        return ServiceException
    return _BY_STATUS.get(status, ApiException)


def _json_object(body: Optional[bytes]) -> Optional[Dict[str, Any]]:
    """The body as a JSON object, or None (it is then kept raw in ``body`` only)."""
    if not body or not body.lstrip().startswith(b"{"):
        return None
    try:
        payload: Any = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nesting too deep
        return None
    return payload if isinstance(payload, dict) else None


def _parse_problem(payload: Optional[Dict[str, Any]]) -> Optional[Error]:
    if payload is None or not ({"title", "detail", "status"} & payload.keys()):
        return None
    from titanium_airflow_client.models.error import Error  # models import nothing from here

    try:
        return Error.model_validate(payload)
    except (ValueError, RecursionError):  # e.g. FastAPI's list of validation errors in "detail"
        return None


def _detail_text(payload: Optional[Dict[str, Any]]) -> Optional[str]:
    """``detail`` as text: FastAPI's (and RFC 7807's) string, FastAPI's validation errors joined, or the
    object Airflow 3 sends at times: its ``message`` (e.g. ``{"reason": "not_found", "message": "..."}``),
    or the whole object as JSON when it has none (e.g. a unique constraint violation's statement)."""
    detail = None if payload is None else payload.get("detail")
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list):
        return "; ".join(item.describe() for item in _validation_errors(payload)) or None
    if isinstance(detail, dict) and detail:
        message = detail.get("message")
        return message if isinstance(message, str) and message else json.dumps(detail, ensure_ascii=False)
    return None


def _validation_errors(payload: Optional[Dict[str, Any]]) -> List[ValidationErrorItem]:
    """The items of FastAPI's ``{"detail": [...]}``; an item that is not one is left out (``body`` has it)."""
    detail = None if payload is None else payload.get("detail")
    if not isinstance(detail, list):
        return []
    from titanium_airflow_client.validation import ValidationErrorItem  # imports pydantic: only when needed

    items = []
    for entry in detail:
        try:
            items.append(ValidationErrorItem.model_validate(entry))
        except (ValueError, RecursionError):
            continue
    return items
