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
from typing import Any, AsyncIterator, Callable, Coroutine, Dict, Mapping, Optional, Tuple, Type, TypeVar

from pydantic import ValidationError
from typing_extensions import Self, TypedDict

from titanium_airflow_client.api_response import ApiResponse
from titanium_airflow_client.auth import TokenSource, login_fetch, provider_fetch, token_rejected
from titanium_airflow_client.configuration import Configuration, RequestTimeout, check_headers, check_timeout
from titanium_airflow_client.decoding import decode_error, summarize_validation_error
from titanium_airflow_client.endpoint import Endpoint
from titanium_airflow_client.exceptions import (
    ApiException,
    ApiTypeError,
    ApiValueError,
    OpenApiException,
    exception_for_status,
)
from titanium_airflow_client.rest import RESTClientObject, RESTResponse, RESTStream
from titanium_airflow_client.server_version import STATUSES_OF_A_MISSING_FEATURE, Needs, ServerVersions, needs, note_for
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
# The headers of one Endpoint.auth mode, and the TokenSource of its Bearer token if the headers lack it.
_AuthHeaders = Tuple[Dict[str, str], Optional[TokenSource]]

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
        # Per Endpoint.auth, the headers to send and where a Bearer token comes from (None: the headers hold
        # the Authorization), under the key of what they were built from (see _prepare, _build_request_headers).
        self._request_headers: Tuple[Tuple[Any, ...], Dict[str, _AuthHeaders]] = ((), {})
        # The JWT login's or token provider's tokens, and the credentials and host they are for.
        self._tokens: Optional[TokenSource] = None
        # The last headers sent with a Bearer token: (the headers it was added to, the token, the result).
        self._bearer_headers: Tuple[Dict[str, str], str, Dict[str, str]] = ({}, "", {})
        self._tokens_key: Tuple[Any, ...] = ()
        self._root_host: Optional[str] = None  # the last host found to be a server root (v2's paths need one)
        self._server_versions = ServerVersions()

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

    def _build_request_headers(self, key: Tuple[Any, ...]) -> Dict[str, _AuthHeaders]:
        """For each ``Endpoint.auth``, ``_base_headers()`` with the configured credentials' Authorization, or
        without one and the TokenSource to ask for it; cached under ``key`` (what they are made of: host,
        credentials, user agent, then both default-header dicts, kept as copies; see ``_prepare``).

        The dicts are shared between calls, so they are never changed in place.
        """
        plain = self._base_headers()  # checks the headers (and raises) before the credentials, as ever
        config = self.configuration
        authorization = config.auth_header()  # raises unless the credentials are one kind
        with_authorization = plain if authorization is None else {**plain, "Authorization": authorization}
        by_auth: Dict[str, _AuthHeaders]
        if config._token_provider is not None:  # its tokens go to v1 endpoints too
            provided: _AuthHeaders = (plain, self._token_source())
            by_auth = {"basic": provided, "jwt": provided}
        elif config.username is not None:  # HTTP Basic for v1; v2 exchanges it for a JWT
            by_auth = {"basic": (with_authorization, None), "jwt": (plain, self._token_source())}
        else:  # an access_token is Bearer everywhere; no credentials, no Authorization
            by_auth = {"basic": (with_authorization, None), "jwt": (with_authorization, None)}
        by_auth["none"] = (plain, None)
        *settings, config_headers, client_headers = key
        self._request_headers = ((*settings, dict(config_headers), dict(client_headers)), by_auth)
        return by_auth

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
        response: ApiResponse[T] = await self._perform(endpoint, arguments, True)
        return response

    def call_data(self, endpoint: Endpoint[T], arguments: Mapping[str, Any]) -> Coroutine[Any, Any, T]:
        """``call()``, awaited for the decoded data alone: what an API method returns. Not a coroutine
        function of its own: the coroutine is ``_perform``'s, without a frame more on each of its resumes."""
        return self._perform(endpoint, arguments, False)

    async def _perform(self, endpoint: Endpoint[Any], arguments: Mapping[str, Any], whole: bool) -> Any:
        """``call()``'s work; ``whole``: return the ApiResponse, else the decoded data alone."""
        prepared = self._prepare(endpoint, arguments)
        unknown = None
        if endpoint.versioned:  # checked only when the call uses what a later release added (no coroutine else)
            needed = needs(endpoint, arguments)
            if needed:
                unknown = await self._check_server_version(endpoint, needed)
        url, headers, body, timeout, retries, tokens = prepared
        token = None if tokens is None else tokens.current()
        try:
            if tokens is None or token is not None:  # the usual case, without _exchange's frame: no token to fetch
                sent = headers if token is None else self._with_bearer(headers, token)
                response = await self.rest_client.request(endpoint.method, url, sent, body, timeout, retries)
                if not 200 <= response.status < 300:
                    response = await self._after_refusal(endpoint, prepared, token, response, False)
            else:
                response = await self._exchange(endpoint, prepared, False)
        except ApiException as exc:
            if unknown and exc.status in STATUSES_OF_A_MISSING_FEATURE:
                exc.add_note_text(note_for(unknown))
            raise
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
        if whole:
            return ApiResponse(response.status, response.headers, data, response.data)
        return data

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
        prepared = self._prepare(endpoint, arguments)
        return self._stream(endpoint, prepared, needs(endpoint, arguments) if endpoint.versioned else [])

    async def _stream(self, endpoint: Endpoint[T], prepared: _Prepared, needed: Needs) -> AsyncIterator[T]:
        unknown = await self._check_server_version(endpoint, needed)
        try:
            response = await self._exchange(endpoint, prepared, True)
        except ApiException as exc:
            if unknown and exc.status in STATUSES_OF_A_MISSING_FEATURE:
                exc.add_note_text(note_for(unknown))
            raise
        if not isinstance(response, RESTStream):  # request(stream=True) answers every 2xx as one
            raise TypeError(f"request(stream=True) answered a {type(response).__name__}")
        try:
            async for item in ndjson_items(endpoint, response, self.configuration._max_response_bytes):
                yield item
        finally:
            response.close()

    async def _exchange(self, endpoint: Endpoint[Any], prepared: _Prepared, stream: bool) -> RESTResponse:
        """Send the ``prepared`` request with its Bearer token, if it needs one, and answer as
        ``_after_refusal`` does for anything but a 2xx."""
        url, headers, body, timeout, retries, tokens = prepared
        token = None
        sent = headers
        if tokens is not None:
            token = tokens.current() or await tokens.token()  # no coroutine while the cached token is good
            sent = self._with_bearer(headers, token)
        response = await self.rest_client.request(endpoint.method, url, sent, body, timeout, retries, stream)
        if not 200 <= response.status < 300:
            response = await self._after_refusal(endpoint, prepared, token, response, stream)
        return response

    async def _after_refusal(
        self, endpoint: Endpoint[Any], prepared: _Prepared, token: Optional[str], response: RESTResponse, stream: bool
    ) -> RESTResponse:
        """What a non-2xx ``response`` to a request sent with ``headers`` (and ``token``) comes to: the
        answer to the request sent again with a new token if the server refused ``token``; otherwise,
        or if that is refused too, the status's exception is raised."""
        url, headers, body, timeout, retries, tokens = prepared
        method = endpoint.method
        status = response.status
        if tokens is not None and token is not None and token_rejected(status, response.data):
            tokens.reject(token)
            token = await tokens.token()
            sent = self._with_bearer(headers, token)
            response = await self.rest_client.request(method, url, sent, body, timeout, retries, stream)
            status = response.status
            if 200 <= status < 300:
                return response
        raise exception_for_status(status)(
            status, response.reason, response.data, response.headers, method=method, url=url
        )

    async def _check_server_version(self, endpoint: Endpoint[Any], needed: Needs) -> Optional[Needs]:
        """Raise ApiVersionError if the server is too old for what the call uses (``needed``); return
        ``needed`` when the server's version is unknown, for the note on an error answer."""
        if not needed:
            return None
        config = self.configuration
        known = await self._server_versions.check(
            needed, config._host, config._server_version, lambda: self._ask_version(endpoint.rooted)
        )
        return None if known else needed

    def _ask_version(self, rooted: bool) -> Coroutine[Any, Any, ApiResponse[Any]]:
        """``get_version`` of the host's API: v2's for a server root, v1's for an /api/v1 base URL."""
        if rooted:
            from titanium_airflow_client.v2.api.version_api import GET_VERSION
        else:
            from titanium_airflow_client.api.monitoring_api import GET_VERSION  # type: ignore[assignment]
        return self.call(GET_VERSION, {})

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
        # The headers' inputs are read on every call, so later changes count at once (a refreshed token, a
        # direct edit of a dict); they are checked and merged, and auth_header() asked, only when they changed.
        # (The values Configuration's properties checked when they were set are read without a call each.)
        host = config._host
        key = (
            host, config.username, config.password, config.access_token, config._token_provider, config.user_agent,
            config.default_headers, self.default_headers,
        )
        built_key, by_auth = self._request_headers  # its dicts are copies: an edit in place makes them differ
        if key != built_key:
            by_auth = self._build_request_headers(key)
        headers, tokens = by_auth[endpoint.auth]
        if endpoint.rooted and host is not self._root_host:
            self._check_root_host(host)
        if body is not None:
            headers = {**headers, "Content-Type": "application/json"}
        if endpoint.accept != "application/json" or endpoint.headers:
            headers = _with_endpoint_headers(endpoint, arguments, headers)
        if options:
            return self._with_options(endpoint.operation_id, options, (host + path, headers, body, tokens))
        return host + path, headers, body, config._request_timeout, config._retries, tokens

    def _with_options(
        self,
        operation_id: str,
        options: Mapping[str, Any],
        request: Tuple[str, Dict[str, str], Optional[bytes], Optional[TokenSource]],
    ) -> _Prepared:
        """The prepared ``request`` with the per-call options (timeout, retries, headers) applied."""
        config = self.configuration
        url, headers, body, tokens = request
        timeout = options.get("_request_timeout")
        timeout = config._request_timeout if timeout is None else check_timeout(timeout, "_request_timeout")
        retries = options.get("_retries")
        if retries is None:
            retries = config._retries
        elif isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise ApiValueError(f"_retries must be an int >= 0, got {retries!r}")
        extra_headers = options.get("_headers")
        if extra_headers:
            extra_headers = check_headers(extra_headers, "_headers")
            headers = merge_headers(headers, extra_headers)
            if tokens is not None and any(name.lower() == "authorization" for name in extra_headers):
                tokens = None  # the caller's own Authorization wins: no token is fetched
        return url, headers, body, timeout, retries, tokens


def _with_endpoint_headers(
    endpoint: Endpoint[Any], arguments: Mapping[str, Any], headers: Dict[str, str]
) -> Dict[str, str]:
    """``headers`` with the endpoint's own: the media type it asks for, the parameters sent as headers."""
    if endpoint.accept != "application/json":  # e.g. the text/plain form of get_log
        headers = merge_headers(headers, {"Accept": endpoint.accept})
    if endpoint.headers:
        headers = merge_headers(headers, check_headers(endpoint.header_values(arguments), endpoint.operation_id))
    return headers


def merge_headers(headers: Mapping[str, str], overrides: Mapping[str, str]) -> Dict[str, str]:
    """``headers`` updated with ``overrides``, header names compared without regard to case."""
    replaced = {name.lower() for name in overrides}
    merged = {name: value for name, value in headers.items() if name.lower() not in replaced}
    merged.update(overrides)
    return merged
