"""A task try's log as the command line prints it: its lines read once (``get_log``), or followed as it grows
(``follow_log``), as text or as one JSON object per line.

Text lines are the library's: Airflow 2's as written, Airflow 3's structured messages as its UI shows them as
text (``titanium_airflow_client.log_lines``). With ``--json`` each line is one JSON object: Airflow 3's message
exactly as the server sent it, when the log is read once; else ``{"event": "<the line's text>"}`` (Airflow 2,
whose log is text, and a followed log, which comes as text lines on both).
"""

from __future__ import annotations

import json
from collections import deque
from typing import TYPE_CHECKING, Any, Deque, Iterator, Optional

from titanium_airflow_client.cli.generation_apis import task_instance_api

if TYPE_CHECKING:
    from titanium_airflow_client.cli.context import Context

UNMAPPED = -1


def task_instance(ctx: Context, dag_id: str, dag_run_id: str, task_id: str, map_index: int) -> Any:
    """The task instance (a mapped one by its map index): a 404 when the DAG, run or task is unknown."""
    api = task_instance_api(ctx)
    if map_index == UNMAPPED:
        return api.get_task_instance(dag_id, dag_run_id, task_id)
    return api.get_mapped_task_instance(dag_id, dag_run_id, task_id, map_index)


def log_entries(
    ctx: Context, dag_id: str, dag_run_id: str, task_id: str, try_number: int, map_index: int
) -> Iterator[Any]:
    """One read of a try's whole log: its text lines (Airflow 2), or its messages (Airflow 3: a
    ``StructuredLogMessage`` or a string each); ``entry_lines`` and ``entry_json`` print either."""
    api = task_instance_api(ctx)
    if ctx.v2:
        answer = api.get_log(dag_id, dag_run_id, task_id, try_number, map_index=map_index)
        yield from answer.content or []
        return
    from titanium_airflow_client.log_lines import TextLines

    answer = api.get_log(dag_id, dag_run_id, task_id, try_number, full_content=True, map_index=map_index)
    yield from TextLines().lines(answer.log_text())


def entry_lines(entry: Any) -> Iterator[str]:
    """The text lines of one entry of ``log_entries`` (an Airflow 3 message may span several)."""
    if isinstance(entry, str):
        yield entry
        return
    from titanium_airflow_client.log_lines import message_lines

    yield from message_lines(entry)


def entry_json(entry: Any) -> str:
    """One entry as one line of JSON: an Airflow 3 message as sent, a text line as ``{"event": ...}``."""
    if isinstance(entry, str):
        return line_json(entry)
    text: str = entry.to_json()
    return text


def line_json(line: str) -> str:
    return json.dumps({"event": line}, ensure_ascii=False)


def log_tail(
    ctx: Context, dag_id: str, dag_run_id: str, task_id: str, try_number: int, map_index: int, count: int
) -> Deque[str]:
    """The last ``count`` text lines of a try's log; only those are kept while it is read."""
    tail: Deque[str] = deque(maxlen=count)
    for entry in log_entries(ctx, dag_id, dag_run_id, task_id, try_number, map_index):
        tail.extend(entry_lines(entry))
    return tail


def whole_log_command(dag_id: str, dag_run_id: str, task_id: str, try_number: int, map_index: int) -> str:
    """The command line that prints a try's whole log, quoted for a shell."""
    import shlex

    from titanium_airflow_client.cli.errors import PROG

    words = [PROG, "logs", dag_id, dag_run_id, task_id, "--try", str(try_number)]
    if map_index != UNMAPPED:
        words += ["--map-index", str(map_index)]
    return shlex.join(words)


def map_index_of(task_instance: Any) -> int:
    index: Optional[int] = task_instance.map_index
    return UNMAPPED if index is None else index
