"""The one request pipeline every endpoint goes through.

``ApiClient`` owns the transport (``rest.RESTClientObject``) and turns an
``Endpoint`` plus call arguments into a checked request, sends it with the
configured credentials and headers, maps error statuses to exceptions and
decodes the body into the endpoint's model.
"""

from __future__ import annotations

import gc
from types import TracebackType
from typing import Any, Callable, Dict, Mapping, Optional, Tuple, Type, TypeVar

from pydantic import ValidationError
from typing_extensions import Self, TypedDict

from titanium_airflow_client.api_response import ApiResponse
from titanium_airflow_client.configuration import Configuration, RequestTimeout, check_headers, check_timeout
from titanium_airflow_client.endpoint import Endpoint
from titanium_airflow_client.exceptions import (
    ApiDecodeError,
    ApiTypeError,
    ApiValueError,
    OpenApiException,
    exception_for_status,
    render_path,
)
from titanium_airflow_client.rest import RESTClientObject, RESTResponse

T = TypeVar("T")


class RequestOptions(TypedDict, total=False):
    """Per-call options every API method takes as keyword arguments."""

    _request_timeout: Optional[RequestTimeout]
    """Seconds in total, or a (connect, read) pair; overrides ``Configuration.request_timeout``."""
    _headers: Optional[Mapping[str, str]]
    """Extra headers for this call; they win over every other header."""
    _retries: Optional[int]
    """Overrides ``Configuration.retries`` for this call."""


REQUEST_OPTIONS = frozenset(RequestOptions.__annotations__)

# Bodies of this size or more are decoded with the cyclic GC paused, and what was built is
# then moved to the oldest GC generation at once. Every parsed datetime carries its own
# tracked tzinfo object, so a 10,000-run listing adds about 100,000 tracked objects that
# young-generation passes would otherwise traverse repeatedly (twice the decoding time).
# The catch: other young objects are promoted too, so their reference cycles wait for the
# next full collection. Set to None to turn this off.
LARGE_BODY_BYTES: Optional[int] = 256 * 1024

def decode_body(decode: Callable[[bytes], T], data: bytes) -> T:
    """``decode(data)``; for a large body, without young-generation GC passes over the result."""
    threshold = LARGE_BODY_BYTES
    if threshold is None or len(data) < threshold or not gc.isenabled():
        return decode(data)
    gc.disable()
    try:
        return decode(data)
    finally:
        if gc.get_freeze_count() == 0:  # never thaw objects the application froze itself
            _, young, old = gc.get_count()
            gc.freeze()
            gc.unfreeze()  # frozen objects return in the oldest generation, untraversed
            _restore_gc_counts(young, old)
        gc.enable()


def _restore_gc_counts(young: int, old: int) -> None:
    """Put back the counts ``gc.freeze()`` zeroed, which pace the middle and full collections.

    Without them, a service decoding a large body every few young collections would never have a
    full one, and its own reference cycles would pile up. Collecting a generation adds one to the
    next one's count; the generations are nearly empty here, so each pass is cheap.
    """
    for _ in range(old):
        gc.collect(1)
    for _ in range(young):
        gc.collect(0)


class ApiClient:
    """Async client for the Airflow REST API: use ``async with`` or ``await close()``.

    The aiohttp session is created inside the running event loop on first use,
    so an ApiClient may be built anywhere; it is then bound to that loop.
    """

    def __init__(
        self,
        configuration: Optional[Configuration] = None,
        header_name: Optional[str] = None,
        header_value: Optional[str] = None,
    ) -> None:
        self.configuration = configuration if configuration is not None else Configuration()
        self.rest_client = RESTClientObject(self.configuration)
        # This client's own headers, over Configuration.default_headers and user_agent; all of them are
        # read, and checked, on every request (see _base_headers).
        self.default_headers: Dict[str, str] = {}
        if header_name is not None:
            self.set_default_header(header_name, header_value or "")
        self._checked_headers: Tuple[Tuple[Any, ...], Dict[str, str]] = ((), {})
        # _base_headers() with the credentials' Authorization, and the key they were merged under.
        self._request_headers: Tuple[Tuple[Any, ...], Dict[str, str]] = ((), {})

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the session and its connections. Safe to call more than once."""
        await self.rest_client.close()

    @property
    def user_agent(self) -> str:
        """The ``User-Agent`` header sent with every request."""
        return self._base_headers()["User-Agent"]

    @user_agent.setter
    def user_agent(self, value: str) -> None:
        self.default_headers.update(check_headers({"User-Agent": value}, "user_agent"))

    def set_default_header(self, header_name: str, header_value: str) -> None:
        """Send this header with every request of this client."""
        self.default_headers.update(check_headers({header_name: header_value}, "set_default_header()"))

    def __repr__(self) -> str:
        return f"ApiClient(host={self.configuration.host!r})"

    def _base_headers(self) -> Dict[str, str]:
        """Accept, then the configured user agent and default headers, then this client's own.

        Read on every request, so that later changes count; checked again only when they changed,
        which keeps a direct edit of a dict (``default_headers[...] = ...``) from sending a bad header.
        """
        config = self.configuration
        key = (config.user_agent, *config.default_headers.items(), None, *self.default_headers.items())
        checked_key, headers = self._checked_headers
        if key != checked_key:
            merged = {"Accept": "application/json", "User-Agent": config.user_agent}
            merged = merge_headers(merge_headers(merged, config.default_headers), self.default_headers)
            headers = check_headers(merged, "default headers")
            self._checked_headers = (key, headers)
        return headers

    def _merge_request_headers(self, key: Tuple[Any, ...]) -> Dict[str, str]:
        """``_base_headers()`` plus the ``Authorization`` of the configured credentials, cached under ``key``
        (what they are made of: credentials, user agent, both default-header dicts; see ``call()``).

        The merged dict is shared between calls, so it is never changed in place.
        """
        headers = dict(self._base_headers())  # checks the headers (and raises) before the credentials, as ever
        authorization = self.configuration.auth_header()
        if authorization is not None:
            headers["Authorization"] = authorization
        self._request_headers = (key, headers)
        return headers

    async def call(self, endpoint: Endpoint[T], arguments: Mapping[str, Any]) -> ApiResponse[T]:
        """Check, send and decode one call of ``endpoint``.

        ``arguments`` maps every parameter name of the endpoint to its value and
        holds the per-call options under ``options``.
        """
        options: Optional[Mapping[str, Any]] = arguments.get("options")
        if options and not REQUEST_OPTIONS.issuperset(options):
            unknown = ", ".join(sorted(set(options) - REQUEST_OPTIONS))
            raise ApiTypeError(f"{endpoint.operation_id}() got unexpected keyword argument(s): {unknown}")
        try:
            path, body = endpoint._encode(arguments)  # what prepare() does, without building a PreparedRequest
        except OpenApiException:
            raise
        except (ValueError, TypeError, ArithmeticError) as exc:  # e.g. a lone surrogate in a query str
            raise ApiValueError(
                f"{endpoint.operation_id}(): the arguments cannot be encoded for the request: {exc}"
            ) from exc
        config = self.configuration
        # The values Configuration's properties checked when they were set, read without a call each.
        if options:
            timeout = options.get("_request_timeout")
            timeout = config._request_timeout if timeout is None else check_timeout(timeout, "_request_timeout")
            retries = options.get("_retries")
            if retries is None:
                retries = config._retries
            elif isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
                raise ApiValueError(f"_retries must be an int >= 0, got {retries!r}")
        else:
            timeout = config._request_timeout
            retries = config._retries

        # The headers' inputs are read on every call, so later changes count at once (a refreshed token, a
        # direct edit of a dict); they are checked and merged, and auth_header() asked, only when they changed.
        key = (
            config.username, config.password, config.access_token, config.user_agent,
            *config.default_headers.items(), None, *self.default_headers.items(),
        )
        checked_key, headers = self._request_headers
        if key != checked_key:
            headers = self._merge_request_headers(key)
        if endpoint.accept != "application/json":  # e.g. the text/plain form of get_log
            headers = merge_headers(headers, {"Accept": endpoint.accept})
        if body is not None:
            headers = {**headers, "Content-Type": "application/json"}
        if endpoint.headers:
            headers = merge_headers(headers, check_headers(endpoint.header_values(arguments), endpoint.operation_id))
        if options:
            extra_headers = options.get("_headers")
            if extra_headers:
                headers = merge_headers(headers, check_headers(extra_headers, "_headers"))

        url = config._host + path
        method = endpoint.method
        response = await self.rest_client.request(method, url, headers, body, timeout, retries)
        status = response.status
        if not 200 <= status < 300:
            raise exception_for_status(status)(
                status, response.reason, response.data, response.headers, method=method, url=url
            )
        data: Any = None
        decode = endpoint.decode
        if decode is not None:
            invalid: Optional[str] = None
            raw = response.data
            threshold = LARGE_BODY_BYTES
            try:
                if threshold is not None and len(raw) >= threshold:
                    data = decode_body(decode, raw)
                elif endpoint.model is not None:
                    # model_validate_json without its Python wrapper: the same validator, same arguments.
                    data = endpoint.model.__pydantic_validator__.validate_json(raw)
                else:
                    data = decode(raw)
            except ValidationError as exc:  # raised out here: its text, and so its context, quote the whole body
                invalid = summarize_validation_error(exc)
            except Exception as exc:  # whatever a validator raised, the body is not the model
                raise decode_error(endpoint, url, response, f"{type(exc).__name__}: {exc}") from exc
            if invalid is not None:
                raise decode_error(endpoint, url, response, invalid)
        return ApiResponse(status, response.headers, data, response.data)


def decode_error(endpoint: Endpoint[Any], url: str, response: RESTResponse, why: str) -> ApiDecodeError:
    returns = endpoint.returns.__name__ if endpoint.returns is not None else "nothing"
    content_type = response.headers.get("Content-Type", "")
    if content_type and "json" not in content_type:  # e.g. a caller's own Accept asked for text
        why = f"the server answered {content_type.split(';')[0]}, not JSON; {why}"
    return ApiDecodeError(
        f"cannot decode the response of {endpoint.operation_id}() as {returns}: {why}",
        response.status, response.reason, response.data, response.headers, method=endpoint.method, url=url,
    )


def summarize_validation_error(exc: ValidationError, shown: int = 3) -> str:
    """The first few errors, without the input they failed on.

    ``str()`` of a ValidationError quotes that input, which for invalid JSON is the whole
    body, rendered at several times its size.
    """
    errors = exc.errors(include_url=False, include_input=False, include_context=False)
    described = [f"{render_path(list(error['loc'])) or 'body'}: {error['msg'][:200]}" for error in errors[:shown]]
    if len(errors) > shown:
        described.append(f"and {len(errors) - shown} more")
    return "; ".join(described)


def merge_headers(headers: Mapping[str, str], overrides: Mapping[str, str]) -> Dict[str, str]:
    """``headers`` updated with ``overrides``, header names compared without regard to case."""
    replaced = {name.lower() for name in overrides}
    merged = {name: value for name, value in headers.items() if name.lower() not in replaced}
    merged.update(overrides)
    return merged
