"""Which Airflow API a server serves, asked without credentials where possible.

    info = await detect_server("http://localhost:8080")
    # ServerInfo(api='v2', version='3.3.2', base_url='http://localhost:8080'); info.host is what
    # to put in Configuration.host for that API.

It asks ``GET {root}/api/v2/version`` (Airflow 3, open to all), then ``GET {root}/api/v1/version``
(Airflow 2). A 401 or 403 still shows that the API is there; with credentials (``configuration=``)
the version is asked for again with them.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import List, Optional, Tuple

from titanium_airflow_client.api_client import ApiClient
from titanium_airflow_client.configuration import Configuration, RequestTimeout, check_host, check_timeout
from titanium_airflow_client.endpoint import Endpoint
from titanium_airflow_client.exceptions import ApiDecodeError, ApiException
from titanium_airflow_client.models._base import ApiModel

DEFAULT_DETECT_TIMEOUT = 10.0
_API_SUFFIXES = ("/api/v1", "/api/v2")


@dataclass(frozen=True)
class ServerInfo:
    """What :func:`detect_server` found.

    :param api: ``"v2"`` (Airflow 3) or ``"v1"`` (Airflow 2).
    :param version: Airflow's version, e.g. ``"3.3.2"``; None when the server would not tell without
        credentials.
    :param base_url: the server's root URL.
    """

    api: str
    version: Optional[str]
    base_url: str

    @property
    def host(self) -> str:
        """What to set ``Configuration.host`` to for this API: the root for v2, ``{root}/api/v1`` for v1."""
        return self.base_url if self.api == "v2" else self.base_url + "/api/v1"


class _VersionInfo(ApiModel):
    version: Optional[str] = None
    git_version: Optional[str] = None


# Both APIs answer GET .../version with {"version": ..., "git_version": ...}.
_V2_VERSION = Endpoint("get_version", "GET", "/api/v2/version", _VersionInfo, auth="none")
_V2_VERSION_WITH_CREDENTIALS = Endpoint("get_version", "GET", "/api/v2/version", _VersionInfo, auth="jwt")
_V1_VERSION = Endpoint("get_version", "GET", "/version", _VersionInfo, auth="none")
_V1_VERSION_WITH_CREDENTIALS = Endpoint("get_version", "GET", "/version", _VersionInfo)

_FOUND, _GUARDED, _ABSENT = "found", "guarded", "absent"
_Probe = Tuple[str, Optional[str], Optional[ApiException]]  # outcome, version, the error it answered


async def detect_server(
    base_url: str,
    *,
    timeout: RequestTimeout = DEFAULT_DETECT_TIMEOUT,
    configuration: Optional[Configuration] = None,
) -> ServerInfo:
    """Find out whether ``base_url`` serves Airflow 3's v2 API or Airflow 2's v1 API, and its version.

    :param base_url: the server's root URL; one ending in ``/api/v1`` or ``/api/v2`` is taken to its root.
    :param timeout: of each request, as ``Configuration.request_timeout``.
    :param configuration: settings to connect with (TLS, proxy, headers, retries) and credentials to
        ask with when the version is not open to all; it is copied, not changed.
    :raises ApiException: neither API answered as one (the message lists what each said).
    :raises ApiConnectionError, ApiTimeoutError: the server cannot be reached.
    """
    root = server_root(base_url)
    settings = copy.deepcopy(configuration) if configuration is not None else Configuration()
    settings.host = root
    settings.request_timeout = check_timeout(timeout, "timeout")
    has_credentials = any(
        value is not None
        for value in (settings.username, settings.password, settings.access_token, settings.token_provider)
    )
    async with ApiClient(settings) as client:
        v2 = await _probe(client, _V2_VERSION, _V2_VERSION_WITH_CREDENTIALS if has_credentials else None)
        if v2[0] == _FOUND:
            return ServerInfo("v2", v2[1], root)
        settings.host = root + "/api/v1"
        v1 = await _probe(client, _V1_VERSION, _V1_VERSION_WITH_CREDENTIALS if has_credentials else None)
    if v1[0] == _FOUND or (v1[0] == _GUARDED and v2[0] == _ABSENT):
        return ServerInfo("v1", v1[1], root)
    if v2[0] == _GUARDED and v1[0] == _ABSENT:
        return ServerInfo("v2", None, root)
    raise _not_found(root, v2, v1, has_credentials)


def server_root(base_url: str) -> str:
    """``base_url`` checked as a host is, without a trailing ``/api/v1`` or ``/api/v2``."""
    root = check_host(base_url)
    for suffix in _API_SUFFIXES:
        if root.endswith(suffix):
            return root[: -len(suffix)]
    return root


async def _probe(
    client: ApiClient, endpoint: Endpoint[_VersionInfo], again: Optional[Endpoint[_VersionInfo]]
) -> _Probe:
    """Ask ``endpoint`` (and, if it is refused, ``again`` with the credentials) for the version."""
    try:
        version = (await client.call(endpoint, {})).data
    except ApiDecodeError as exc:  # a 2xx that is no version: a web page, another service
        return _ABSENT, None, exc
    except ApiException as exc:
        if exc.status not in (401, 403):
            return _ABSENT, None, exc
        if again is None:
            return _GUARDED, None, exc
        guarded: _Probe = await _probe(client, again, None)
        return guarded if guarded[0] == _FOUND else (_GUARDED, None, exc)
    if version is None or not isinstance(version.version, str):
        return _ABSENT, None, None
    return _FOUND, version.version, None


def _not_found(root: str, v2: _Probe, v1: _Probe, had_credentials: bool) -> ApiException:
    said: List[str] = []
    for path, (_, _, error) in (("/api/v2/version", v2), ("/api/v1/version", v1)):
        said.append(f"GET {root}{path} answered " + (f"{error.status}" if error is not None else "no version"))
    last = v1[2] or v2[2]
    if v2[0] == _GUARDED and v1[0] == _GUARDED:
        refused = "the credentials given" if had_credentials else "to say without credentials (give configuration=)"
        why = f"both APIs refused {refused}: {'; '.join(said)}"
    else:
        why = f"no Airflow API found at {root}: {'; '.join(said)}"
    error = ApiException(
        last.status if last is not None else None, why, last.body if last is not None else None,
        last.headers if last is not None else None, method="GET", url=root + "/api/v1/version",
    )
    error.__cause__ = last
    return error


__all__ = ["ServerInfo", "detect_server", "server_root"]
