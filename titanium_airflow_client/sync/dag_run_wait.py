"""Blocking twins of :mod:`titanium_airflow_client.dag_run_wait`, for the blocking ApiClient.

    progress = trigger_and_wait(client, "my_dag", conf={"x": 1}, timeout=600)

The async helpers run on the client's event loop; ``on_change`` runs in the calling thread (an async
``on_change`` is awaited on the client's loop), so it may make blocking calls with the same client.
``watch_dag_run`` returns a plain iterator; leaving the loop early stops watching.
"""

from __future__ import annotations

import functools
import inspect
from datetime import datetime
from typing import Any, Dict, Iterator, Optional, Union

from titanium_airflow_client.dag_run_wait import (
    DEFAULT_POLL_INTERVAL,
    ProgressCallback,
    RunProgress,
    check_callback,
    check_trigger,
    trigger_run,
)
from titanium_airflow_client.dag_run_wait import watch_dag_run as async_watch_dag_run
from titanium_airflow_client.helper_arguments import ApiGeneration, choose_api
from titanium_airflow_client.sync._runner import iterate
from titanium_airflow_client.sync.client import ApiClient, blocking_client

__all__ = ["RunProgress", "trigger_and_wait", "wait_for_dag_run", "watch_dag_run"]


def watch_dag_run(
    api_client: ApiClient,
    dag_id: str,
    dag_run_id: str,
    *,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: Optional[float] = None,
    api: Optional[ApiGeneration] = None,
) -> Iterator[RunProgress]:
    """Each change of a DAG run until it is final; see :func:`titanium_airflow_client.watch_dag_run`."""
    client = blocking_client("watch_dag_run", api_client)
    progresses = async_watch_dag_run(
        client.async_client, dag_id, dag_run_id, poll_interval=poll_interval, timeout=timeout, api=api
    )
    return iterate(client._runner, progresses)


def wait_for_dag_run(
    api_client: ApiClient,
    dag_id: str,
    dag_run_id: str,
    *,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: Optional[float] = None,
    on_change: Optional[ProgressCallback] = None,
    api: Optional[ApiGeneration] = None,
) -> RunProgress:
    """Wait until a DAG run is final and return its final progress; see
    :func:`titanium_airflow_client.wait_for_dag_run`. ``on_change`` runs in the calling thread."""
    client = blocking_client("wait_for_dag_run", api_client)
    progresses = async_watch_dag_run(
        client.async_client, dag_id, dag_run_id, poll_interval=poll_interval, timeout=timeout, api=api
    )
    check_callback("wait_for_dag_run", on_change)
    return _wait(client, progresses, on_change)


def trigger_and_wait(
    api_client: ApiClient,
    dag_id: str,
    *,
    conf: Optional[Dict[str, Any]] = None,
    note: Optional[str] = None,
    dag_run_id: Optional[str] = None,
    logical_date: Optional[Union[datetime, str]] = None,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: Optional[float] = None,
    on_change: Optional[ProgressCallback] = None,
    api: Optional[ApiGeneration] = None,
) -> RunProgress:
    """Trigger a run of ``dag_id``, then wait until it is final; see
    :func:`titanium_airflow_client.trigger_and_wait`. ``on_change`` runs in the calling thread."""
    client = blocking_client("trigger_and_wait", api_client)
    generation = choose_api("trigger_and_wait", client.async_client, api)
    interval, limit = check_trigger("trigger_and_wait", dag_id, dag_run_id, poll_interval, timeout, on_change)
    run_id = client._runner.run(
        lambda: trigger_run(client.async_client, generation, dag_id, conf, note, dag_run_id, logical_date)
    )
    progresses = async_watch_dag_run(
        client.async_client, dag_id, run_id, poll_interval=interval, timeout=limit, api=generation
    )
    return _wait(client, progresses, on_change)


def _wait(client: ApiClient, progresses: Any, on_change: Optional[ProgressCallback]) -> RunProgress:
    last: Optional[RunProgress] = None
    items: Iterator[RunProgress] = iterate(client._runner, progresses)
    try:
        for progress in items:
            last = progress
            if on_change is not None:
                outcome = on_change(progress)
                if inspect.isawaitable(outcome):
                    client._runner.run(functools.partial(_awaited, outcome))
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()  # stops watching on the client's loop at once, also when on_change raised
    assert last is not None and last.final  # the watch ends only with a final progress
    return last


async def _awaited(outcome: Any) -> None:
    await outcome
