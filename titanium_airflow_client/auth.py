"""Bearer tokens that change while a client runs: Airflow 3's JWT login, and a caller's token provider.

An ApiClient keeps one :class:`TokenSource` for its credentials. It hands out the current token,
fetches a new one when there is none or the one it has is about to expire (a JWT's ``exp``), and
drops one the server refused (:func:`token_rejected`) so that the next ask fetches anew. However
many calls ask at once, one fetch runs and the others await it.

Tokens are read, never verified: the payload of a JWT is base64-decoded for its ``exp`` and ``iat``
only. A token whose lifetime cannot be read is kept until the server refuses it.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import math
import time
from typing import Any, Awaitable, Callable, Dict, Mapping, Optional

from typing_extensions import TypeGuard

from titanium_airflow_client.configuration import Configuration, TokenProvider, check_headers
from titanium_airflow_client.exceptions import (
    ApiDecodeError,
    ApiValueError,
    OpenApiException,
    TokenProviderError,
    exception_for_status,
)
from titanium_airflow_client.rest import RESTClientObject

# Where Airflow 3 exchanges a user name and password for a JWT, below the server's root.
LOGIN_PATH = "/auth/token"
# A token is renewed when less than this share of its lifetime is left, and at most this many seconds.
RENEW_SHARE = 0.1
RENEW_MARGIN_MAX = 60.0
# Airflow 3.3 answers 401 {"detail": "Token Expired"} for an expired JWT, but 403 {"detail": "Invalid JWT
# token"} for a revoked or tampered one (test/integration_v2/test_auth.py shows both): a 401 always means a
# new token, a 403 only with one of these details (a 403 for a missing permission is not about the token).
REJECTED_TOKEN_DETAILS = frozenset({"Invalid JWT token", "Token Expired"})

# What renewal times are measured with: monotonic, so a change of the wall clock moves nothing.
clock: Callable[[], float] = time.monotonic


def token_rejected(status: int, body: bytes) -> bool:
    """Whether an answer says the Bearer token sent is no good (and a new one may do)."""
    if status == 401:
        return True
    if status != 403 or not body or len(body) > 1024:  # a 403 for a missing permission is longer, or not JSON
        return False
    try:
        payload: Any = json.loads(body)
    except (ValueError, RecursionError):
        return False
    return isinstance(payload, dict) and payload.get("detail") in REJECTED_TOKEN_DETAILS


def jwt_lifetime(token: str) -> Optional[float]:
    """Seconds the JWT ``token`` is valid for, counted from when it was issued; None if that cannot be read.

    With ``iat`` the lifetime is ``exp - iat``, which does not depend on the two clocks agreeing;
    without it, ``exp`` is compared with this machine's clock.
    """
    claims = _jwt_claims(token)
    expires = claims.get("exp") if claims else None
    if not _is_number(expires):
        return None
    issued = claims.get("iat") if claims else None
    lifetime = expires - issued if _is_number(issued) else expires - time.time()
    return lifetime if lifetime > 0 and math.isfinite(lifetime) else None


def _jwt_claims(token: str) -> Optional[Dict[str, Any]]:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1]
    try:
        claims: Any = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, binascii.Error, RecursionError):  # not base64, not UTF-8, not JSON
        return None
    return claims if isinstance(claims, dict) else None


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def renew_after(lifetime: Optional[float]) -> Optional[float]:
    """Seconds after which a token of ``lifetime`` seconds is renewed: before the last 10% of it
    (at most the last 60 s) begins. None: never by time."""
    if lifetime is None:
        return None
    return lifetime - min(RENEW_MARGIN_MAX, RENEW_SHARE * lifetime)


class TokenSource:
    """The current token of one set of credentials, fetched by ``fetch`` when needed, one fetch at a time.

    It belongs to the event loop of its ApiClient, like the client's session.
    """

    def __init__(self, fetch: Callable[[], Awaitable[str]]) -> None:
        self._fetch = fetch
        self._token: Optional[str] = None
        self._renew_at: Optional[float] = None  # clock() time; None: keep until refused
        self._pending: Optional[asyncio.Future[str]] = None

    def __repr__(self) -> str:  # never the token
        return f"TokenSource(has_token={self._token is not None})"

    def current(self) -> Optional[str]:
        """The cached token while it is good to send, else None (then ``await token()``): no coroutine
        on the way of every call."""
        token = self._token
        if token is not None and (self._renew_at is None or clock() < self._renew_at):
            return token
        return None

    async def token(self) -> str:
        """The token to send now; fetched first when there is none or it is about to expire."""
        token = self.current()
        if token is not None:
            return token
        pending = self._pending
        if pending is None:
            pending = self._pending = asyncio.ensure_future(self._renew())
            pending.add_done_callback(_mark_retrieved)
        # Shielded: a caller that is cancelled leaves the fetch running for the others.
        return await asyncio.shield(pending)

    def reject(self, token: str) -> None:
        """The server refused ``token``: the next ``token()`` fetches a new one (unless that happened already)."""
        if self._token == token:
            self._token = None

    async def _renew(self) -> str:
        try:
            token = await self._fetch()
            delay = renew_after(jwt_lifetime(token))
            self._token, self._renew_at = token, None if delay is None else clock() + delay
            return token
        finally:
            self._pending = None


def _mark_retrieved(future: asyncio.Future[str]) -> None:
    """A fetch every caller stopped waiting for must not warn "exception was never retrieved"."""
    if not future.cancelled():
        future.exception()


def checked_token(token: object, source: str) -> str:
    """``token`` if it can go in an ``Authorization`` header; the message never shows it."""
    if not isinstance(token, str):
        raise TokenProviderError(f"{source} must give a str, got {type(token).__name__}")
    if not token or token != token.strip() or any(ord(char) < 0x20 or ord(char) == 0x7F for char in token):
        raise TokenProviderError(f"{source} gave an empty token, or one with whitespace or control characters")
    return token


def provider_fetch(provider: TokenProvider) -> Callable[[], Awaitable[str]]:
    """``fetch`` for a TokenSource asking ``provider``; its failures become TokenProviderError (cause chained)."""

    async def fetch() -> str:
        try:
            token = await provider()
        except OpenApiException as exc:  # e.g. a provider that calls another API with this library
            raise TokenProviderError(f"token_provider failed: {type(exc).__name__}: {exc}") from exc
        except Exception as exc:  # the provider's own errors; cancellation passes through
            raise TokenProviderError(f"token_provider failed: {type(exc).__name__}: {str(exc)[:300]}") from exc
        return checked_token(token, "token_provider")

    return fetch


def login_fetch(
    rest: RESTClientObject,
    configuration: Configuration,
    headers: Callable[[], Mapping[str, str]],
    username: str,
    password: str,
) -> Callable[[], Awaitable[str]]:
    """``fetch`` for a TokenSource logging in at ``{host}/auth/token`` (Airflow 3) with these credentials.

    ``headers`` gives the client's own headers at the time (Accept, User-Agent, default headers).
    The timeout and retries are the configuration's. A refusal raises the status's exception
    (UnauthorizedException for a wrong password) naming the login URL; the password is in no
    message, and is cut out of any answer that quotes it.
    """

    async def fetch() -> str:
        url = configuration._host + LOGIN_PATH
        try:
            body = json.dumps({"username": username, "password": password}, ensure_ascii=False).encode()
        except UnicodeEncodeError:  # a lone surrogate; the message must not show the password
            raise ApiValueError("username and password must be encodable as UTF-8") from None
        request_headers = check_headers({**headers(), "Content-Type": "application/json"}, "login headers")
        response = await rest.request(
            "POST", url, request_headers, body, configuration._request_timeout, configuration._retries,
            cross_origin_redirects=False,  # the body holds the password: it goes to this server only
        )
        answer = _without_secret(response.data, password)
        if not 200 <= response.status < 300:
            raise exception_for_status(response.status)(
                response.status, f"{response.reason} (logging in at {url} failed)", answer, response.headers,
                method="POST", url=url,
            )
        token: Any = None
        try:
            payload: Any = json.loads(response.data)
            token = payload.get("access_token") if isinstance(payload, dict) else None
        except (ValueError, RecursionError):
            pass
        if not isinstance(token, str) or not token:
            raise ApiDecodeError(
                f"logging in at {url}: the answer has no access_token", response.status, response.reason,
                b"", response.headers, method="POST", url=url,
            )
        try:
            return checked_token(token, f"logging in at {url}: the answer")
        except TokenProviderError as exc:  # the server's doing, not a provider's
            raise ApiDecodeError(str(exc), response.status, response.reason, b"", response.headers,
                                 method="POST", url=url) from None

    return fetch


def _without_secret(body: bytes, secret: str) -> bytes:
    """``body`` with every copy of ``secret`` (raw or JSON-escaped) replaced by ``***``."""
    if not secret:
        return body
    for form in {secret.encode("utf-8", "replace"), json.dumps(secret)[1:-1].encode()}:
        if form:
            body = body.replace(form, b"***")
    return body


__all__ = ["LOGIN_PATH", "TokenSource", "jwt_lifetime", "login_fetch", "provider_fetch", "token_rejected"]
