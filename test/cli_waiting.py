"""Waiting, in the command-line integration suites, for what the server does on its own (a parse, a run)."""

from __future__ import annotations

import subprocess
import time
from typing import Callable

DEADLINE = 240.0  # seconds; generous for a loaded 2-core machine
POLL_SECONDS = 1.0


def until(
    command: Callable[[], subprocess.CompletedProcess[str]],
    done: Callable[[subprocess.CompletedProcess[str]], bool],
    what: str,
    deadline: float = DEADLINE,
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` until ``done`` says its result is what is awaited; fail after ``deadline`` seconds."""
    give_up = time.monotonic() + deadline
    while True:
        result = command()
        if done(result):
            return result
        if time.monotonic() > give_up:
            raise AssertionError(f"not within {deadline:.0f} s: {what}; last: {result.stdout[-500:]}{result.stderr}")
        time.sleep(POLL_SECONDS)
