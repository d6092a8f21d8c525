"""Every example of docs/Airflow3.md runs, as written, against the local Airflow 3 (the port swapped for the
suite's): each is a complete script, run in a process of its own, that raises on any error."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "Airflow3.md"
DOCS_HOST = "http://127.0.0.1:28180"
SCRIPT_TIMEOUT = 600.0  # seconds: two DAG runs on a busy 2-core machine, at most


def examples() -> List[str]:
    return re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.DOTALL)


def test_the_page_has_its_examples() -> None:
    assert len(examples()) == 5
    assert all(DOCS_HOST in example for example in examples())


@pytest.mark.parametrize("index", range(len(examples())), ids=[f"example{i + 1}" for i in range(len(examples()))])
def test_example_runs(index: int, base_url: str) -> None:
    source = examples()[index].replace(DOCS_HOST, base_url)
    completed = subprocess.run(
        [sys.executable, "-c", source], capture_output=True, text=True, timeout=SCRIPT_TIMEOUT, check=False
    )
    assert completed.returncode == 0, f"example {index + 1} failed:\n{completed.stdout}\n{completed.stderr}"
    assert completed.stdout.strip(), "every example prints what it got"
