"""One REST operation, declared: method, path, parameters, return type.

An ``Endpoint`` checks the arguments of a call and encodes them for the wire
(path segments, query string, JSON body) before anything is sent. The api/
classes declare endpoints; the ApiClient sends what they build.

An endpoint names its models lazily (``lambda: models.DAG``): a model's module is
imported when the endpoint is first used, not when the API module declaring it is.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Dict, Generic, List, Mapping, Optional, Sequence, Tuple, Type, TypeVar, Union
from urllib.parse import quote

from pydantic import BaseModel, ValidationError

from titanium_airflow_client.exceptions import ApiTypeError, ApiValueError
from titanium_airflow_client.models._base import ApiModel, format_datetime

T = TypeVar("T")

# A class, or a function returning it: ``lambda: models.DAG`` defers importing the model to its first use.
Declared = Union[Type[T], Callable[[], Type[T]]]

DateTimeArg = Union[datetime, str]  # a datetime, or ISO 8601 text of one

_TEMPLATE_FIELD = re.compile(r"\{([a-z_]+)\}")

AUTH_MODES = ("basic", "jwt", "none")
# Paths of the APIs served from the server's root: the configured host is that root (as in apache-airflow-client 3).
ROOTED_PATH_PREFIXES = ("/api/v2/",)


@functools.lru_cache(maxsize=4096)  # the same DAG and run ids recur call after call
def encode_path_segment(value: str) -> str:
    """Percent-encode so that no value can leave its path segment.

    ``/ ? # + : %`` and the rest are encoded; ``.`` and ``..`` alone would be
    removed as dot segments by URL normalization, so they are encoded too.
    ``~`` stays literal: Airflow reads ``dags/~/dagRuns`` as "every DAG".
    """
    encoded = quote(value, safe="~")
    if encoded in (".", ".."):
        return encoded.replace(".", "%2E")
    return encoded


def _path_value_error(operation: str, name: str, value: object, slash_allowed: bool) -> Exception:
    """Why ``value`` cannot be the (non-int) path parameter ``name``."""
    if not isinstance(value, str):
        return _type_error(operation, name, "str", value)
    if not value:
        return ApiValueError(f"{operation}(): parameter '{name}' must not be empty")
    if "/" in value and not slash_allowed:
        return ApiValueError(
            f"{operation}(): parameter '{name}' must not contain '/' (no Airflow id does; the server"
            " would decode it and route the request elsewhere)"
        )
    # The server decodes %2F, finds "//" in the path, merges it and redirects (308) to the
    # value without its leading '/': delete_variable("/x") would delete the variable "x".
    return ApiValueError(
        f"{operation}(): parameter '{name}' must not start with '/' (the server would merge the"
        " slashes and redirect the request to another object)"
    )


def _type_error(operation: str, name: str, expected: str, value: object) -> ApiTypeError:
    return ApiTypeError(f"{operation}(): parameter '{name}' must be {expected}, got {type(value).__name__}")


def _check_str(operation: str, name: str, value: object) -> str:
    if not isinstance(value, str):
        raise _type_error(operation, name, "str", value)
    return value


def _check_int(operation: str, name: str, value: object, minimum: Optional[int]) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _type_error(operation, name, "int", value)
    if minimum is not None and value < minimum:
        raise ApiValueError(f"{operation}(): parameter '{name}' must be >= {minimum}, got {value}")
    return value


def _check_float(operation: str, name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _type_error(operation, name, "a number", value)
    if value != value or value in (float("inf"), float("-inf")):
        raise ApiValueError(f"{operation}(): parameter '{name}' must be a finite number, got {value!r}")
    return value


def _check_datetime(operation: str, name: str, value: object) -> datetime:
    """A datetime, or ISO 8601 text of one (as the seed pages' examples pass)."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise _type_error(operation, name, "datetime or ISO 8601 str", value)
    from dateutil.parser import isoparse  # imported on first use: it costs every process 20-50 ms of start-up

    try:
        return isoparse(value)
    except (ValueError, OverflowError) as exc:
        raise ApiValueError(f"{operation}(): parameter '{name}' is not an ISO 8601 datetime: {value!r}") from exc


def _check_str_list(operation: str, name: str, value: object) -> List[str]:
    items = _check_list(operation, name, value, "str")
    for item in items:
        if not isinstance(item, str):
            raise ApiTypeError(
                f"{operation}(): parameter '{name}' must hold only str, got {type(item).__name__} {item!r}"
            )
    return items


def _check_int_list(operation: str, name: str, value: object) -> List[int]:
    return [_check_int(operation, name, item, None) for item in _check_list(operation, name, value, "int")]


def _check_list(operation: str, name: str, value: object, of: str) -> List[Any]:
    # A bare str is a sequence of characters: almost surely a mistake here.
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, set, frozenset)):
        raise _type_error(operation, name, f"a list of {of}", value)
    return list(value)


@dataclass(frozen=True)
class Query:
    """A query parameter; ``kind`` picks its check and wire form."""

    name: str
    # "str", "int", "float", "bool", "datetime", "list" (repeated keys), "int_list" (repeated keys of ints)
    # or "csv" (one comma-joined value)
    kind: str
    minimum: Optional[int] = None
    required: bool = False
    since: Optional[str] = None  # the Airflow version that added it, when later than the oldest supported

    def encode(self, operation: str, value: object) -> List[Tuple[str, str]]:
        """(key, value) pairs for the query string; checks the value first."""
        kind = self.kind
        if kind == "str":
            return [(self.name, _check_str(operation, self.name, value))]
        if kind == "int":
            return [(self.name, str(_check_int(operation, self.name, value, self.minimum)))]
        if kind == "float":
            return [(self.name, repr(_check_float(operation, self.name, value)))]
        if kind == "bool":
            if not isinstance(value, bool):
                raise _type_error(operation, self.name, "bool", value)
            return [(self.name, "true" if value else "false")]
        if kind == "datetime":
            moment = _check_datetime(operation, self.name, value)
            try:
                return [(self.name, format_datetime(moment))]
            except ValueError as exc:  # out of range once expressed in UTC
                raise ApiValueError(f"{operation}(): parameter '{self.name}': {exc}") from None
        if kind == "int_list":
            return [(self.name, str(item)) for item in _check_int_list(operation, self.name, value)]
        items = _check_str_list(operation, self.name, value)
        if kind == "csv":
            return [(self.name, ",".join(items))] if items else []
        return [(self.name, item) for item in items]


QUERY_KINDS = frozenset({"str", "int", "float", "bool", "datetime", "list", "int_list", "csv"})


@dataclass(frozen=True)
class Body:
    """The JSON request body: a model instance, or a dict validated into the model.

    ``required`` names fields the body must hold: the spec's required ones, and those the server
    needs although the spec calls them optional (without them Airflow 2.11 answers 500 with an
    HTML page, or a 400 whatever else the body holds).
    ``optional``: the body may be left out (None); nothing is sent then.
    ``declared_model`` is the model, or a function returning it (see ``model``).
    """

    name: str
    declared_model: Declared[ApiModel]
    required: Tuple[str, ...] = ()
    optional: bool = False

    @functools.cached_property  # resolved on first use, then a plain attribute
    def model(self) -> Type[ApiModel]:
        """The model of the body (its module imported now, if it was declared lazily)."""
        model = _resolve(self.declared_model)
        assert model is not None
        return model

    def encode(self, operation: str, value: object) -> bytes:
        """UTF-8 JSON of the body; refuses what JSON or UTF-8 cannot carry as it is."""
        model = self.model
        if not isinstance(value, model):
            if not isinstance(value, Mapping):
                raise _type_error(operation, self.name, f"{model.__name__} or a dict", value)
            try:
                value = model.model_validate(value)
            except ValidationError as exc:
                raise ApiValueError(
                    f"{operation}(): parameter '{self.name}' is not a valid {model.__name__}: {exc}"
                ) from exc
        try:
            body = value.to_request_body()
        except (ValueError, RecursionError) as exc:  # a conf value JSON cannot hold, a datetime out of range...
            raise ApiValueError(f"{operation}(): parameter '{self.name}' cannot be sent as JSON: {exc}") from None
        missing = [name for name in self.required if name not in body]
        if missing:  # an explicit null is the server's to judge; a missing key crashes it
            raise ApiValueError(
                f"{operation}(): parameter '{self.name}' must set {', '.join(missing)} (the server requires it)"
            )
        try:
            # UTF-8 rather than \u escapes: a lone surrogate then fails here instead of reaching the
            # server, which answers 500 for it.
            return json.dumps(body, separators=(",", ":"), allow_nan=False, ensure_ascii=False).encode()
        except UnicodeEncodeError:
            raise ApiValueError(
                f"{operation}(): parameter '{self.name}' holds a string that is not valid UTF-8 (a lone surrogate)"
            ) from None
        except (TypeError, ValueError) as exc:  # what the model check above does not see (e.g. a cycle)
            raise ApiValueError(f"{operation}(): parameter '{self.name}' cannot be sent as JSON: {exc}") from None


@dataclass(frozen=True)
class Paging:
    """How a list endpoint pages: ``items`` names the field of the answer holding the items.

    ``limit`` and ``offset`` name the page size and start: query parameters, or fields of the body
    parameter ``form`` (the batch endpoints). Without them the endpoint answers in one page.
    ``cursor`` names the query parameter of keyset paging (Airflow 3.2+: ``""`` asks for the first
    page, and each answer's ``next_cursor`` for the next one).
    """

    items: str
    limit: Optional[str] = None
    offset: Optional[str] = None
    form: Optional[str] = None
    cursor: Optional[str] = None


@dataclass(frozen=True)
class PreparedRequest:
    """Method, path with query string (relative to the host) and body of one call."""

    method: str
    path: str
    body: Optional[bytes]


@dataclass(frozen=True)
class Endpoint(Generic[T]):
    """Declaration of one operation of the API.

    ``returns`` is the model the 2xx body decodes into, ``str`` for a text answer,
    or None for operations answering with no body; it is declared as ``declared_returns``: the class,
    or a function returning it (``lambda: models.DAG``), called when the endpoint is first used.
    ``slash_params`` names the path parameters that may hold ``/`` (the spec's ``format: path``, e.g. a dataset URI);
    every other path value with a ``/`` is refused, because Airflow decodes ``%2F``
    before routing and the request would reach another endpoint; a value starting with
    ``/`` is refused for all of them (the server would redirect it to another object).
    ``int_params`` names the path parameters that are integers. ``accept`` is the media type asked
    for (``application/x-ndjson``: ``returns`` is the model of one line, see ``ApiClient.stream``);
    ``paging`` says how a list endpoint pages; ``headers`` are the parameters sent as headers.

    ``auth`` says how the configured credentials are presented: ``"basic"`` (the v1 API: username and
    password as HTTP Basic, ``access_token`` as Bearer), ``"jwt"`` (the v2 API: username and password
    are exchanged for a JWT at ``{host}/auth/token``, sent as Bearer) or ``"none"`` (no
    ``Authorization`` at all, e.g. v2's version and health). A ``token_provider``'s token is sent as
    Bearer for "basic" and "jwt" alike.

    ``since`` is the Airflow version that added the operation, when it is later than the oldest version
    of its generation the client supports (2.9 for v1, 3.0 for v2); a ``Query``'s ``since`` likewise.
    """

    operation_id: str
    method: str
    path: str
    declared_returns: Optional[Declared[T]]
    query: Tuple[Query, ...] = ()
    body: Optional[Body] = None
    slash_params: Tuple[str, ...] = ()
    int_params: Tuple[str, ...] = ()
    accept: str = "application/json"
    paging: Optional[Paging] = None
    headers: Tuple[Tuple[str, str], ...] = ()  # (parameter, header it is sent as), e.g. a connection test's token
    auth: str = "basic"
    since: Optional[str] = None  # the Airflow version that added it, when later than the oldest supported
    path_params: Tuple[str, ...] = field(init=False)
    # The path's text before its first parameter, then per parameter: its name, the text after it, whether
    # it is an integer, whether it may hold a "/" (one tuple each, read on every call).
    _path_head: str = field(init=False, repr=False)
    _path_segments: Tuple[Tuple[str, str, bool, bool], ...] = field(init=False, repr=False)
    # The path starts at the server's root (v2's /api/v2/...), so the host must be that root.
    rooted: bool = field(init=False, repr=False)
    # The operation or one of its query parameters came after the oldest supported version (see since).
    versioned: bool = field(init=False, repr=False)

    def __post_init__(self) -> None:
        parts = _TEMPLATE_FIELD.split(self.path)  # literal, name, literal, name, ..., literal
        object.__setattr__(self, "path_params", tuple(parts[1::2]))
        object.__setattr__(self, "_path_head", parts[0])
        segments = tuple(
            (name, tail, name in self.int_params, name in self.slash_params)
            for name, tail in zip(parts[1::2], parts[2::2], strict=True)
        )
        object.__setattr__(self, "_path_segments", segments)
        object.__setattr__(self, "rooted", self.path.startswith(ROOTED_PATH_PREFIXES))
        object.__setattr__(self, "versioned", bool(self.since) or any(query.since for query in self.query))
        if self.auth not in AUTH_MODES:
            raise ValueError(f"{self.operation_id}: auth must be one of {', '.join(AUTH_MODES)}, got {self.auth!r}")
        for query in self.query:
            if query.kind not in QUERY_KINDS:
                raise ValueError(f"{self.operation_id}: unknown query kind {query.kind!r}")
        unknown = (set(self.slash_params) | set(self.int_params)) - set(self.path_params)
        if unknown:
            raise ValueError(f"{self.operation_id}: {sorted(unknown)} are not path parameters")

    # Resolved on first use, then plain attributes: the pipeline reads them on every call.
    @functools.cached_property
    def returns(self) -> Optional[Type[T]]:
        """What the 2xx body decodes into (its module imported now, if it was declared lazily)."""
        return _resolve(self.declared_returns)

    @functools.cached_property
    def model(self) -> Optional[Type[BaseModel]]:
        """The model ``decode`` validates into, if any: the pipeline calls its validator directly (one call less)."""
        returns = self.returns
        return returns if isinstance(returns, type) and issubclass(returns, BaseModel) else None

    @functools.cached_property
    def decode(self) -> Optional[Callable[[bytes], T]]:
        """Bytes of a 2xx body to ``returns``; None when the answer has no body to decode."""
        if self.returns is str:
            return _decode_text  # type: ignore[return-value]
        model = self.model
        return model.model_validate_json if model is not None else None  # type: ignore[return-value]

    @property
    def parameter_names(self) -> Tuple[str, ...]:
        """Names of all parameters: path, then body, then query (the seed pages' order may differ)."""
        body = (self.body.name,) if self.body else ()
        return self.path_params + body + tuple(q.name for q in self.query) + tuple(p for p, _ in self.headers)

    def prepare(self, arguments: Mapping[str, Any]) -> PreparedRequest:
        """Check every argument and encode the request. Raises ApiTypeError/ApiValueError."""
        path, body = self._encode(arguments)
        return PreparedRequest(self.method, path, body)

    def _encode(self, arguments: Mapping[str, Any]) -> Tuple[str, Optional[bytes]]:
        """``prepare()`` without the PreparedRequest: path with query string, and body (ApiClient.call's use)."""
        operation = self.operation_id
        path = self._path_head
        for name, tail, is_int, slash_allowed in self._path_segments:
            value = arguments[name]
            if is_int:
                path += str(_check_int(operation, name, value, None)) + tail
            elif isinstance(value, str) and value and value[0] != "/" and (slash_allowed or "/" not in value):
                path += encode_path_segment(value) + tail
            else:
                raise _path_value_error(operation, name, value, slash_allowed)
        if self.query:
            pairs: List[Tuple[str, str]] = []
            for query in self.query:
                value = arguments[query.name]
                if value is not None:
                    pairs.extend(query.encode(operation, value))
                elif query.required:
                    raise ApiValueError(f"{operation}(): parameter '{query.name}' is required")
            if pairs:
                path += "?" + "&".join(f"{key}={quote(val, safe='')}" for key, val in pairs)
        body = None
        if self.body is not None:
            value = arguments[self.body.name]
            if value is not None:
                body = self.body.encode(operation, value)
            elif not self.body.optional:
                raise ApiValueError(f"{operation}(): parameter '{self.body.name}' is required")
        return path, body


    def header_values(self, arguments: Mapping[str, Any]) -> Dict[str, str]:
        """The headers the parameters in ``headers`` are sent as (those given); checked like any header."""
        values = {}
        for name, header in self.headers:
            value = arguments[name]
            if value is not None:
                values[header] = _check_str(self.operation_id, name, value)
        return values


def _resolve(declared: Optional[Declared[T]]) -> Optional[Type[T]]:
    """The class ``declared`` names: itself, or what its function returns."""
    if declared is None or isinstance(declared, type):
        return declared
    return declared()


def _decode_text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")  # logs may hold anything; never fail on a stray byte


__all__: Sequence[str] = [
    "AUTH_MODES", "Body", "DateTimeArg", "Endpoint", "Paging", "PreparedRequest", "Query", "encode_path_segment",
]
