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


DETAIL_TRACE = [
    "stack_trace      Traceback (most recent call last):",
    '                   File "/dags/broken.py", line 3, in <module>',
    '                     raise RuntimeError("boom")',
    "                 RuntimeError: boom",
]


async def test_get_on_airflow_2_one_field_per_line_and_the_trace_as_written(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    host = serve(fake_airflow, {"/api/v1/importErrors/1": ERRORS[0]}, v2=False)
    result = await run(capsys, *host, "import-errors", "get", "1")
    assert (result.code, result.err) == (0, ""), result
    assert asked(fake_airflow) == [("/api/v1/importErrors/1", [])]
    assert result.out.splitlines() == [
        "import_error_id  1",
        "timestamp        2026-11-30T10:00:00+00:00",
        "filename         /dags/broken.py",
        "error            RuntimeError: boom",
        *DETAIL_TRACE,
    ]
    as_json = await run(capsys, *host, "import-errors", "get", "1", "--json")
    assert as_json.code == 0 and json.loads(as_json.out) == ERRORS[0]


async def test_get_on_airflow_3_with_its_bundle(fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]) -> None:
    error = {**ERRORS[1], "import_error_id": 7, "bundle_name": "dags-folder"}
    host = serve(fake_airflow, {"/api/v2/importErrors/7": error}, v2=True)
    result = await run(capsys, *host, "import-errors", "get", "7")
    assert (result.code, result.err) == (0, ""), result
    assert [path for path, _ in asked(fake_airflow)] == ["/api/v2/importErrors/7"]
    assert result.out.splitlines() == [
        "import_error_id  7",
        "timestamp        2026-11-30T10:00:01+00:00",
        "filename         /dags/cycle.py",
        "bundle_name      dags-folder",
        "error            Cycle detected in DAG: d",
        "stack_trace      Cycle detected in DAG: d",
        "                 more text",
    ]
    as_json = await run(capsys, *host, "import-errors", "get", "7", "--json")
    assert as_json.code == 0 and json.loads(as_json.out) == error


async def test_get_of_an_error_without_a_stack_trace_says_so(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    host = serve(fake_airflow, {"/api/v1/importErrors/3": {"import_error_id": 3, "filename": "/dags/x.py"}}, v2=False)
    result = await run(capsys, *host, "import-errors", "get", "3")
    assert result.out.splitlines() == [
        "import_error_id  3", "filename         /dags/x.py", "error            -", "stack_trace      -"
    ]


@pytest.mark.parametrize("v2", [False, True])
async def test_get_of_an_unknown_id_is_one_error_line_naming_it(
    v2: bool, fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    # What Airflow 2.11 and 3.3 answer.
    not_found = {"title": "Import error not found", "status": 404,
                 "detail": "The ImportError with import_error_id: `99` was not found"}
    host = serve(fake_airflow, {f"/api/v{2 if v2 else 1}/importErrors/99": (404, not_found)}, v2=v2)
    result = await run(capsys, *host, "import-errors", "get", "99")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "titanium-airflow: error: Import error not found: The ImportError with import_error_id: `99` was not found"
        " (HTTP 404)\n"
    )


async def test_get_needs_a_positive_whole_number(capsys: pytest.CaptureFixture[str]) -> None:
    result = await run(capsys, "import-errors", "get", "abc")
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines()[-1] == "titanium-airflow: error: argument ID: not a whole number: 'abc'"
