"""Settings of a client: where the server is, how to authenticate, how to connect.

Names follow OpenAPI Generator's ``Configuration`` so its users feel at home.
Transport settings (TLS, proxy, pool size) are read when an ``ApiClient`` opens
its session; host, credentials, headers, retries and timeout are read on every
request, so a refreshed ``access_token`` takes effect at once.
"""

from __future__ import annotations

import base64
import copy
import math
import re
from typing import Awaitable, Callable, Dict, Mapping, Optional, Tuple, Union

from yarl import URL

from titanium_airflow_client.exceptions import ApiTypeError, ApiValueError
from titanium_airflow_client.version import __version__

# Seconds in total, or a (connect, read) pair of seconds.
RequestTimeout = Union[float, Tuple[float, float]]
# An async callable handing out a Bearer token (a managed service's: Cloud Composer, Astronomer, MWAA).
TokenProvider = Callable[[], Awaitable[str]]

DEFAULT_HOST = "http://localhost:8080/api/v1"
DEFAULT_TIMEOUT: float = 60.0
DEFAULT_RETRIES = 2
DEFAULT_USER_AGENT = f"titanium-airflow-client/{__version__} (python)"
# Far above any real answer (a 10,000-run listing is about 6 MB), far below what would exhaust memory.
DEFAULT_MAX_RESPONSE_BYTES = 128 * 1024 * 1024

_SECRET_FIELDS = ("password", "access_token", "token_provider")  # a provider's repr may hold its credentials

_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 token
_HEADER_VALUE_FORBIDDEN = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # control characters, CR and LF among them
_AIRFLOW_VERSION = re.compile(r"\d+\.\d+")  # what server_version must start with: major.minor


def check_headers(headers: Mapping[str, str], name: str) -> Dict[str, str]:
    """A copy of ``headers`` once every name is a token and no value has a control character.

    Raises ApiTypeError/ApiValueError naming the header, never its value (it may be a secret).
    """
    if not isinstance(headers, Mapping):
        raise ApiTypeError(f"{name} must be a mapping of str to str, got {type(headers).__name__}")
    for key, value in headers.items():
        if not isinstance(key, str):
            raise ApiTypeError(f"{name}: header names must be str, got {type(key).__name__}")
        if not isinstance(value, str):
            raise ApiTypeError(f"{name}: the value of {key!r} must be str, got {type(value).__name__}")
        if not _HEADER_NAME.fullmatch(key):
            raise ApiValueError(f"{name}: {key!r} is not a valid header name")
        if _HEADER_VALUE_FORBIDDEN.search(value):
            raise ApiValueError(f"{name}: the value of {key!r} contains a control character (CR, LF, NUL...)")
    return dict(headers)


def check_proxy(value: Optional[str]) -> Optional[str]:
    """None, or an http(s) URL with a host."""
    if value is None:
        return None
    try:
        url = URL(value) if isinstance(value, str) else None
        valid = url is not None and url.scheme in ("http", "https") and bool(url.raw_host) and url.port is not None
    except ValueError:  # e.g. a port out of range
        valid = False
    if not valid:  # the value is not shown: it may hold the proxy's credentials
        raise ApiValueError("proxy must be an http:// or https:// URL with a host")
    return value


def check_host(value: object) -> str:
    """An http(s) base URL that request paths can be appended to, without its trailing slash.

    Refused: userinfo, a query or fragment, whitespace or control characters, and raw non-ASCII
    outside the host name (paths must be percent-encoded). An international host name is kept in
    its ASCII (IDNA, ``xn--``) form, which is what goes on the wire.
    """
    if not isinstance(value, str):
        raise ApiTypeError(f"host must be str, got {type(value).__name__}")
    shown = "<not shown: it contains '@'>" if "@" in value else repr(value)  # '@' may follow a secret
    if any(char.isspace() or not char.isprintable() for char in value):
        raise ApiValueError(f"host must not contain whitespace or control characters, got {shown}")
    try:
        url: Optional[URL] = URL(value)
    except ValueError:  # a port out of range, a broken IPv6 address, a host name IDNA cannot encode...
        url = None
    if url is not None and "@" in url.raw_authority:
        # The secret would be in every URL, log line and exception message: refuse it (without showing it).
        raise ApiValueError(
            "host must not contain credentials ('user:password@'); set username and password"
            " (or access_token) instead"
        )
    if url is None or url.scheme not in ("http", "https") or not url.raw_host:
        raise ApiValueError(f"host must be an http:// or https:// URL, got {shown}")
    if "?" in value or "#" in value:  # the request path would land in the query or fragment
        raise ApiValueError(f"host must not have a query ('?') or a fragment ('#'), got {shown}")
    if not value.isascii():
        scheme, _, rest = value.partition("://")
        authority, slash, path = rest.partition("/")
        port = authority.rpartition(":")[2] if ":" in authority else None
        if not path.isascii() or not (port or "").isascii():
            raise ApiValueError(
                f"host must be ASCII outside the host name (percent-encode the path), got {shown}"
            )
        value = f"{scheme}://{url.raw_host}{'' if port is None else ':' + port}{slash}{path}"
    return value.rstrip("/")


def check_timeout(value: object, name: str) -> RequestTimeout:
    """A finite positive number of seconds, or a (connect, read) pair of them."""
    parts = value if isinstance(value, tuple) else (value,)
    if len(parts) != (2 if isinstance(value, tuple) else 1) or isinstance(value, list):  # (5,) is no pair
        raise ApiTypeError(f"{name} must be seconds or a (connect, read) pair of seconds, got {value!r}")
    for part in parts:
        if isinstance(part, bool) or not isinstance(part, (int, float)):
            raise ApiTypeError(f"{name} must be seconds or a (connect, read) pair of seconds, got {value!r}")
        if not (part > 0 and math.isfinite(part)):
            raise ApiValueError(f"{name} must be finite and greater than 0, got {value!r}")
    if isinstance(value, tuple):
        return (float(value[0]), float(value[1]))
    return float(value)  # type: ignore[arg-type]  # checked above


class Configuration:
    """Settings for :class:`~titanium_airflow_client.ApiClient`.

    :param host: base URL of the API: ``http://localhost:8080/api/v1`` for Airflow 2's v1 API, the
        server's root (``http://localhost:8080``) for Airflow 3's v2 API.
    :param username: user name: sent as HTTP Basic to the v1 API, exchanged for a JWT by the v2 API.
    :param password: its password.
    :param access_token: token for ``Authorization: Bearer``.
    :param token_provider: an async callable returning a Bearer token, awaited when the client has
        none, when it is about to expire (a JWT's ``exp``) and once after the server refused it.
        Set one of username/password, access_token and token_provider.
    :param verify_ssl: verify the server's TLS certificate (on by default).
    :param ssl_ca_cert: file of CA certificates to verify the server with.
    :param cert_file: client certificate file, for servers that ask for one.
    :param key_file: private key of ``cert_file``.
    :param proxy: URL of an HTTP proxy.
    :param proxy_headers: headers sent to the proxy (e.g. ``Proxy-Authorization``).
    :param connection_pool_maxsize: most connections open at once to the server.
    :param retries: how often an idempotent request is retried after a connection
        error or a 429/502/503/504 answer; 0 disables retries.
    :param request_timeout: default timeout of a request: total seconds, or a
        (connect, read) pair of seconds. Always finite.
    :param default_headers: headers sent on every request.
    :param user_agent: the ``User-Agent`` header.
    :param max_response_bytes: the largest response body read (decompressed), in bytes;
        a larger one raises ``ApiResponseTooLargeError``. None reads any size.
    :param server_version: the server's Airflow version (e.g. ``"3.0.6"``). A call that uses an operation
        or parameter a later release added is then refused before sending (``ApiVersionError``). None: the
        client asks the server (``GET .../version``) once, the first time a call uses such a thing.
    """

    def __init__(
        self,
        host: Optional[str] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        access_token: Optional[str] = None,
        *,
        verify_ssl: bool = True,
        ssl_ca_cert: Optional[str] = None,
        cert_file: Optional[str] = None,
        key_file: Optional[str] = None,
        proxy: Optional[str] = None,
        proxy_headers: Optional[Dict[str, str]] = None,
        connection_pool_maxsize: int = 100,
        retries: int = DEFAULT_RETRIES,
        request_timeout: RequestTimeout = DEFAULT_TIMEOUT,
        default_headers: Optional[Dict[str, str]] = None,
        user_agent: str = DEFAULT_USER_AGENT,
        max_response_bytes: Optional[int] = DEFAULT_MAX_RESPONSE_BYTES,
        token_provider: Optional[TokenProvider] = None,
        server_version: Optional[str] = None,
    ) -> None:
        self.host = DEFAULT_HOST if host is None else host
        self.username = username
        self.password = password
        self.access_token = access_token
        self.token_provider = token_provider
        self.verify_ssl = verify_ssl
        self.ssl_ca_cert = ssl_ca_cert
        self.cert_file = cert_file
        self.key_file = key_file
        self.proxy = proxy
        self.proxy_headers = check_headers(proxy_headers, "proxy_headers") if proxy_headers else None
        if isinstance(connection_pool_maxsize, bool) or not isinstance(connection_pool_maxsize, int):
            raise ApiTypeError(f"connection_pool_maxsize must be int, got {connection_pool_maxsize!r}")
        if connection_pool_maxsize < 1:
            raise ApiValueError(f"connection_pool_maxsize must be at least 1, got {connection_pool_maxsize}")
        self.connection_pool_maxsize = connection_pool_maxsize
        self.retries = retries
        self.request_timeout = request_timeout
        self.default_headers: Dict[str, str] = check_headers(default_headers or {}, "default_headers")
        self.user_agent = user_agent
        self.max_response_bytes = max_response_bytes
        self.server_version = server_version
        self._auth_cache: Tuple[Tuple[object, ...], Optional[str]] = ((), None)

    # The properties check what is assigned. ApiClient and its transport read the checked values
    # (_host, _retries, _request_timeout, _max_response_bytes) directly, once per request.
    @property
    def host(self) -> str:
        """Base URL of the API, without a trailing slash."""
        return self._host

    @host.setter
    def host(self, value: str) -> None:
        self._host = check_host(value)

    @property
    def token_provider(self) -> Optional[TokenProvider]:
        """The async callable handing out Bearer tokens, or None."""
        return self._token_provider

    @token_provider.setter
    def token_provider(self, value: Optional[TokenProvider]) -> None:
        if value is not None and not callable(value):
            raise ApiTypeError(f"token_provider must be an async callable returning a str, got {type(value).__name__}")
        self._token_provider = value

    @property
    def proxy(self) -> Optional[str]:
        """URL of an HTTP proxy, or None."""
        return self._proxy

    @proxy.setter
    def proxy(self, value: Optional[str]) -> None:
        self._proxy = check_proxy(value)

    @property
    def retries(self) -> int:
        """Retries of an idempotent request after a transient failure."""
        return self._retries

    @retries.setter
    def retries(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ApiTypeError(f"retries must be int, got {value!r}")
        if value < 0:
            raise ApiValueError(f"retries must be 0 or more, got {value}")
        self._retries = value

    @property
    def max_response_bytes(self) -> Optional[int]:
        """The largest response body read, in bytes (None: no limit)."""
        return self._max_response_bytes

    @max_response_bytes.setter
    def max_response_bytes(self, value: Optional[int]) -> None:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ApiTypeError(f"max_response_bytes must be int or None, got {value!r}")
        if value is not None and value < 1:
            raise ApiValueError(f"max_response_bytes must be at least 1, got {value}")
        self._max_response_bytes = value

    @property
    def server_version(self) -> Optional[str]:
        """The server's Airflow version, or None (then asked when a call needs it)."""
        return self._server_version

    @server_version.setter
    def server_version(self, value: Optional[str]) -> None:
        if value is not None and (not isinstance(value, str) or not _AIRFLOW_VERSION.match(value.strip())):
            raise ApiValueError(f"server_version must be an Airflow version such as '3.0.6', got {value!r}")
        self._server_version = value

    @property
    def request_timeout(self) -> RequestTimeout:
        """Default timeout: total seconds, or a (connect, read) pair of seconds."""
        return self._request_timeout

    @request_timeout.setter
    def request_timeout(self, value: RequestTimeout) -> None:
        self._request_timeout = check_timeout(value, "request_timeout")

    def auth_header(self) -> Optional[str]:
        """The ``Authorization`` value of the v1 API for the configured credentials, or None (also
        with a ``token_provider``, whose tokens the ApiClient asks for itself). Raises ApiValueError
        unless one of username/password, access_token and token_provider is set, or none."""
        key = (self.username, self.password, self.access_token, self._token_provider)
        if key != self._auth_cache[0]:
            self._auth_cache = (key, self._build_auth_header())
        return self._auth_cache[1]

    def _build_auth_header(self) -> Optional[str]:
        has_basic = self.username is not None or self.password is not None
        if self._token_provider is not None and (has_basic or self.access_token is not None):
            raise ApiValueError(
                "set only one of username/password, access_token and token_provider; token_provider is set"
                f" together with {'username/password' if has_basic else 'access_token'}"
            )
        if self.access_token is not None and has_basic:
            raise ApiValueError("set either access_token or username/password, not both")
        if self.access_token is not None:
            if not isinstance(self.access_token, str) or _HEADER_VALUE_FORBIDDEN.search(self.access_token):
                raise ApiValueError("access_token must be a str without control characters (CR, LF, NUL...)")
            return f"Bearer {self.access_token}"
        if has_basic:
            if self.username is None or self.password is None:
                raise ApiValueError("HTTP Basic authentication needs both username and password")
            try:
                token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode("ascii")
            except UnicodeEncodeError:  # a lone surrogate; the message must not show the password
                raise ApiValueError("username and password must be encodable as UTF-8") from None
            return f"Basic {token}"
        return None

    def __deepcopy__(self, memo: Dict[int, object]) -> Configuration:
        clone = copy.copy(self)
        clone.default_headers = dict(self.default_headers)
        clone.proxy_headers = dict(self.proxy_headers) if self.proxy_headers else None
        return clone

    def __repr__(self) -> str:
        shown = []
        for name in ("host", "username", "password", "access_token", "token_provider", "verify_ssl", "proxy",
                     "retries", "request_timeout"):
            value = getattr(self, name)
            if name in _SECRET_FIELDS and value is not None:
                value = "***"
            elif name == "proxy" and value is not None and "@" in value:
                value = _hide_userinfo(value)
            shown.append(f"{name}={value!r}")
        return f"Configuration({', '.join(shown)})"


def _hide_userinfo(url: str) -> str:
    """``http://user:secret@proxy:3128`` → ``http://user:***@proxy:3128``."""
    parsed = URL(url)
    if parsed.raw_password is not None:
        return str(parsed.with_password("***"))
    return str(parsed.with_user("***"))  # a lone user part may be a token
