"""``import-errors list`` against a fake Airflow 2 and 3: the line that says what failed, ``--json`` whole,
paging with ``--all``, and Airflow 3's list-valued ``order_by``."""

from __future__ import annotations

import json

import pytest

from titanium_airflow_client.cli.commands.import_errors import error_line

from .cli_routes import asked, serve
from .cli_run import run
from .conftest import FakeAirflow

TRACEBACK = (
    "Traceback (most recent call last):\n  File \"/dags/broken.py\", line 3, in <module>\n"
    "    raise RuntimeError(\"boom\")\nRuntimeError: boom\n"
)
ERRORS = [
    {"import_error_id": 1, "timestamp": "2026-11-30T10:00:00+00:00", "filename": "/dags/broken.py",
     "stack_trace": TRACEBACK},
    {"import_error_id": 2, "timestamp": "2026-11-30T10:00:01+00:00", "filename": "/dags/cycle.py",
     "stack_trace": "Cycle detected in DAG: d\nmore text"},
]


def test_the_error_line_is_a_tracebacks_exception_or_the_first_line() -> None:
    assert error_line(TRACEBACK) == "RuntimeError: boom"
    assert error_line("\n  Cycle detected\nmore") == "Cycle detected"
    assert error_line("") is None and error_line(None) is None


async def test_list_on_airflow_2_as_a_table_and_as_json(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = {"import_errors": ERRORS, "total_entries": 2}
    host = serve(fake_airflow, {"/api/v1/importErrors": listing}, v2=False)
    result = await run(capsys, *host, "import-errors", "list", "--order-by", "-timestamp")
    assert result.code == 0 and result.err == "", result
    assert asked(fake_airflow) == [("/api/v1/importErrors", [("limit", "100"), ("order_by", "-timestamp")])]
    assert result.out.splitlines() == [
        "ID  FILENAME         TIMESTAMP                  ERROR",
        "1   /dags/broken.py  2026-11-30T10:00:00+00:00  RuntimeError: boom",
        "2   /dags/cycle.py   2026-11-30T10:00:01+00:00  Cycle detected in DAG: d",
    ]
    as_json = await run(capsys, *host, "import-errors", "list", "--json")
    assert as_json.code == 0 and json.loads(as_json.out) == listing  # the whole stack traces


async def test_all_pages_on_airflow_3_with_its_bundle_and_list_order_by(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = [
        {"import_errors": [{**ERRORS[0], "bundle_name": "dags-folder"}], "total_entries": 2},
        {"import_errors": [{**ERRORS[1], "bundle_name": "dags-folder"}], "total_entries": 2},
    ]
    host = serve(fake_airflow, {"/api/v2/importErrors": lambda request: pages[int(dict(request.query)["offset"])]},
                 v2=True)
    result = await run(capsys, *host, "import-errors", "list", "--all", "--limit", "1", "--order-by", "-id")
    assert result.code == 0, result
    assert [path for path, _ in asked(fake_airflow)] == ["/api/v2/importErrors"] * 2
    assert [dict(query) for _, query in asked(fake_airflow)] == [
        {"limit": "1", "offset": "0", "order_by": "-id"}, {"limit": "1", "offset": "1", "order_by": "-id"}
    ]
    assert [line.split()[:3] for line in result.out.splitlines()] == [
        ["ID", "FILENAME", "BUNDLE_NAME"],
        ["1", "/dags/broken.py", "dags-folder"],
        ["2", "/dags/cycle.py", "dags-folder"],
    ]


async def test_none_is_said_on_stderr(fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]) -> None:
    host = serve(fake_airflow, {"/api/v1/importErrors": {"import_errors": [], "total_entries": 0}}, v2=False)
    result = await run(capsys, *host, "import-errors", "list")
    assert (result.code, result.out, result.err) == (0, "", "no import errors match\n")
