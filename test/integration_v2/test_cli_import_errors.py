"""``titanium-airflow import-errors list`` against the real Airflow 3.3: test/dags3/tit_import_error.py
fails to import on purpose (bundle "dags-folder")."""

from __future__ import annotations

import subprocess

from titanium_airflow_client.v2 import ImportErrorCollectionResponse

from ..cli_process import run_cli, table
from ..cli_waiting import until
from .conftest import ADMIN, BASE_URL
from .test_event_log_and_jobs_api import IMPORT_ERROR_FILE, IMPORT_ERROR_TEXT


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(BASE_URL, *args, user=(ADMIN.username, ADMIN.password))


def test_import_errors_show_the_exception_and_json_the_whole_trace() -> None:
    done = until(
        lambda: cli("import-errors", "list", "--all", "--limit", "1", "--json"),
        lambda done: done.returncode == 0 and IMPORT_ERROR_FILE in done.stdout,
        "the import error of tit_import_error.py",
    )
    listing = ImportErrorCollectionResponse.from_json(done.stdout)
    assert done.stdout == listing.to_json() + "\n" and done.stderr == ""
    ours = [error for error in listing.import_errors or [] if error.filename == IMPORT_ERROR_FILE]
    assert len(ours) == 1 and (ours[0].stack_trace or "").rstrip().endswith(IMPORT_ERROR_TEXT)

    done = cli("import-errors", "list", "--order-by", "-timestamp")
    assert done.returncode == 0, done.stderr
    assert table(done.stdout)[0] == ["ID", "FILENAME", "BUNDLE_NAME", "TIMESTAMP", "ERROR"]
    row = next(line for line in done.stdout.splitlines()[1:] if line.split()[1] == IMPORT_ERROR_FILE)
    assert row.split(None, 4) == [
        str(ours[0].import_error_id), IMPORT_ERROR_FILE, "dags-folder", row.split()[3], IMPORT_ERROR_TEXT
    ]
