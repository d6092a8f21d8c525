"""``runs trigger --wait``: polling a run until it ends, with progress on stderr and the final run on stdout."""

from __future__ import annotations

import time
from typing import IO, TYPE_CHECKING, Optional, Sequence

from titanium_airflow_client.cli.errors import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_RUN_FAILED,
    EXIT_WAIT_TIMEOUT,
    PROG,
    describe,
)
from titanium_airflow_client.cli.output import Column, cell

if TYPE_CHECKING:
    from titanium_airflow_client.cli.context import Context
    from titanium_airflow_client.models import DAGRun

FINAL_STATES = ("success", "failed")
sleep = time.sleep  # tests replace it


class Progress:
    """A live ``\\r`` line on a terminal; a plain line per state change otherwise."""

    def __init__(self, stream: IO[str], label: str) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.label = label
        self.last_state: Optional[str] = None
        self.width = 0

    def show(self, state: str, elapsed: float) -> None:
        if self.live:
            text = f"{self.label}: {state:<8} {elapsed:6.1f}s"
            self.stream.write("\r" + text.ljust(self.width))
            self.width = len(text)
            self.stream.flush()
        elif state != self.last_state:
            self.stream.write(f"{elapsed:6.1f}s  {state}\n")
            self.stream.flush()
        self.last_state = state

    def end(self) -> None:
        if self.live and self.width:
            self.stream.write("\n")
            self.stream.flush()
            self.width = 0


def follow(
    ctx: Context, run: DAGRun, poll: float, timeout: Optional[float], columns: Sequence[Column]
) -> int:
    """Poll ``run`` until it is final; the exit status says how it ended (or that we stopped waiting)."""
    from titanium_airflow_client.exceptions import OpenApiException
    from titanium_airflow_client.sync import DAGRunApi

    runs = DAGRunApi(ctx.client)
    out = ctx.out
    dag_id: str = ctx.args.dag_id
    run_id = run.dag_run_id or ""
    check = f"check it with: {PROG} runs get {dag_id} {run_id}"
    progress = Progress(out.err, f"{dag_id} {run_id}")
    started = time.monotonic()
    refresh = min(poll, 0.5) if progress.live else poll
    try:
        next_poll = started + poll
        while True:
            state = cell(run.state) if run.state is not None else "unknown"
            now = time.monotonic()
            progress.show(state, now - started)
            if state in FINAL_STATES:
                break
            if timeout is not None and now - started >= timeout:
                progress.end()
                out.note(f"gave up waiting after {timeout:g}s: the run is {state} and goes on; {check}")
                return EXIT_WAIT_TIMEOUT
            sleep(max(0.0, min(refresh, next_poll - now)))
            if time.monotonic() >= next_poll:
                run = runs.get_dag_run(dag_id, run_id)
                next_poll = time.monotonic() + poll
    except KeyboardInterrupt:
        progress.end()
        out.note(f"interrupted: stopped waiting; the run {run_id} goes on; {check}")
        return EXIT_INTERRUPTED
    except OpenApiException as exc:
        progress.end()
        out.error(f"{describe(exc)}; the run goes on; {check}")
        return EXIT_ERROR
    progress.end()
    elapsed = time.monotonic() - started
    out.model(run, columns)
    out.note(f"run {run_id} of {dag_id} ended {state} after {elapsed:.1f}s")
    return EXIT_OK if state == "success" else EXIT_RUN_FAILED
