"""Log answers as text lines: Airflow 2's pieces of text, Airflow 3's structured messages as the UI shows them.

The messages are shaped as the local Airflow 3.3.2 sends them (test/integration_v2 reads the real ones)."""

from __future__ import annotations

from typing import Any, Dict, List

from titanium_airflow_client.log_lines import TextLines, header_length, message_lines, render_message
from titanium_airflow_client.v2.models.structured_log_message import StructuredLogMessage


def message(**fields: Any) -> StructuredLogMessage:
    return StructuredLogMessage.model_validate(fields)


TASK_CONTEXT: Dict[str, Any] = {
    "try_number": 1,
    "map_index": -1,
    "dag_id": "tit_bash",
    "ti_id": "01a22d1a-d2ce-7c8d-869c-8083015271d4",
    "run_id": "r",
    "task_id": "hello",
}


def test_a_message_reads_timestamp_level_event_then_its_fields_as_the_ui_shows_them() -> None:
    running = message(
        timestamp="2026-11-30T15:37:43.420017Z",
        event="Running command: ['/usr/bin/bash', '-c', 'echo hi']",
        level="info",
        **TASK_CONTEXT,
        logger="airflow.task.hooks.airflow.providers.standard.hooks.subprocess.SubprocessHook",
        filename="subprocess.py",
        lineno=80,
    )
    assert render_message(running) == (
        "[2026-11-30T15:37:43.420017Z] INFO - Running command: ['/usr/bin/bash', '-c', 'echo hi']"
        " source=airflow.task.hooks.airflow.providers.standard.hooks.subprocess.SubprocessHook loc=subprocess.py:80"
    )
    parsed = message(
        timestamp="2026-11-30T15:37:43.376912Z",
        event="Worker startup parse complete",
        level="info",
        bundle_name="dags-folder",
        bundle_version=None,
        dag_file="tit_bash.py",
        bundle_prepare_ms=11,
        ok=True,
        tags=["a", 1],
        **TASK_CONTEXT,
        logger="task",
    )
    assert render_message(parsed) == (
        "[2026-11-30T15:37:43.376912Z] INFO - Worker startup parse complete bundle_name=dags-folder"
        ' bundle_version=null dag_file=tit_bash.py bundle_prepare_ms=11 ok=true tags=["a", 1] source=task'
    )


def test_a_message_without_timestamp_or_level_is_its_event() -> None:
    assert render_message(message(event="::group::Log message source details")) == (
        "::group::Log message source details"
    )
    assert render_message(message(event="Output:", chan="stdout")) == "Output: chan=stdout"
    assert render_message(message(timestamp="2026-01-02T03:04:05Z", event="x")) == "[2026-01-02T03:04:05.000000Z] x"
    assert render_message(message(timestamp="2026-01-02T03:04:05+02:00", event="x")) == (
        "[2026-01-02T03:04:05.000000+02:00] x"
    )
    assert render_message(message(level="warning")) == "WARNING - "
    assert render_message("a plain line") == "a plain line"


def test_an_error_detail_follows_as_lines_of_its_own() -> None:
    failed = message(
        timestamp="2026-11-30T15:44:48.513925Z",
        event="Task failed with exception",
        level="error",
        logger="task",
        filename="task_runner.py",
        lineno=1676,
        error_detail=[
            {
                "exc_type": "RuntimeError",
                "exc_value": "TITANIUM-FOLLOW fails on purpose",
                "exc_notes": [],
                "syntax_error": None,
                "is_cause": False,
                "frames": [
                    {"filename": "/x/task_runner.py", "lineno": 1579, "name": "_run_task"},
                    {"filename": "/dags/tit_log_follow.py", "lineno": 44, "name": "follow"},
                ],
            }
        ],
    )
    assert message_lines(failed) == [
        "[2026-11-30T15:44:48.513925Z] ERROR - Task failed with exception source=task loc=task_runner.py:1676",
        "RuntimeError: TITANIUM-FOLLOW fails on purpose",
        '    File "/x/task_runner.py", line 1579, in _run_task',
        '    File "/dags/tit_log_follow.py", line 44, in follow',
    ]
    assert message_lines(message(event="boom", error_detail="Traceback (most recent call last):\n  x")) == [
        "boom",
        "Traceback (most recent call last):",
        "  x",
    ]
    assert message_lines(message(event="odd", error_detail={"weird": 1})) == ["odd", '{"weird": 1}']


def test_the_sources_group_is_found_at_the_start_only() -> None:
    header = [
        message(event="::group::Log message source details"),
        message(event="/logs/dag_id=d/run_id=r/task_id=t/attempt=1.log"),
        message(event="::endgroup::"),
    ]
    body = [message(event="::group::Pre Execute"), message(event="::endgroup::")]
    assert header_length([*header, *body]) == 3
    assert header_length(body) == 0 and header_length([]) == 0
    assert header_length(header[:2]) == 0  # a group that never ends is not the sources group
    assert header_length(["::group::Log message source details", "a", "::endgroup::", "b"]) == 3


def pieces(*texts: str) -> List[str]:
    reader = TextLines()
    return [line for text in texts for line in reader.lines(text)]


def test_airflow2_pieces_give_each_line_at_once_and_their_leading_newline_only_ends_it() -> None:
    # As Airflow 2.11 answers: the first piece ends without a newline, each next one starts with one.
    assert pieces("[t1] a\n[t2] b", "\n[t3] c", "", "\n[t4] d") == ["[t1] a", "[t2] b", "[t3] c", "[t4] d"]
    # Its sources group ends with a newline; empty lines are kept.
    assert pieces(" INFO - ::group::x\n INFO - ::endgroup::\n", "a\n\nb") == [
        " INFO - ::group::x",
        " INFO - ::endgroup::",
        "a",
        "",
        "b",
    ]
    assert pieces("a", "\n", "\nb") == ["a", "", "b"]  # a lone newline only ends "a"; the next starts a line
    assert pieces("half", " rest\nnext") == ["half", " rest", "next"]  # a line written in two parts
    assert pieces("a\n", "b\n") == ["a", "b"]
