"""``titanium-airflow import-errors list`` and ``get`` against the real Airflow 2.11:
test/dags/tit_import_error.py fails to import on purpose."""

from __future__ import annotations

import subprocess

from titanium_airflow_client import ImportError as AirflowImportError
from titanium_airflow_client import ImportErrorCollection

from ..cli_process import one_error_line, run_cli, table
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


def test_get_shows_one_import_error_and_an_unknown_id_is_one_error_line() -> None:
    done = until(
        lambda: cli("import-errors", "list", "--all", "--json"),
        lambda done: done.returncode == 0 and "tit_import_error.py" in done.stdout,
        "the import error of tit_import_error.py",
    )
    listing = ImportErrorCollection.from_json(done.stdout).import_errors or []
    ours = next(e for e in listing if (e.filename or "").endswith("/tit_import_error.py"))

    done = cli("import-errors", "get", str(ours.import_error_id), "--json")
    assert (done.returncode, done.stderr) == (0, ""), done
    got = AirflowImportError.from_json(done.stdout)
    assert (got.import_error_id, got.filename) == (ours.import_error_id, ours.filename)
    assert IMPORT_ERROR_TEXT in (got.stack_trace or "")

    done = cli("import-errors", "get", str(ours.import_error_id))
    assert (done.returncode, done.stderr) == (0, ""), done
    lines = done.stdout.splitlines()
    assert [line.split(None, 1)[0] for line in lines[:5]] == [
        "import_error_id", "timestamp", "filename", "error", "stack_trace"
    ]
    assert lines[2].split(None, 1)[1] == ours.filename and lines[3].split(None, 1)[1] == IMPORT_ERROR_TEXT
    assert lines[4].split(None, 1)[1] == "Traceback (most recent call last):" and lines[-1].strip() == IMPORT_ERROR_TEXT

    unknown = max(e.import_error_id or 0 for e in listing) + 100_000
    done = cli("import-errors", "get", str(unknown))
    assert done.returncode == 2
    line = one_error_line(done)
    assert f"import_error_id: `{unknown}` was not found" in line and line.endswith("(HTTP 404)"), line
