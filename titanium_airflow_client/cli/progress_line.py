"""``runs trigger --wait``'s progress on stderr: on a terminal one live line, rewritten at each change and
every second between them (its elapsed time goes on); elsewhere a plain line per change."""

from __future__ import annotations

import threading
import time
from typing import IO, TYPE_CHECKING, Dict, Optional, Tuple

if TYPE_CHECKING:
    from titanium_airflow_client.dag_run_wait import RunProgress

TICK_SECONDS = 1.0  # how often the live line's elapsed time moves on between changes


def counts_text(task_counts: Dict[str, int]) -> str:
    """``{"running": 1, "success": 2}`` → ``running=1 success=2``; ``no tasks yet`` for none."""
    return " ".join(f"{state}={count}" for state, count in task_counts.items()) or "no tasks yet"


class Progress:
    """A live ``\\r`` line on a terminal; a plain line per change (of the state or a count) otherwise.

    On a terminal a daemon thread rewrites the line every ``tick`` seconds, so the elapsed time moves on while
    nothing else does; ``end()`` stops it before the line is closed.
    """

    def __init__(self, stream: IO[str], label: str, tick: float = TICK_SECONDS) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.label = label
        self.width = 0
        self.tick = tick
        self._lock = threading.Lock()  # the ticker and show() write the same line
        self._shown: Optional[Tuple[str, float, float]] = None  # state and counts, elapsed, time.monotonic() then
        self._stop = threading.Event()
        self._ticker: Optional[threading.Thread] = None

    def show(self, progress: RunProgress) -> None:
        counts = counts_text(progress.task_counts)
        if not self.live:
            self.stream.write(f"{progress.elapsed:6.1f}s  {progress.state:<8} {counts}\n")
            self.stream.flush()
            return
        with self._lock:
            self._shown = (f"{progress.state:<8} {counts}", progress.elapsed, time.monotonic())
            self._rewrite()
        if self._ticker is None:
            self._ticker = threading.Thread(target=self._tick, name="titanium-airflow-progress", daemon=True)
            self._ticker.start()

    def end(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        with self._lock:
            if self.live and self.width:
                self.stream.write("\n")
                self.stream.flush()
                self.width = 0

    def _tick(self) -> None:
        while not self._stop.wait(self.tick):
            with self._lock:
                if self.width:  # not once the line is closed
                    self._rewrite()

    def _rewrite(self) -> None:
        """The line as last shown, its elapsed time as of now (the lock held)."""
        assert self._shown is not None
        head, elapsed, shown_at = self._shown
        text = f"{self.label}: {head}  {elapsed + time.monotonic() - shown_at:.1f}s"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)
