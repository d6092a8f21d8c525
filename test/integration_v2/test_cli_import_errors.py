"""``titanium-airflow import-errors list`` and ``get`` against the real Airflow 3.3: test/dags3/tit_import_error.py
fails to import on purpose (bundle "dags-folder")."""

from __future__ import annotations

import subprocess

from titanium_airflow_client.v2 import ImportErrorCollectionResponse, ImportErrorResponse

from ..cli_process import one_error_line, run_cli, table
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


def test_get_shows_one_import_error_and_an_unknown_id_is_one_error_line() -> None:
    done = until(
        lambda: cli("import-errors", "list", "--all", "--json"),
        lambda done: done.returncode == 0 and IMPORT_ERROR_FILE in done.stdout,
        "the import error of tit_import_error.py",
    )
    listing = ImportErrorCollectionResponse.from_json(done.stdout).import_errors or []
    ours = next(error for error in listing if error.filename == IMPORT_ERROR_FILE)

    done = cli("import-errors", "get", str(ours.import_error_id), "--json")
    assert (done.returncode, done.stderr) == (0, ""), done
    got = ImportErrorResponse.from_json(done.stdout)
    assert (got.import_error_id, got.filename, got.bundle_name) == (ours.import_error_id, IMPORT_ERROR_FILE,
                                                                    "dags-folder")
    assert (got.stack_trace or "").rstrip().endswith(IMPORT_ERROR_TEXT)

    done = cli("import-errors", "get", str(ours.import_error_id))
    assert (done.returncode, done.stderr) == (0, ""), done
    lines = done.stdout.splitlines()
    assert [line.split(None, 1) for line in lines[:5]] == [
        ["import_error_id", str(ours.import_error_id)], ["timestamp", lines[1].split()[1]],
        ["filename", IMPORT_ERROR_FILE], ["bundle_name", "dags-folder"], ["error", IMPORT_ERROR_TEXT],
    ]
    assert lines[5].split(None, 1) == ["stack_trace", "Traceback (most recent call last):"]
    assert lines[-1].strip() == IMPORT_ERROR_TEXT

    unknown = max(error.import_error_id for error in listing) + 100_000
    done = cli("import-errors", "get", str(unknown))
    assert done.returncode == 2
    line = one_error_line(done)
    assert f"import_error_id: `{unknown}` was not found" in line and line.endswith("(HTTP 404)"), line
