"""A task log's answers turned into text lines: Airflow 2's pieces of text, and Airflow 3's structured messages
rendered as Airflow's UI renders them as text.

Airflow 3 (v2 API) sends each log line as an object: ``timestamp`` and ``event``, and fields such as ``level``,
``logger``, ``filename``/``lineno``, ``chan`` or ``error_detail``. A line reads as in the UI's text form:
``[2026-01-02T03:04:05.123456Z] INFO - Output: source=airflow.task.hooks... loc=subprocess.py:92``: the
timestamp, the level in capitals, the event, then the other fields as ``key=value`` (``logger`` shown as
``source``, ``filename`` and ``lineno`` as ``loc``; values that are not text as JSON), without the fields every
line of a task has (``ti_id``, ``dag_id``, ``task_id``, ``run_id``, ``try_number``, ``map_index``). An
exception's ``error_detail`` follows on lines of its own: ``Type: value``, then one ``File ...`` line per frame.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Sequence, Union

if TYPE_CHECKING:
    from titanium_airflow_client.v2.models.structured_log_message import StructuredLogMessage

__all__ = ["LogMessage", "TextLines", "header_length", "message_lines", "render_message"]

LogMessage = Union["StructuredLogMessage", str]

# Bound to every line of a task's process: the UI leaves them out of each line, and so does this.
TASK_CONTEXT_FIELDS = frozenset({"ti_id", "dag_id", "task_id", "run_id", "try_number", "map_index"})
# The group Airflow puts first in a log read from its start: where the lines were read from.
SOURCES_GROUP = "::group::Log message source details"
GROUP_END = "::endgroup::"


class TextLines:
    """The lines of a log that arrives as pieces of text, each piece's lines given as soon as it comes.

    Airflow 2 answers the lines of the log joined by newlines, so a piece ends without one and the next
    piece starts with the newline that ends it. The last line of a piece is therefore given at once, and a
    next piece's leading newline only closes it. A piece that goes on a line already given (written in
    two parts) gives its rest as a line of its own.
    """

    def __init__(self) -> None:
        self._line_open = False  # the last piece ended inside a line: a leading newline only closes it

    def lines(self, text: str) -> Iterator[str]:
        """The lines of ``text``, the next piece of the log, without their newlines."""
        if not text:
            return
        start = 1 if self._line_open and text.startswith("\n") else 0
        while True:
            end = text.find("\n", start)
            if end < 0:
                self._line_open = start < len(text)
                if self._line_open:
                    yield text[start:]
                return
            yield text[start:end]
            start = end + 1


def render_message(message: LogMessage) -> str:
    """One log message as text, as Airflow's UI shows it (see the module's docstring); may hold newlines."""
    if isinstance(message, str):
        return message
    fields: Dict[str, Any] = dict(message.model_extra or {})
    level = fields.pop("level", None)
    error_detail = fields.pop("error_detail", None)
    text = []
    if message.timestamp is not None:
        text.append(f"[{_timestamp(message.timestamp)}] ")
    if isinstance(level, str):
        text.append(f"{level.upper()} - ")
    text.append(message.event or "")
    if "filename" in fields and "lineno" in fields:
        fields["loc"] = f"{fields.pop('filename')}:{fields.pop('lineno')}"
    for key, value in fields.items():
        if key not in TASK_CONTEXT_FIELDS:
            text.append(f" {'source' if key == 'logger' else key}={_value(value)}")
    if error_detail is not None:
        text.append("\n" + _error_text(error_detail))
    return "".join(text)


def message_lines(message: LogMessage) -> List[str]:
    """``render_message`` split into lines (a traceback, an event with newlines)."""
    return render_message(message).split("\n")


def header_length(messages: Sequence[LogMessage]) -> int:
    """How many messages at the start of a log read from its start are Airflow's group naming the log's sources
    (``::group::Log message source details`` … ``::endgroup::``); 0 when it does not start with one."""
    if not messages or _event(messages[0]) != SOURCES_GROUP:
        return 0
    for index, message in enumerate(messages):
        if _event(message) == GROUP_END:
            return index + 1
    return 0


def _event(message: LogMessage) -> str:
    return message if isinstance(message, str) else message.event or ""


def _timestamp(moment: datetime) -> str:
    """Airflow's own form: microseconds, and ``Z`` for UTC."""
    if moment.tzinfo is not None and moment.utcoffset() == timezone.utc.utcoffset(None):
        return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    return moment.isoformat(timespec="microseconds")


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def _error_text(error_detail: Any) -> str:
    """Airflow 3's ``error_detail``: a list of exceptions, each with its frames; anything else as text."""
    if isinstance(error_detail, str):
        return error_detail
    if not isinstance(error_detail, list) or not all(isinstance(error, dict) for error in error_detail):
        return _value(error_detail)
    lines = []
    for error in error_detail:
        lines.append(f"{error.get('exc_type', '')}: {error.get('exc_value', '')}")
        for frame in error.get("frames") or []:
            if isinstance(frame, dict):
                lines.append(f'    File "{frame.get("filename")}", line {frame.get("lineno")}, in {frame.get("name")}')
    return "\n".join(lines)
