"""Which of Airflow's APIs the host serves: said by its path (``/api/v1``, ``/api/v2``), else asked.

The same command lines work against both: a command's handler asks ``ctx.v2`` and calls the API of
that generation (``titanium_airflow_client.sync`` for v1, ``titanium_airflow_client.v2.sync`` for v2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Tuple

if TYPE_CHECKING:
    from titanium_airflow_client.configuration import Configuration
    from titanium_airflow_client.helper_arguments import ApiGeneration

V1: ApiGeneration = "v1"  # Airflow 2: Configuration.host is {root}/api/v1
V2: ApiGeneration = "v2"  # Airflow 3: Configuration.host is the root; the paths carry /api/v2
_SUFFIXES: Tuple[Tuple[str, ApiGeneration], ...] = (("/api/v1", V1), ("/api/v2", V2))


def said_by_host(host: str) -> Tuple[str, Optional[ApiGeneration]]:
    """``(host, api)`` when the URL names the API (a v2 host loses its ``/api/v2``), else ``(host, None)``."""
    trimmed = host.rstrip("/")
    for suffix, api in _SUFFIXES:
        if trimmed.endswith(suffix):
            return (trimmed[: -len(suffix)] if api == V2 else trimmed), api
    return host, None


def resolve(config: Configuration) -> ApiGeneration:
    """The API ``config.host`` serves; sets the host that API's calls need, and the server's version when asked.

    A root URL (``http://airflow:8080``) costs one or two requests (``detect_server``); one that ends in
    ``/api/v1`` or ``/api/v2`` costs none.
    """
    host, api = said_by_host(config.host)
    if api is not None:
        config.host = host
        return api
    import logging

    from titanium_airflow_client.sync.detect import detect_server

    info = detect_server(config.host, configuration=config)
    config.host = info.host
    if config.server_version is None and info.version is not None:
        config.server_version = info.version  # spares the client asking again when a call needs it
    logging.getLogger(__name__).debug("%s serves /api/%s (Airflow %s)", info.base_url, info.api, info.version)
    return V2 if info.api == V2 else V1
