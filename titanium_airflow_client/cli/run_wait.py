"""``runs trigger --wait``: the run followed to its end by the library's ``wait_for_dag_run``, its progress (state
and task instances by state) on stderr, the final run on stdout, and when it failed, which tasks failed and the
tail of the first one's log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List, Optional, Sequence

from titanium_airflow_client.cli.errors import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_RUN_FAILED,
    EXIT_WAIT_TIMEOUT,
    PROG,
    describe,
)
from titanium_airflow_client.cli.output import Column
from titanium_airflow_client.cli.progress_line import Progress

if TYPE_CHECKING:
    from titanium_airflow_client.cli.context import Context

TAIL_LINES = 20  # of the first failed task's log


def wait_for_run(
    ctx: Context, dag_id: str, dag_run_id: str, poll: float, timeout: Optional[float], columns: Sequence[Column]
) -> int:
    """Follow the run until it is final; the exit status says how it ended (or that we stopped waiting)."""
    from titanium_airflow_client.exceptions import OpenApiException, WaitTimeoutError
    from titanium_airflow_client.sync import wait_for_dag_run

    out = ctx.out
    check = f"check it with: {PROG} runs get {dag_id} {dag_run_id}"
    progress = Progress(out.err, f"{dag_id} {dag_run_id}")
    try:
        final = wait_for_dag_run(
            ctx.client, dag_id, dag_run_id, poll_interval=poll, timeout=timeout, on_change=progress.show,
            api=ctx.api,
        )
    except WaitTimeoutError as exc:
        progress.end()
        out.note(f"gave up waiting after {timeout:g}s: the run is {exc.state or 'unknown'} and goes on; {check}")
        return EXIT_WAIT_TIMEOUT
    except KeyboardInterrupt:
        progress.end()
        out.note(f"interrupted: stopped waiting; the run {dag_run_id} goes on; {check}")
        return EXIT_INTERRUPTED
    except OpenApiException as exc:
        progress.end()
        out.error(f"{describe(exc)}; the run goes on; {check}")
        return EXIT_ERROR
    progress.end()
    out.model(final.run, columns)
    out.note(f"run {dag_run_id} of {dag_id} ended {final.state} after {final.elapsed:.1f}s")
    if final.state == "success":
        return EXIT_OK
    report_failure(ctx, dag_id, dag_run_id)
    return EXIT_RUN_FAILED


def report_failure(ctx: Context, dag_id: str, dag_run_id: str) -> None:
    """Name the run's failed tasks, print the tail of the first one's log and the command that prints it all."""
    from titanium_airflow_client.exceptions import OpenApiException

    out = ctx.out
    try:
        failed = failed_task_instances(ctx, dag_id, dag_run_id)
        if not failed:
            out.note("no task instance failed: the run was set to failed (or timed out) as a whole")
            return
        out.note(f"failed: {', '.join(task_name(ti) for ti in failed)}")
        _print_tail(ctx, dag_id, dag_run_id, failed[0])
    except OpenApiException as exc:  # the run's outcome stands: say what could not be read, exit 1 all the same
        out.note(f"could not read the failed tasks or their log: {describe(exc)}")


def failed_task_instances(ctx: Context, dag_id: str, dag_run_id: str) -> List[Any]:
    """The run's failed task instances, the first to end first."""
    from datetime import datetime, timezone

    from titanium_airflow_client.cli.generation_apis import every, task_instance_api

    api = task_instance_api(ctx)
    failed = list(every(api.get_task_instances, dag_id, dag_run_id, state=["failed"]))
    latest = datetime.max.replace(tzinfo=timezone.utc)
    return sorted(failed, key=lambda ti: (ti.end_date or latest, ti.task_id or "", ti.map_index or 0))


def task_name(task_instance: Any) -> str:
    """``extract``, or ``square[2]`` for a mapped task instance."""
    index = task_instance.map_index
    return f"{task_instance.task_id}[{index}]" if index is not None and index >= 0 else f"{task_instance.task_id}"


def _print_tail(ctx: Context, dag_id: str, dag_run_id: str, failed: Any) -> None:
    from titanium_airflow_client.cli.task_log import log_tail, map_index_of, whole_log_command

    task_id, try_number, map_index = failed.task_id, failed.try_number or 1, map_index_of(failed)
    tail = log_tail(ctx, dag_id, dag_run_id, task_id, try_number, map_index, TAIL_LINES)
    out = ctx.out
    out.note(f"--- the last {len(tail)} lines of the log of {task_name(failed)}, try {try_number} ---")
    for line in tail:
        out.note(line)
    out.note(f"--- the whole log: {whole_log_command(dag_id, dag_run_id, task_id, try_number, map_index)}")
