"""Starting a local Airflow for an integration suite: shared by test/integration (Airflow 2.11,
scripts/airflow-local.sh) and test/integration_v2 (Airflow 3.3, scripts/airflow3-local.sh)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from pathlib import Path
from typing import Callable, Mapping, Optional

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def ensure_local_airflow(
    request: pytest.FixtureRequest,
    *,
    problem: Callable[[], Optional[str]],
    script: Path,
    env: Mapping[str, str],
    label: str,
    url: str,
    up_timeout: float,
) -> None:
    """Return once ``problem()`` says nothing is wrong, running ``script up`` when it does not; else fail the session.

    ``problem`` returns None when the server is usable, else what is wrong; ``env`` is added to the script's.
    """
    found = problem()
    # A server that answers but looks unwell (e.g. a heartbeat late under load) gets a moment first:
    # `up` would restart it.
    deadline = time.monotonic() + 30
    while found is not None and "refused" not in found and time.monotonic() < deadline:
        time.sleep(2)
        found = problem()
    if found is None:
        return
    capman = request.config.pluginmanager.getplugin("capturemanager")
    # Let the script's progress reach the terminal as it happens.
    uncaptured = capman.global_and_fixture_disabled() if capman is not None else contextlib.nullcontext()
    with uncaptured:
        print(f"\n[{label}] Airflow on {url} is not usable ({found}); running {script} up", flush=True)
        try:
            completed = subprocess.run(
                [str(script), "up"], cwd=REPO_ROOT, env={**os.environ, **env}, timeout=up_timeout, check=False
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"{script} up did not finish within {up_timeout:.0f}s", pytrace=False)
    # After a successful `up` give the server a little time; after a failed one look once.
    deadline = time.monotonic() + (30 if completed.returncode == 0 else 0)
    while (found := problem()) is not None and time.monotonic() < deadline:
        time.sleep(1)
    if found is not None:
        pytest.fail(
            f"Airflow on {url} is still not usable after `{script} up` (exit {completed.returncode}): {found}",
            pytrace=False,
        )
