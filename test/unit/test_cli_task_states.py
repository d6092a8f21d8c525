"""``tasks states DAG RUN`` against the local fake server, on Airflow 2 and 3: every task instance of a run, all
pages, in the order they started; ``--json``; an unknown run is an error naming it."""

from __future__ import annotations

import json
from typing import Any, Dict

import pytest

from titanium_airflow_client.models import TaskInstanceCollection
from titanium_airflow_client.v2.models import TaskInstanceCollectionResponse

from .cli_run import run
from .conftest import FakeAirflow
from .scripted_airflow import ScriptedAirflow
from .v2_api import root_of

TASKS = "/api/v1/dags/d/dagRuns/r/taskInstances"
TASKS_V2 = "/api/v2/dags/d/dagRuns/r/taskInstances"


def instance(task_id: str, state: Any, start: Any = None, map_index: int = -1, duration: Any = None) -> Dict[str, Any]:
    return {"task_id": task_id, "map_index": map_index, "state": state, "try_number": 1 if start else 0,
            "start_date": start, "duration": duration}


LATER = instance("later", "running", "2026-01-02T03:05:00+00:00")
FIRST = instance("first", "success", "2026-01-02T03:04:00+00:00", duration=12.345)
WAITING = instance("waiting", None)
MAPPED = [instance("square", "failed", "2026-01-02T03:06:00+00:00", index, 0.5) for index in (1, 0)]


async def test_every_page_in_the_order_they_started(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    page_size = 100
    first_page = [WAITING, LATER] + [instance(f"x{n:03d}", "success", "2026-01-02T03:07:00+00:00")
                                      for n in range(page_size - 2)]
    script.on("GET", TASKS, {"task_instances": first_page, "total_entries": 104},
              {"task_instances": [FIRST, *MAPPED], "total_entries": 104},
              {"task_instances": [], "total_entries": 104})
    result = await run(capsys, "--host", fake_airflow.host, "tasks", "states", "d", "r")
    assert result.code == 0, result
    rows = [line.split() for line in result.out.splitlines()]
    assert rows[0] == ["TASK_ID", "MAP_INDEX", "STATE", "TRY_NUMBER", "START_DATE", "DURATION"]
    assert rows[1:5] == [
        ["first", "-1", "success", "1", "2026-01-02T03:04:00+00:00", "12.3"],
        ["later", "-1", "running", "1", "2026-01-02T03:05:00+00:00", "-"],
        ["square", "0", "failed", "1", "2026-01-02T03:06:00+00:00", "0.5"],
        ["square", "1", "failed", "1", "2026-01-02T03:06:00+00:00", "0.5"],
    ]
    assert rows[-1] == ["waiting", "-1", "none", "0", "-", "-"]
    assert len(rows) == 1 + 103
    assert [call.split("?")[1] for call in script.calls()][:2] == ["limit=100&offset=0", "limit=100&offset=100"]


async def test_json_is_the_collection_of_every_instance(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    script.on("GET", TASKS, {"task_instances": [LATER, FIRST], "total_entries": 2})
    result = await run(capsys, "--host", fake_airflow.host, "tasks", "states", "d", "r", "--json")
    assert result.code == 0 and result.err == ""
    expected = TaskInstanceCollection.from_json(json.dumps({"task_instances": [FIRST, LATER], "total_entries": 2}))
    assert result.out == expected.to_json() + "\n"


async def test_airflow_3(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    script.on("GET", TASKS_V2, {"task_instances": [LATER, FIRST], "total_entries": 2, "next_cursor": None})
    host = root_of(fake_airflow.host) + "/api/v2"
    result = await run(capsys, "--host", host, "--token", "tok", "tasks", "states", "d", "r")
    assert [line.split()[0] for line in result.out.splitlines()] == ["TASK_ID", "first", "later"]
    result = await run(capsys, "--host", host, "--token", "tok", "tasks", "states", "d", "r", "--json")
    collection = TaskInstanceCollectionResponse.from_json(result.out)
    assert [ti.task_id for ti in collection.task_instances or []] == ["first", "later"]
    assert script.calls(TASKS_V2)[0] == f"GET {TASKS_V2}?cursor=&limit=100"


async def test_an_unknown_run_is_an_error_naming_it(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    script.on("GET", "/api/v1/dags/d/dagRuns/nope/taskInstances", {"task_instances": [], "total_entries": 0})
    script.on("GET", "/api/v1/dags/d/dagRuns/nope", {"title": "DAGRun not found", "status": 404}, status=404)
    result = await run(capsys, "--host", fake_airflow.host, "tasks", "states", "d", "nope")
    assert (result.code, result.out) == (2, "")
    assert result.err == "titanium-airflow: error: run nope of DAG d: DAGRun not found (HTTP 404)\n"


async def test_a_run_without_task_instances_yet_says_so(
    script: ScriptedAirflow, fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    script.on("GET", TASKS, {"task_instances": [], "total_entries": 0})
    script.on("GET", "/api/v1/dags/d/dagRuns/r", {"dag_id": "d", "dag_run_id": "r", "state": "queued"})
    result = await run(capsys, "--host", fake_airflow.host, "tasks", "states", "d", "r")
    assert (result.code, result.out, result.err) == (0, "", "no task instances match\n")
