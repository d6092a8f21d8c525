"""``detect_server`` for scripts: the async one, run on an event loop of its own in a daemon thread."""

from __future__ import annotations

from typing import Optional

from titanium_airflow_client.configuration import Configuration, RequestTimeout
from titanium_airflow_client.detect import DEFAULT_DETECT_TIMEOUT, ServerInfo
from titanium_airflow_client.detect import detect_server as async_detect_server
from titanium_airflow_client.sync._runner import LoopRunner


def detect_server(
    base_url: str,
    *,
    timeout: RequestTimeout = DEFAULT_DETECT_TIMEOUT,
    configuration: Optional[Configuration] = None,
) -> ServerInfo:
    """Which Airflow API ``base_url`` serves; see :func:`titanium_airflow_client.detect.detect_server`.

    Works from any thread, also one that runs an event loop.
    """
    runner = LoopRunner("titanium-airflow-client-detect")
    try:
        return runner.run(lambda: async_detect_server(base_url, timeout=timeout, configuration=configuration))
    finally:
        runner.shutdown()


__all__ = ["ServerInfo", "detect_server"]
