"""Transport: one aiohttp session per client, TLS, timeouts, retries, transport errors.

This layer moves bytes. It knows nothing of endpoints or models; it turns every
aiohttp failure into a library exception and retries what is safe to retry.
"""

from __future__ import annotations

import asyncio
import copy
import email.utils
import functools
import logging
import math
import random
import re
import ssl
import threading
import time
from typing import Callable, List, Mapping, NamedTuple, Optional, Tuple, Union

import aiohttp
from aiohttp.client import _RequestContextManager
from aiohttp.client_reqrep import RequestInfo
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from titanium_airflow_client.configuration import Configuration, RequestTimeout, check_headers
from titanium_airflow_client.exceptions import (  # ApiException is re-exported, as generated clients do
    ApiConnectionError,
    ApiException,
    ApiResponseTooLargeError,
    ApiTimeoutError,
    ApiValueError,
)

__all__ = ["RESTClientObject", "RESTResponse", "RESTStream", "ApiException"]

logger = logging.getLogger("titanium_airflow_client")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({429, 502, 503, 504})
BACKOFF_BASE = 0.25  # seconds before the first retry (before jitter)
BACKOFF_MAX = 8.0
RETRY_AFTER_MAX = 30.0
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 10
URL_CACHE_SIZE = 128  # parsed request URLs kept per client (as many as yarl keeps); emptied when full
CLOSED_DURING_CALL = "the ApiClient was closed during the call"
# Dropped from a redirected request when the new URL has another origin (scheme, host or port).
CROSS_ORIGIN_DROPPED_HEADERS = ("Authorization", "Proxy-Authorization", "Cookie")


_NO_CONTENT_TYPE = ("Content-Type",)
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

class RESTResponse:
    """A complete HTTP response: the body has been read."""

    __slots__ = ("data", "headers", "reason", "status")

    def __init__(self, status: int, reason: str, headers: CIMultiDictProxy[str], data: bytes) -> None:
        self.status = status
        self.reason = reason
        self.headers = headers
        self.data = data


class RESTStream(RESTResponse):
    """A 2xx response whose body is read as it arrives (``data`` stays empty): ``read_chunk()`` until it
    returns ``b""``, then ``close()``. Read failures raise the library's exceptions, as ``request()`` does."""

    __slots__ = ("_call", "_response", "_session")

    def __init__(self, response: aiohttp.ClientResponse, session: aiohttp.ClientSession, call: _Call) -> None:
        super().__init__(response.status, response.reason or "", response.headers, b"")
        self._response = response
        self._session = session
        self._call = call

    async def read_chunk(self) -> bytes:
        """The next bytes of the body, as they arrive (decompressed); ``b""`` at its end."""
        error: Optional[Exception] = None
        try:
            return await self._response.content.readany()
        except (asyncio.TimeoutError, aiohttp.ClientError, asyncio.CancelledError, RuntimeError) as exc:
            error = _library_error(exc, self._session, self._call)
            if error is None:
                if not isinstance(exc, aiohttp.ClientError):
                    raise
                # Nothing is retried once the body has started: a dropped connection is the answer.
                reason = CLOSED_DURING_CALL if self._session.closed else _describe(exc)
                error = ApiConnectionError(self._call[0], self._call[1], reason)
                error.__cause__ = detached(exc)
        raise error

    @property
    def method(self) -> str:
        """The method of the call this answers."""
        return self._call[0]

    @property
    def url(self) -> str:
        """The URL of the call this answers (not of a redirect's hop)."""
        return self._call[1]

    def close(self) -> None:
        """Give back the connection: to the pool once the body was read to its end, else closed."""
        if self._response.content.at_eof():
            self._response.release()
        else:
            self._response.close()


def to_client_timeout(timeout: RequestTimeout) -> aiohttp.ClientTimeout:
    """Total seconds, or (connect, read): the connect part bounds waiting for a pooled connection too."""
    if isinstance(timeout, tuple):
        return aiohttp.ClientTimeout(total=None, connect=timeout[0], sock_read=timeout[1])
    return aiohttp.ClientTimeout(total=timeout)


def to_stream_timeout(timeout: RequestTimeout) -> aiohttp.ClientTimeout:
    """The timeout of a streamed answer, which may rightly last for hours: no total, but the same
    seconds bound getting a connection and each wait for data (``(connect, read)`` as for requests)."""
    if isinstance(timeout, tuple):
        return to_client_timeout(timeout)
    return aiohttp.ClientTimeout(total=None, connect=timeout, sock_read=timeout)


def retry_delay(attempt: int, retry_after: Optional[str]) -> float:
    """Seconds to wait before retry number ``attempt`` (1-based).

    Exponential backoff with full jitter, capped; a ``Retry-After`` header
    (seconds or an HTTP date) wins, capped at ``RETRY_AFTER_MAX``.
    """
    if retry_after:
        seconds: Optional[float]
        try:
            seconds = float(retry_after)
        except ValueError:
            try:
                seconds = email.utils.parsedate_to_datetime(retry_after).timestamp() - time.time()
            except (TypeError, ValueError):  # neither seconds nor an HTTP date: ignore it
                seconds = None
        if seconds is not None and not math.isnan(seconds):  # "nan" parses as a float
            return min(max(seconds, 0.0), RETRY_AFTER_MAX)
    return random.uniform(0, min(BACKOFF_MAX, BACKOFF_BASE * 2 ** (attempt - 1)))


class RESTClientObject:
    """Sends requests over one aiohttp session, created lazily inside the running loop."""

    def __init__(self, configuration: Configuration) -> None:
        self.configuration = configuration
        self._session: Optional[aiohttp.ClientSession] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._ssl_context: Union[ssl.SSLContext, bool, None] = None
        self._timeouts: dict[RequestTimeout, aiohttp.ClientTimeout] = {}
        self._stream_timeouts: dict[RequestTimeout, aiohttp.ClientTimeout] = {}
        self._urls: dict[str, URL] = {}  # the same URLs recur call after call (a run polled, pages listed)
        self._proxy: Optional[URL] = None
        self._proxy_headers: Optional[Mapping[str, str]] = None
        # Loops in other threads may race to open the session: exactly one may own it.
        self._session_lock = threading.Lock()

    def _ssl(self) -> Union[ssl.SSLContext, bool]:
        """The TLS set-up: ``True`` for the default one, aiohttp's own verified context (built when aiohttp
        is imported: building another would cost every process some 40 ms of CPU loading the system CAs)."""
        if self._ssl_context is None:
            config = self.configuration
            if config.verify_ssl and not (config.ssl_ca_cert or config.cert_file):
                self._ssl_context = True
                return True
            context = ssl.create_default_context(cafile=config.ssl_ca_cert)
            if config.cert_file:
                context.load_cert_chain(config.cert_file, config.key_file)
            if not config.verify_ssl:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            self._ssl_context = context
        return self._ssl_context

    def _get_session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        session = self._session
        if session is None or self._loop is not loop:
            with self._session_lock:
                if self._session is None:
                    self._session = self._open_session()
                    self._loop = loop
                elif self._loop is not loop:
                    raise ApiValueError(
                        "this ApiClient's session belongs to another event loop; create one ApiClient per loop"
                    )
                session = self._session
        return session

    def _open_session(self) -> aiohttp.ClientSession:
        config = self.configuration
        try:
            ssl_context = self._ssl()
        except (OSError, ssl.SSLError) as exc:
            raise ApiValueError(f"cannot load TLS settings (ssl_ca_cert/cert_file/key_file): {exc}") from exc
        # Read once per session, like the rest of the transport settings.
        self._proxy = None if config.proxy is None else URL(config.proxy)
        self._proxy_headers = check_headers(config.proxy_headers, "proxy_headers") if config.proxy_headers else None
        connector = aiohttp.TCPConnector(limit=config.connection_pool_maxsize, ssl=ssl_context)
        # Cookies are off: Airflow's session cookie must not stand in for the configured credentials.
        session = aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())
        # aiohttp silently resends an idempotent request once when the connection drops; that would make
        # `retries` a lie (retries=0 still retrying, 2 meaning up to 6 sends). The retry loop below is the only one.
        if hasattr(session, "_retry_connection"):  # aiohttp >= 3.11; a private switch, hence the check
            session._retry_connection = False
        return session

    def _client_timeout(self, timeout: RequestTimeout) -> aiohttp.ClientTimeout:
        client_timeout = self._timeouts.get(timeout)
        if client_timeout is None:
            client_timeout = self._timeouts[timeout] = to_client_timeout(timeout)
        return client_timeout

    def _stream_timeout(self, timeout: RequestTimeout) -> aiohttp.ClientTimeout:
        client_timeout = self._stream_timeouts.get(timeout)
        if client_timeout is None:
            client_timeout = self._stream_timeouts[timeout] = to_stream_timeout(timeout)
        return client_timeout

    async def close(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    async def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: Optional[bytes],
        timeout: RequestTimeout,
        retries: int,
        stream: bool = False,
        *,
        cross_origin_redirects: bool = True,
    ) -> RESTResponse:
        """Send one request (retrying what is safe to retry) and read the whole response.

        With ``stream``, a 2xx comes back as a :class:`RESTStream` whose body is still unread (the
        caller closes it); any other answer is read whole. Retries happen only before the answer's head
        arrived, and ``timeout`` bounds getting a connection and each wait for data, never the whole
        stream (see ``to_stream_timeout``).

        Redirects are followed here, not by aiohttp, so that the policy is ours:
        at most ``MAX_REDIRECTS``, only to http(s) URLs without userinfo, and
        without ``CROSS_ORIGIN_DROPPED_HEADERS`` once the origin changes; with
        ``cross_origin_redirects=False`` not to another origin at all (the body holds
        a secret: the login's password). Errors name the method and URL of the call,
        whatever hop failed.
        """
        session = self._session
        if session is None or self._loop is not asyncio.get_running_loop():
            session = self._get_session()
        client_timeout: Optional[aiohttp.ClientTimeout]
        if stream:
            client_timeout = self._stream_timeout(timeout)
            send = self._open
        else:
            client_timeout = self._timeouts.get(timeout)
            if client_timeout is None:
                client_timeout = self._client_timeout(timeout)
            send = self._send
        call: _Call = (method, url, timeout, client_timeout)
        target = self._urls.get(url)
        if target is None:
            if len(self._urls) >= URL_CACHE_SIZE:
                self._urls.clear()
            target = self._urls[url] = URL(url, encoded=True)  # already percent-encoded: no re-quoting
        hop = _new_hop((method, target, headers, body))
        attempt = redirects = 0
        while True:
            failure: Optional[aiohttp.ClientError] = None
            try:
                response = await send(session, call, hop)
            except aiohttp.ClientError as exc:
                failure = exc
            if failure is None and response.status < 300:  # the usual answer: nothing to retry or follow
                return response
            if failure is not None:  # raised out here, so that the raw error is not left in __context__
                if session.closed:  # close() cut the connection: that is the cause, not the server
                    raise ApiConnectionError(method, url, CLOSED_DURING_CALL) from detached(failure)
                # A refused connection provably never reached the server: safe to retry any method.
                never_sent = isinstance(failure, aiohttp.ClientConnectorError) and not isinstance(
                    failure, aiohttp.ClientConnectorCertificateError
                )
                if attempt < retries and (hop.method in IDEMPOTENT_METHODS or never_sent) and _is_transient(failure):
                    attempt += 1
                    await _wait_before_retry(hop, attempt, f"failed ({failure})", None)
                    continue
                raise ApiConnectionError(method, url, _describe(failure)) from detached(failure)
            status = response.status
            if status in RETRY_STATUSES and hop.method in IDEMPOTENT_METHODS and attempt < retries:
                attempt += 1
                await _wait_before_retry(hop, attempt, f"answered {status}", response.headers.get("Retry-After"))
                continue
            if status in REDIRECT_STATUSES:
                next_hop = _follow(hop, response)
                if next_hop is not None and not cross_origin_redirects:
                    next_hop = next_hop if next_hop.target.origin() == hop.target.origin() else None
                if next_hop is not None:  # otherwise the 3xx is the answer (an ApiException for the caller)
                    if redirects >= MAX_REDIRECTS:
                        raise ApiException(
                            status, f"too many redirects (more than {MAX_REDIRECTS})", response.data,
                            response.headers, method=method, url=url,
                        )
                    redirects += 1
                    hop = next_hop
                    continue
            return response

    def _begin(
        self, session: aiohttp.ClientSession, hop: _Hop, client_timeout: aiohttp.ClientTimeout
    ) -> _RequestContextManager:
        """aiohttp's request for ``hop``: awaited for a streamed answer, entered (``async with``) otherwise."""
        headers = hop.headers
        proxy_headers = self._proxy_headers
        if proxy_headers is not None and hop.target.scheme == "http":
            # aiohttp sends proxy_headers only in a CONNECT (https); a plain http request goes to the
            # proxy as it is, so they ride along (a proxy removes Proxy-Authorization before forwarding).
            headers = {**headers, **proxy_headers}
        return session.request(
            hop.method,
            hop.target,
            headers=headers,
            data=hop.body,
            # A PUT, POST or PATCH without a body would otherwise carry Content-Type: application/octet-stream.
            # (Only asked for then: aiohttp's handling of skip_auto_headers costs on every request.)
            skip_auto_headers=_NO_CONTENT_TYPE if hop.body is None and hop.method in _BODY_METHODS else None,
            timeout=client_timeout,
            proxy=self._proxy,
            proxy_headers=proxy_headers,
            allow_redirects=False,
        )

    async def _send(self, session: aiohttp.ClientSession, call: _Call, hop: _Hop) -> RESTResponse:
        """One exchange. aiohttp.ClientError is left to the retry policy; every other failure is mapped."""
        call_method, call_url, _, client_timeout = call
        debug = logger.isEnabledFor(logging.DEBUG)
        started = time.perf_counter() if debug else 0.0
        limit = self.configuration._max_response_bytes  # checked when set; read without a property call
        # Each failure is raised after the except block, so that the raw error (which may hold the request's
        # headers) is neither __cause__ nor __context__ of what the caller gets.
        error: Optional[Exception] = None
        try:
            async with self._begin(session, hop, client_timeout) as resp:
                # Most bodies arrive whole with the headers: one read, and the stream is at its end.
                content = resp.content
                body = await content.readany()
                if not content.at_eof() or (limit is not None and len(body) > limit):
                    body = await _read_body(resp, limit, call_method, call_url, body)
                response = RESTResponse(resp.status, resp.reason or "", resp.headers, body)
        except (asyncio.TimeoutError, aiohttp.ClientError, asyncio.CancelledError, RuntimeError, ValueError,
                TypeError) as exc:
            error = _library_error(exc, session, call)
            if error is None:
                raise
        if error is not None:
            raise error
        if debug:
            _log_exchange(hop, response.status, started)
        return response

    async def _open(self, session: aiohttp.ClientSession, call: _Call, hop: _Hop) -> RESTResponse:
        """``_send()`` for a streamed answer: a 2xx comes back unread, as a RESTStream."""
        call_method, call_url, _, client_timeout = call
        debug = logger.isEnabledFor(logging.DEBUG)
        started = time.perf_counter() if debug else 0.0
        error: Optional[Exception] = None
        try:
            resp = await self._begin(session, hop, client_timeout)
            if resp.status < 300:
                response: RESTResponse = RESTStream(resp, session, call)
            else:
                try:
                    body = await _read_body(resp, self.configuration._max_response_bytes, call_method, call_url,
                                            await resp.content.readany())
                    response = RESTResponse(resp.status, resp.reason or "", resp.headers, body)
                finally:
                    resp.release()
        except (asyncio.TimeoutError, aiohttp.ClientError, asyncio.CancelledError, RuntimeError, ValueError,
                TypeError) as exc:
            error = _library_error(exc, session, call)
            if error is None:
                raise
        if error is not None:
            raise error
        if debug:
            _log_exchange(hop, response.status, started)
        return response


def _log_exchange(hop: _Hop, status: int, started: float) -> None:
    elapsed = (time.perf_counter() - started) * 1e3
    logger.debug("%s %s -> %d in %.1f ms", hop.method, hop.target, status, elapsed)


def _library_error(exc: BaseException, session: aiohttp.ClientSession, call: _Call) -> Optional[Exception]:
    """The library's exception for what sending or reading raised, or None when ``exc`` goes on as it is:
    aiohttp.ClientError (for the retry policy) and a cancellation of the caller."""
    call_method, call_url, call_timeout, _ = call
    error: Exception
    if isinstance(exc, asyncio.TimeoutError):  # aiohttp's ServerTimeoutError among them
        error = ApiTimeoutError(call_method, call_url, call_timeout)
        error.__cause__ = detached(exc)
    elif isinstance(exc, aiohttp.ClientError):  # for request(): some are ValueErrors too (certificate errors)
        return None
    elif isinstance(exc, asyncio.CancelledError):
        # Closing the session cancels the calls waiting for a pooled connection:
        # that is no cancellation of the caller, so it must not look like one.
        if not session.closed or _cancelling():
            return None
        error = ApiConnectionError(call_method, call_url, CLOSED_DURING_CALL)
    elif isinstance(exc, RuntimeError):  # "Session is closed": close() ran while this call waited to retry
        if not session.closed:
            return None
        error = ApiConnectionError(call_method, call_url, CLOSED_DURING_CALL)
        error.__cause__ = detached(exc)
    elif isinstance(exc, (ValueError, TypeError)):  # aiohttp refused to build the request (e.g. a header value)
        # Neither its text nor the exception itself: it may quote a header's value, which may be a secret.
        error = ApiValueError(
            f"{call_method} {call_url}: the request cannot be sent ({type(exc).__name__}); check the headers"
        )
    else:
        return None
    return error


async def _read_body(
    resp: aiohttp.ClientResponse, limit: Optional[int], call_method: str, call_url: str, first: bytes
) -> bytes:
    """The whole body (decompressed, as aiohttp hands it over) from its ``first`` chunk on,
    refused once it grows past ``limit`` bytes."""
    chunks: List[bytes] = []
    size = 0
    chunk = first
    while chunk:
        size += len(chunk)
        if limit is not None and size > limit:  # the rest stays unread: the connection is closed, not reused
            raise ApiResponseTooLargeError(call_method, call_url, limit, resp.status, resp.reason, resp.headers)
        chunks.append(chunk)
        chunk = await resp.content.readany()
    return b"".join(chunks)


# What errors report, the call as the caller made it: method, URL, timeout, and that timeout for aiohttp.
# A plain tuple: it is built on every call, and a NamedTuple's constructor is a Python function.
_Call = Tuple[str, str, RequestTimeout, aiohttp.ClientTimeout]


class _Hop(NamedTuple):
    """What is sent next: the call itself, or where a redirect sent it."""

    method: str
    target: URL
    headers: Mapping[str, str]
    body: Optional[bytes]


# _Hop((method, target, headers, body)) without the NamedTuple's Python-level __new__: the first hop is built
# on every call. (What NamedTuple._make does, minus its length check: the tuple is written out in place.)
_new_hop: Callable[[Tuple[str, URL, Mapping[str, str], Optional[bytes]]], _Hop] = functools.partial(
    tuple.__new__, _Hop
)


async def _wait_before_retry(hop: _Hop, attempt: int, outcome: str, retry_after: Optional[str]) -> None:
    delay = retry_delay(attempt, retry_after)
    logger.debug("%s %s %s; retry %d in %.2fs", hop.method, hop.target, outcome, attempt, delay)
    await asyncio.sleep(delay)


def _follow(hop: _Hop, response: RESTResponse) -> Optional[_Hop]:
    """The request a redirect asks for, or None when it is not one to follow."""
    location = _redirect_target(hop.target, response.headers.get("Location"))
    if location is None:
        return None
    logger.debug("%s %s: redirected (%d) to %s", hop.method, hop.target, response.status, location)
    method, headers, body = hop.method, hop.headers, hop.body
    if location.origin() != hop.target.origin():  # and they stay dropped, even if the chain comes back
        headers = {k: v for k, v in headers.items() if k.title() not in CROSS_ORIGIN_DROPPED_HEADERS}
    if (response.status == 303 and method != "HEAD") or (response.status in (301, 302) and method == "POST"):
        method, body = "GET", None
        headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    return _Hop(method, location, headers, body)


def _redirect_target(current: URL, location: Optional[str]) -> Optional[URL]:
    """The URL a redirect points to, or None when it is not one to follow."""
    if not location:
        return None
    try:
        resolved = current.join(URL(location))
        if resolved.scheme not in ("http", "https") or not resolved.raw_host or "@" in resolved.raw_authority:
            return None  # another scheme, no host, or credentials chosen by the server
        resolved.origin()  # raises ValueError for a bad port
    except ValueError:
        return None
    return resolved.with_fragment(None)


def _cancelling() -> bool:
    """Whether the current task is being cancelled (always True before Python 3.11: can't tell)."""
    cancelling = getattr(asyncio.current_task(), "cancelling", None)
    return cancelling is None or bool(cancelling())


def _is_transient(exc: aiohttp.ClientError) -> bool:
    """Connection-level failures worth another try; TLS and bad-URL errors are not."""
    if isinstance(exc, (aiohttp.ClientSSLError, aiohttp.InvalidURL)):
        return False
    return isinstance(exc, (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError))


_PARSER_STATUS = re.compile(r"\b400, message[=:]\s*")  # aiohttp's parser errors carry a 400 of their own


def _describe(exc: BaseException) -> str:
    if isinstance(exc, aiohttp.ClientResponseError):  # raised by the HTTP parser: its 400 is not the server's
        return f"invalid HTTP response: {exc.message}"
    text = _PARSER_STATUS.sub("", str(exc)) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if type(exc).__name__ not in text else text


_NO_HEADERS: CIMultiDictProxy[str] = CIMultiDictProxy(CIMultiDict())


def detached(exc: BaseException) -> BaseException:
    """A copy of ``exc`` to chain under a library exception, holding no credential.

    aiohttp's errors keep the request's headers (``Authorization``) in ``request_info``
    and the proxy's credentials in their connection key; the copy has neither, and no
    traceback, cause or context of its own (whose frames would hold them too).
    """
    try:
        clean = copy.copy(exc)  # type, args and attributes; not __cause__, __context__ or __traceback__
    except Exception:  # an error type that cannot be rebuilt from its args: keep its text only
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    if isinstance(clean, aiohttp.ClientResponseError):
        info = clean.request_info
        clean.request_info = RequestInfo(info.url, info.method, _NO_HEADERS, info.real_url)
        clean.history = ()
        clean.args = (clean.request_info, clean.history)
    key = getattr(clean, "_conn_key", None)
    if isinstance(clean, aiohttp.ClientConnectorError) and key is not None:
        clean._conn_key = key._replace(proxy_auth=None)
        clean.args = (clean._conn_key, *clean.args[1:])
    return clean
