"""The one request pipeline every endpoint goes through.

``ApiClient`` owns the transport (``rest.RESTClientObject``) and turns an
``Endpoint`` plus call arguments into a checked request, sends it with the
configured credentials and headers, maps error statuses to exceptions and
decodes the body into the endpoint's model (``call``), or into one model per
line of an NDJSON answer as the lines arrive (``stream``).
"""

from __future__ import annotations

import gc
from types import TracebackType
from typing import Any, AsyncIterator, Callable, Dict, Mapping, Optional, Tuple, Type, TypeVar

from pydantic import ValidationError
from typing_extensions import Self, TypedDict

from titanium_airflow_client.api_response import ApiResponse
from titanium_airflow_client.auth import TokenSource, login_fetch, provider_fetch, token_rejected
from titanium_airflow_client.configuration import Configuration, RequestTimeout, check_headers, check_timeout
from titanium_airflow_client.decoding import decode_error, summarize_validation_error
from titanium_airflow_client.endpoint import Endpoint
from titanium_airflow_client.exceptions import ApiTypeError, ApiValueError, OpenApiException, exception_for_status
from titanium_airflow_client.rest import RESTClientObject, RESTResponse, RESTStream
from titanium_airflow_client.streaming import ndjson_items

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

# What _prepare() hands over: URL, headers, body, timeout, retries, and where the Bearer token comes from
# when it changes over time (None: the headers hold what to send).
_Prepared = Tuple[str, Dict[str, str], Optional[bytes], RequestTimeout, int, Optional[TokenSource]]

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
        # _base_headers() with the credentials' Authorization (v1's, for auth="basic"), and the key they were
        # merged under; _base_headers() alone; and what the credentials are (see _merge_request_headers).
        self._request_headers: Tuple[Tuple[Any, ...], Dict[str, str]] = ((), {})
        self._plain_headers: Dict[str, str] = {}
        self._credentials = "none"
        self._bearer_for_basic = False  # a token_provider's token goes to v1 endpoints too
        # The JWT login's or token provider's tokens, and the credentials and host they are for.
        self._tokens: Optional[TokenSource] = None
        # The last headers sent with a Bearer token: (the headers it was added to, the token, the result).
        self._bearer_headers: Tuple[Dict[str, str], str, Dict[str, str]] = ({}, "", {})
        self._tokens_key: Tuple[Any, ...] = ()
        self._root_host: Optional[str] = None  # the last host found to be a server root (v2's paths need one)

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
        plain = self._base_headers()  # checks the headers (and raises) before the credentials, as ever
        headers = dict(plain)
        config = self.configuration
        authorization = config.auth_header()  # raises unless the credentials are one kind
        if authorization is not None:
            headers["Authorization"] = authorization
        self._request_headers = (key, headers)
        self._plain_headers = plain
        if config._token_provider is not None:
            self._credentials = "provider"
        elif config.username is not None:
            self._credentials = "password"
        else:
            self._credentials = "token" if config.access_token is not None else "none"
        self._bearer_for_basic = self._credentials == "provider"
        return headers

    def _authorization(self, auth: str) -> Tuple[Dict[str, str], Optional[TokenSource]]:
        """The headers for an endpoint whose ``auth`` is "jwt" or "none", or any with a token provider:
        with their Authorization, or without one and the TokenSource to ask for it."""
        credentials = self._credentials
        if auth == "none" or credentials == "none":
            return self._plain_headers, None
        if credentials == "provider" or (auth == "jwt" and credentials == "password"):
            return self._plain_headers, self._token_source()
        return self._request_headers[1], None  # an access_token is Bearer everywhere

    def _token_source(self) -> TokenSource:
        """The TokenSource of the configured credentials and host; a new one when they changed."""
        config = self.configuration
        key = (config._host, config.username, config.password, config._token_provider)
        tokens = self._tokens
        if tokens is None or key != self._tokens_key:
            provider = config._token_provider
            if provider is not None:
                fetch = provider_fetch(provider)
            else:
                assert config.username is not None and config.password is not None  # auth_header() checked
                fetch = login_fetch(self.rest_client, config, self._base_headers, config.username, config.password)
            tokens = self._tokens = TokenSource(fetch)
            self._tokens_key = key
        return tokens

    def _check_root_host(self, host: str) -> None:
        """v2's paths start with /api/v2: the host must be the server's root, not an API's base URL."""
        for suffix in ("/api/v1", "/api/v2"):
            if host.endswith(suffix):
                raise ApiValueError(
                    f"host is {host!r}, but the v2 API's paths start at the server's root: set host to"
                    f" {host[: -len(suffix)]!r} (v1 endpoints want the /api/v1 URL, v2 endpoints the root)"
                )
        self._root_host = host

    async def call(self, endpoint: Endpoint[T], arguments: Mapping[str, Any]) -> ApiResponse[T]:
        """Check, send and decode one call of ``endpoint``.

        ``arguments`` maps every parameter name of the endpoint to its value and
        holds the per-call options under ``options``.
        """
        url, headers, body, timeout, retries, tokens = self._prepare(endpoint, arguments)
        if tokens is None:  # the usual case, without _exchange's frame: nothing to renew
            response = await self.rest_client.request(endpoint.method, url, headers, body, timeout, retries)
            status = response.status
            if not 200 <= status < 300:
                raise exception_for_status(status)(
                    status, response.reason, response.data, response.headers, method=endpoint.method, url=url
                )
        else:
            response = await self._exchange(endpoint, url, headers, body, timeout, retries, tokens, False)
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
        return ApiResponse(response.status, response.headers, data, response.data)

    def stream(self, endpoint: Endpoint[T], arguments: Mapping[str, Any]) -> AsyncIterator[T]:
        """Check ``endpoint``'s arguments now, and iterate over the lines of its NDJSON answer, each
        decoded into ``endpoint.returns`` as it arrives (``endpoint.accept`` is ``application/x-ndjson``).

        The request goes out when iteration starts, as ``call()`` sends it (headers, credentials, a new
        token after a refused one, retries before any answer); an error status raises its exception.
        The configured timeout bounds getting a connection and each wait for data, never the whole
        stream (Airflow's wait endpoint sends a line every ``interval`` seconds until the run ends).
        Each line may be up to ``max_response_bytes`` long; the stream as a whole has no limit. A line
        that is not JSON, or not the model, raises ApiDecodeError naming its number. A JSON answer
        (not NDJSON) is read whole and decoded as one item. Leaving the loop closes the response.
        """
        return self._stream(endpoint, self._prepare(endpoint, arguments))

    async def _stream(self, endpoint: Endpoint[T], prepared: _Prepared) -> AsyncIterator[T]:
        response = await self._exchange(endpoint, *prepared, True)
        if not isinstance(response, RESTStream):  # request(stream=True) answers every 2xx as one
            raise TypeError(f"request(stream=True) answered a {type(response).__name__}")
        try:
            async for item in ndjson_items(endpoint, response, self.configuration._max_response_bytes):
                yield item
        finally:
            response.close()

    async def _exchange(
        self,
        endpoint: Endpoint[Any],
        url: str,
        headers: Dict[str, str],
        body: Optional[bytes],
        timeout: RequestTimeout,
        retries: int,
        tokens: Optional[TokenSource],
        stream: bool,
    ) -> RESTResponse:
        """Send the request with its Bearer token, if it needs one (a new one, and again, if the server
        refuses it), and raise the status's exception for anything but a 2xx."""
        method = endpoint.method
        token = None
        sent = headers
        if tokens is not None:
            token = tokens.current() or await tokens.token()  # no coroutine while the cached token is good
            sent = self._with_bearer(headers, token)
        send = self.rest_client.request
        response = await send(method, url, sent, body, timeout, retries, stream)
        status = response.status
        if not 200 <= status < 300:
            if tokens is not None and token is not None and token_rejected(status, response.data):
                tokens.reject(token)
                token = await tokens.token()
                response = await send(method, url, self._with_bearer(headers, token), body, timeout, retries, stream)
                status = response.status
            if not 200 <= status < 300:
                raise exception_for_status(status)(
                    status, response.reason, response.data, response.headers, method=method, url=url
                )
        return response

    def _with_bearer(self, headers: Dict[str, str], token: str) -> Dict[str, str]:
        """``headers`` with ``Authorization: Bearer <token>``; the last such dict is reused while both stay
        the same (the shared headers of calls without per-call options), as the plain headers are."""
        cached_headers, cached_token, merged = self._bearer_headers
        if cached_headers is headers and cached_token == token:
            return merged
        merged = {**headers, "Authorization": f"Bearer {token}"}
        self._bearer_headers = (headers, token, merged)
        return merged

    def _prepare(self, endpoint: Endpoint[Any], arguments: Mapping[str, Any]) -> _Prepared:
        """Check the arguments and options of a call, and put its request together; nothing is sent."""
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
            config.username, config.password, config.access_token, config._token_provider, config.user_agent,
            *config.default_headers.items(), None, *self.default_headers.items(),
        )
        checked_key, headers = self._request_headers
        if key != checked_key:
            headers = self._merge_request_headers(key)
        tokens = None
        if endpoint.auth != "basic" or self._bearer_for_basic:
            headers, tokens = self._authorization(endpoint.auth)
        host = config._host
        if endpoint.rooted and host is not self._root_host:
            self._check_root_host(host)
        if endpoint.accept != "application/json":  # e.g. the text/plain form of get_log
            headers = merge_headers(headers, {"Accept": endpoint.accept})
        if body is not None:
            headers = {**headers, "Content-Type": "application/json"}
        if endpoint.headers:
            headers = merge_headers(headers, check_headers(endpoint.header_values(arguments), endpoint.operation_id))
        if options:
            extra_headers = options.get("_headers")
            if extra_headers:
                extra_headers = check_headers(extra_headers, "_headers")
                headers = merge_headers(headers, extra_headers)
                if tokens is not None and any(name.lower() == "authorization" for name in extra_headers):
                    tokens = None  # the caller's own Authorization wins: no token is fetched
        return host + path, headers, body, timeout, retries, tokens


def merge_headers(headers: Mapping[str, str], overrides: Mapping[str, str]) -> Dict[str, str]:
    """``headers`` updated with ``overrides``, header names compared without regard to case."""
    replaced = {name.lower() for name in overrides}
    merged = {name: value for name, value in headers.items() if name.lower() not in replaced}
    merged.update(overrides)
    return merged
