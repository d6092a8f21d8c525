"""Transport: one aiohttp session per client, TLS, timeouts, retries, transport errors.

This layer moves bytes. It knows nothing of endpoints or models; it turns every
aiohttp failure into a library exception and retries what is safe to retry.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import ssl
import time
from typing import Mapping, Optional

import aiohttp
from multidict import CIMultiDictProxy
from yarl import URL

from titanium_airflow_client.configuration import Configuration, RequestTimeout
from titanium_airflow_client.exceptions import (  # re-exported: `from ...rest import ApiException`
    ApiConnectionError,
    ApiException,
    ApiTimeoutError,
    ApiValueError,
    BadRequestException,
    ConflictException,
    ForbiddenException,
    NotFoundException,
    ServiceException,
    UnauthorizedException,
)

__all__ = [
    "RESTClientObject",
    "RESTResponse",
    "ApiException",
    "ApiConnectionError",
    "ApiTimeoutError",
    "BadRequestException",
    "ConflictException",
    "ForbiddenException",
    "NotFoundException",
    "ServiceException",
    "UnauthorizedException",
]

logger = logging.getLogger("titanium_airflow_client")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({429, 502, 503, 504})
BACKOFF_BASE = 0.25  # seconds before the first retry (before jitter)
BACKOFF_MAX = 8.0
RETRY_AFTER_MAX = 30.0


class RESTResponse:
    """A complete HTTP response: the body has been read."""

    __slots__ = ("data", "headers", "reason", "status")

    def __init__(self, status: int, reason: str, headers: CIMultiDictProxy[str], data: bytes) -> None:
        self.status = status
        self.reason = reason
        self.headers = headers
        self.data = data


def to_client_timeout(timeout: RequestTimeout) -> aiohttp.ClientTimeout:
    """Total seconds, or (connect, read): the connect part bounds waiting for a pooled connection too."""
    if isinstance(timeout, tuple):
        return aiohttp.ClientTimeout(total=None, connect=timeout[0], sock_read=timeout[1])
    return aiohttp.ClientTimeout(total=timeout)


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
        if seconds is not None:
            return min(max(seconds, 0.0), RETRY_AFTER_MAX)
    return random.uniform(0, min(BACKOFF_MAX, BACKOFF_BASE * 2 ** (attempt - 1)))


class RESTClientObject:
    """Sends requests over one aiohttp session, created lazily inside the running loop."""

    def __init__(self, configuration: Configuration) -> None:
        self.configuration = configuration
        self._session: Optional[aiohttp.ClientSession] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._ssl_context: Optional[ssl.SSLContext] = None
        self._timeouts: dict[RequestTimeout, aiohttp.ClientTimeout] = {}

    def _ssl(self) -> ssl.SSLContext:
        if self._ssl_context is None:
            config = self.configuration
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
        if self._session is not None:
            if self._loop is not loop:
                raise ApiValueError(
                    "this ApiClient's session belongs to another event loop; create one ApiClient per loop"
                )
            return self._session
        try:
            ssl_context = self._ssl()
        except (OSError, ssl.SSLError) as exc:
            raise ApiValueError(f"cannot load TLS settings (ssl_ca_cert/cert_file/key_file): {exc}") from exc
        connector = aiohttp.TCPConnector(limit=self.configuration.connection_pool_maxsize, ssl=ssl_context)
        # Cookies are off: Airflow's session cookie must not stand in for the configured credentials.
        self._session = aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())
        self._loop = loop
        return self._session

    def _client_timeout(self, timeout: RequestTimeout) -> aiohttp.ClientTimeout:
        client_timeout = self._timeouts.get(timeout)
        if client_timeout is None:
            client_timeout = self._timeouts[timeout] = to_client_timeout(timeout)
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
    ) -> RESTResponse:
        """Send one request (retrying what is safe to retry) and read the whole response."""
        session = self._get_session()
        target = URL(url, encoded=True)  # already percent-encoded by the caller: no re-quoting
        client_timeout = self._client_timeout(timeout)
        config = self.configuration
        idempotent = method in IDEMPOTENT_METHODS
        debug = logger.isEnabledFor(logging.DEBUG)
        attempt = 0
        while True:
            started = time.perf_counter() if debug else 0.0
            try:
                async with session.request(
                    method,
                    target,
                    headers=headers,
                    data=body,
                    timeout=client_timeout,
                    proxy=config.proxy,
                    proxy_headers=config.proxy_headers,
                ) as resp:
                    data = await resp.read()
                    response = RESTResponse(resp.status, resp.reason or "", resp.headers, data)
            except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as exc:
                raise ApiTimeoutError(method, url, timeout) from exc
            except aiohttp.ClientError as exc:
                # A refused connection provably never reached the server: safe to retry any method.
                never_sent = isinstance(exc, aiohttp.ClientConnectorError) and not isinstance(
                    exc, aiohttp.ClientConnectorCertificateError
                )
                if attempt < retries and (idempotent or never_sent) and _is_transient(exc):
                    attempt += 1
                    delay = retry_delay(attempt, None)
                    logger.debug("%s %s failed (%s); retry %d in %.2fs", method, url, exc, attempt, delay)
                    await asyncio.sleep(delay)
                    continue
                raise ApiConnectionError(method, url, _describe(exc)) from exc
            if debug:
                logger.debug(
                    "%s %s -> %d in %.1f ms", method, url, response.status, (time.perf_counter() - started) * 1e3
                )
            if response.status in RETRY_STATUSES and idempotent and attempt < retries:
                attempt += 1
                delay = retry_delay(attempt, response.headers.get("Retry-After"))
                logger.debug("%s %s answered %d; retry %d in %.2fs", method, url, response.status, attempt, delay)
                await asyncio.sleep(delay)
                continue
            return response


def _is_transient(exc: aiohttp.ClientError) -> bool:
    """Connection-level failures worth another try; TLS and bad-URL errors are not."""
    if isinstance(exc, (aiohttp.ClientSSLError, aiohttp.InvalidURL)):
        return False
    return isinstance(exc, (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError))


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if type(exc).__name__ not in text else text

