"""The ``titanium-airflow`` console script run as a user runs it, for the integration suites of both
generations: a subprocess whose environment holds only the connection it is given."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

SCRIPT = Path(sys.executable).parent / "titanium-airflow"


def run_cli(
    host: str, *args: str, user: Optional[Tuple[str, str]] = None, token: Optional[str] = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the script against ``host`` as ``user`` (or with ``token``), the connection in its environment."""
    env = cli_environment(host, user, token)
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout, env=env)


def start_cli(
    host: str, *args: str, user: Optional[Tuple[str, str]] = None, token: Optional[str] = None
) -> subprocess.Popen[str]:
    """Start the script as ``run_cli`` runs it, for a test that reads its output while it runs: stdout and
    stderr are pipes of text lines."""
    env = cli_environment(host, user, token)
    return subprocess.Popen(
        [str(SCRIPT), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1, env=env
    )


def cli_environment(host: str, user: Optional[Tuple[str, str]], token: Optional[str]) -> Dict[str, str]:
    """This process's environment without any TITANIUM_AIRFLOW_ variable, then the connection given."""
    env: Dict[str, str] = {k: v for k, v in os.environ.items() if not k.startswith("TITANIUM_AIRFLOW_")}
    env["TITANIUM_AIRFLOW_HOST"] = host
    if user is not None:
        env.update(TITANIUM_AIRFLOW_USERNAME=user[0], TITANIUM_AIRFLOW_PASSWORD=user[1])
    if token is not None:
        env["TITANIUM_AIRFLOW_TOKEN"] = token
    return env


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    """The one error line a failed command prints, and nothing on stdout."""
    assert done.stdout == "", done.stdout
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("titanium-airflow: error: ")
    return lines[0]


def table(text: str) -> List[List[str]]:
    """A printed table's lines, split into cells (cells without spaces)."""
    return [line.split() for line in text.splitlines()]


def lines_until(process: subprocess.Popen[str], last: Callable[[str], bool]) -> List[str]:
    """The lines ``process`` prints, read as they come, up to the first for which ``last`` is true; all of them,
    should it end first."""
    assert process.stdout is not None
    lines: List[str] = []
    for line in process.stdout:
        lines.append(line)
        if last(line.rstrip("\n")):
            break
    return lines
