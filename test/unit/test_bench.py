"""The benchmark still runs (tiny sizes). Speed is judged by `make bench`, never by a test."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "run.py"


def test_benchmark_runs_and_reports_every_figure(tmp_path: Path) -> None:
    figures_file = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--json", str(figures_file)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(re.match(r"CPU per get_dag_run .* µs +\d+ µs +\d+\.\d\d×", line) for line in lines), result.stdout
    list_row = r"wall time of a 200-run DAGRunCollection .* ms +[\d.]+ ms +\d+\.\d\d×"
    assert any(re.match(list_row, line) for line in lines)
    assert any(re.match(r"peak RSS growth paging 1,000 runs +-?[\d.]+ MB", line) for line in lines)
    figures = json.loads(figures_file.read_text())
    assert figures["sizes"]["paged_runs"] == 1000
    assert figures["cpu_ratio"] > 0 and figures["list_ratio"] > 0
    assert figures["cpu_us_per_call"]["client"] > 0 and figures["list_ms"]["client"] > 0


def test_startup_measurement_runs_every_row(tmp_path: Path) -> None:
    """One round: each statement, call and command runs (subprocess.run(check=True)) and is reported."""
    figures_file = tmp_path / "startup.json"
    result = subprocess.run(
        [sys.executable, str(BENCH.with_name("startup.py")), "--rounds", "1", "--json", str(figures_file)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(figures_file.read_text())
    expected = {"one call, blocking (v1)", "one call, blocking (v2)", "titanium-airflow runs get (one call)"}
    assert expected <= set(figures["ratio"]), figures
    assert all(name in result.stdout for name in figures["ratio"])
