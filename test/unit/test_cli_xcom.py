"""``xcom list`` and ``xcom get`` against a fake Airflow 2 and 3: the exact requests, the table, the value
printed (text for a string, JSON otherwise), ``--json``, and an unknown DAG, run or key as one error line."""

from __future__ import annotations

import json
from typing import Any, Dict

import pytest

from .cli_routes import asked, serve
from .cli_run import run
from .conftest import FakeAirflow

V1_RUN = "/api/v1/dags/d/dagRuns/r"
V2_RUN = "/api/v2/dags/d/dagRuns/r"
ENTRY_V1 = {"key": "k", "timestamp": "2026-11-30T10:00:00+00:00", "execution_date": "2026-11-30T09:00:00+00:00",
            "map_index": -1, "task_id": "t", "dag_id": "d"}
ENTRY_V2 = {"key": "k", "timestamp": "2026-11-30T10:00:00+00:00", "logical_date": None, "map_index": 2,
            "task_id": "t", "dag_id": "d", "run_id": "r", "dag_display_name": "d", "task_display_name": "t",
            "run_after": "2026-11-30T09:00:00+00:00"}


async def test_list_on_airflow_2_asks_with_the_filters_and_prints_a_table(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = {"xcom_entries": [ENTRY_V1], "total_entries": 3}
    host = serve(fake_airflow, {f"{V1_RUN}/taskInstances/t/xcomEntries": listing}, v2=False)
    result = await run(capsys, *host, "xcom", "list", "d", "r", "--task", "t", "--map-index", "-1", "--key", "k",
                       "--limit", "1")
    assert result.code == 0, result
    assert asked(fake_airflow) == [
        (f"{V1_RUN}/taskInstances/t/xcomEntries", [("map_index", "-1"), ("xcom_key", "k"), ("limit", "1")])
    ]
    assert [line.split() for line in result.out.splitlines()] == [
        ["TASK_ID", "MAP_INDEX", "KEY", "TIMESTAMP"], ["t", "-1", "k", "2026-11-30T10:00:00+00:00"]
    ]
    assert result.err == "1 of 3 XComs shown; see --limit/--offset, or --all\n"
    as_json = await run(capsys, *host, "xcom", "list", "d", "r", "--task", "t", "--json")
    assert as_json.code == 0 and json.loads(as_json.out) == listing and as_json.err == ""


async def test_list_of_every_dag_on_airflow_3_shows_the_dag_and_every_task(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    path = "/api/v2/dags/~/dagRuns/r/taskInstances/~/xcomEntries"
    host = serve(fake_airflow, {path: {"xcom_entries": [ENTRY_V2], "total_entries": 1}}, v2=True)
    result = await run(capsys, *host, "xcom", "list", "~", "r")
    assert result.code == 0, result
    assert asked(fake_airflow) == [(path, [("limit", "50"), ("offset", "0")])]  # the v2 client's defaults
    assert [line.split() for line in result.out.splitlines()] == [
        ["DAG_ID", "TASK_ID", "MAP_INDEX", "KEY", "TIMESTAMP"], ["d", "t", "2", "k", "2026-11-30T10:00:00+00:00"]
    ]


@pytest.mark.parametrize("v2", [False, True])
async def test_an_empty_list_of_an_unknown_run_is_its_404(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], v2: bool
) -> None:
    run_path = V2_RUN if v2 else V1_RUN
    missing = {"title": "DAGRun not found", "status": 404, "detail": "The DagRun with dag_id: `d` and run_id: `r`"}
    host = serve(fake_airflow, {
        f"{run_path}/taskInstances/~/xcomEntries": {"xcom_entries": [], "total_entries": 0}, run_path: (404, missing)
    }, v2=v2)
    result = await run(capsys, *host, "xcom", "list", "d", "r")
    assert result.code == 2 and result.out == "", result
    assert result.err == (
        "titanium-airflow: error: DAGRun not found: The DagRun with dag_id: `d` and run_id: `r` (HTTP 404)\n"
    )
    assert [path for path, _ in asked(fake_airflow)] == [f"{run_path}/taskInstances/~/xcomEntries", run_path]


async def test_an_empty_list_of_a_known_run_says_so(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    host = serve(fake_airflow, {
        f"{V1_RUN}/taskInstances/t/xcomEntries": {"xcom_entries": [], "total_entries": 0},
        V1_RUN: {"dag_id": "d", "dag_run_id": "r"}, "/api/v1/dags/d/tasks/t": {"task_id": "t"},
    }, v2=False)
    result = await run(capsys, *host, "xcom", "list", "d", "r", "--task", "t")
    assert (result.code, result.out, result.err) == (0, "", "no XComs match\n")
    assert [path for path, _ in asked(fake_airflow)][1:] == [V1_RUN, "/api/v1/dags/d/tasks/t"]


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        ({"answer": 42, "text": "héllo ✓"}, '{\n  "answer": 42,\n  "text": "héllo ✓"\n}\n'),
        ("plain text", "plain text\n"),
        ('"quoted"', '"quoted"\n'),
        (9, "9\n"),
        (None, "null\n"),
        ([1, True], "[\n  1,\n  true\n]\n"),
    ],
)
async def test_get_on_airflow_2_prints_the_value_itself(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], value: Any, printed: str
) -> None:
    entry: Dict[str, Any] = {**ENTRY_V1, "value": value}
    host = serve(fake_airflow, {f"{V1_RUN}/taskInstances/t/xcomEntries/k": entry}, v2=False)
    result = await run(capsys, *host, "xcom", "get", "d", "r", "t", "k")
    assert (result.code, result.out, result.err) == (0, printed, "")
    assert asked(fake_airflow) == [
        (f"{V1_RUN}/taskInstances/t/xcomEntries/k", [("deserialize", "false"), ("stringify", "false")])
    ]


async def test_get_on_airflow_3_asks_for_the_deserialized_native_value(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = {**ENTRY_V2, "value": {"rows": [1, 2]}}
    path = f"{V2_RUN}/taskInstances/t/xcomEntries/k"
    host = serve(fake_airflow, {path: entry}, v2=True)
    result = await run(capsys, *host, "xcom", "get", "d", "r", "t", "k", "--map-index", "2")
    assert result.code == 0, result
    assert json.loads(result.out) == {"rows": [1, 2]}
    assert asked(fake_airflow) == [(path, [("map_index", "2"), ("deserialize", "true"), ("stringify", "false")])]
    as_json = await run(capsys, *host, "xcom", "get", "d", "r", "t", "k", "--map-index", "2", "--json")
    assert as_json.code == 0 and json.loads(as_json.out) == entry


async def test_get_of_an_unknown_key_names_it(fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]) -> None:
    host = serve(fake_airflow, {
        f"{V1_RUN}/taskInstances/t/xcomEntries/nope": (404, {"title": "XCom entry not found", "status": 404})
    }, v2=False)
    result = await run(capsys, *host, "xcom", "get", "d", "r", "t", "nope")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "titanium-airflow: error: XCom nope of task t of run r of DAG d: XCom entry not found (HTTP 404)\n"
    )


async def test_a_map_index_below_minus_one_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    result = await run(capsys, "xcom", "get", "d", "r", "t", "k", "--map-index", "-2")
    assert result.code == 2 and "argument --map-index: must be -1 or more: '-2'" in result.err
