"""``titanium-airflow import-errors list`` against the real Airflow 2.11: test/dags/tit_import_error.py fails
to import on purpose."""

from __future__ import annotations

import subprocess

from titanium_airflow_client import ImportErrorCollection

from ..cli_process import run_cli, table
from ..cli_waiting import until
from .conftest import ADMIN, API_URL

IMPORT_ERROR_TEXT = "RuntimeError: TITANIUM-IMPORT-ERROR: tit_import_error.py fails to import on purpose"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(API_URL, *args, user=ADMIN)


def test_import_errors_show_the_exception_and_json_the_whole_trace() -> None:
    done = until(
        lambda: cli("import-errors", "list", "--all", "--limit", "1", "--json"),
        lambda done: done.returncode == 0 and "tit_import_error.py" in done.stdout,
        "the import error of tit_import_error.py",
    )
    listing = ImportErrorCollection.from_json(done.stdout)
    assert done.stdout == listing.to_json() + "\n" and done.stderr == ""
    ours = [e for e in listing.import_errors or [] if (e.filename or "").endswith("/tit_import_error.py")]
    assert len(ours) == 1 and IMPORT_ERROR_TEXT in (ours[0].stack_trace or "")
    assert (ours[0].stack_trace or "").startswith("Traceback (most recent call last):")

    done = cli("import-errors", "list", "--all")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert table(done.stdout)[0] == ["ID", "FILENAME", "TIMESTAMP", "ERROR"]
    row = next(line for line in lines if "/tit_import_error.py" in line)
    assert row.split(None, 3) == [str(ours[0].import_error_id), ours[0].filename, row.split()[2], IMPORT_ERROR_TEXT]
