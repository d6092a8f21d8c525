"""Every Airflow 3 example of README.md and docs/*.md (those importing titanium_airflow_client.v2; all of
docs/Airflow3.md) runs, as written, against the local Airflow 3, the port swapped for the suite's: each is a
complete script, run in a process of its own, that raises on any error."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ..doc_examples import Example, collect_examples

DOCS_HOST = "http://127.0.0.1:28180"
SCRIPT_TIMEOUT = 600.0  # seconds: two DAG runs on a busy 2-core machine, at most
EXAMPLES = collect_examples("v2")


def test_the_docs_have_their_airflow3_examples() -> None:
    pages = [example.path for example in EXAMPLES]
    assert pages.count("docs/Airflow3.md") == 5 and pages.count("README.md") >= 1
    assert all(DOCS_HOST in example.code for example in EXAMPLES if example.uses_server)


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.id for example in EXAMPLES])
def test_example_runs(example: Example, base_url: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-W", "default::ResourceWarning", "-c", example.code.replace(DOCS_HOST, base_url)],
        capture_output=True,
        text=True,
        timeout=SCRIPT_TIMEOUT,
        check=False,
    )
    report = f"{example.id} exited {completed.returncode}:\n{completed.stdout}\n{completed.stderr}"
    assert completed.returncode == 0, report
    assert "Unclosed" not in completed.stderr and "ResourceWarning" not in completed.stderr, report
    assert completed.stdout.strip(), "every example prints what it got"
