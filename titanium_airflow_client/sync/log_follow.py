"""The blocking twin of :func:`titanium_airflow_client.follow_log`: a plain iterator over a task's log lines.

    for line in follow_log(client, "my_dag", run_id, "my_task"):
        print(line)

The following runs on the client's event loop; each answer's lines cross to the calling thread together, so a
long log costs one hop between threads per answer, not per line.
"""

from __future__ import annotations

from typing import AsyncIterator, Iterable, Iterator, List, Optional

from titanium_airflow_client.helper_arguments import ApiGeneration
from titanium_airflow_client.log_follow import DEFAULT_POLL_INTERVAL, log_pieces
from titanium_airflow_client.sync._runner import iterate
from titanium_airflow_client.sync.client import ApiClient, blocking_client

__all__ = ["follow_log"]


def follow_log(
    api_client: ApiClient,
    dag_id: str,
    dag_run_id: str,
    task_id: str,
    *,
    try_number: Optional[int] = None,
    map_index: int = -1,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: Optional[float] = None,
    api: Optional[ApiGeneration] = None,
) -> Iterator[str]:
    """The lines of a task's log as it grows, until the task instance is final and no more log comes; see
    :func:`titanium_airflow_client.follow_log`. The arguments are checked now; leaving the loop early stops."""
    client = blocking_client("follow_log", api_client)
    pieces = log_pieces(
        "follow_log",
        client.async_client,
        dag_id,
        dag_run_id,
        task_id,
        try_number=try_number,
        map_index=map_index,
        poll_interval=poll_interval,
        timeout=timeout,
        api=api,
    )
    return _lines(iterate(client._runner, _whole(pieces)))


async def _whole(pieces: AsyncIterator[Iterable[str]]) -> AsyncIterator[List[str]]:
    """Each answer's lines as one list, read on the client's loop."""
    try:
        async for piece in pieces:
            yield list(piece)
    finally:
        await pieces.aclose()  # type: ignore[attr-defined]  # an async generator


def _lines(answers: Iterator[List[str]]) -> Iterator[str]:
    try:
        for lines in answers:
            yield from lines
    finally:
        close = getattr(answers, "close", None)
        if close is not None:
            close()
