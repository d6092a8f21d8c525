"""EventLogApi, DagWarningApi, DagStatsApi, ImportErrorApi and DAGApi.reparse_dag_file against the real server.

What they report comes from the runs of this session (event logs, DAG stats) and from the DAG
folder as the scheduler parsed it: tit_pool_warning.py (a DAG warning) and tit_import_error.py
(an import error). The scheduler records those on its own schedule, so the tests poll for them.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timezone
from typing import Awaitable, Callable, Dict, Optional, TypeVar

import pytest

from titanium_airflow_client import (
    ApiClient,
    DAGApi,
    DAGRun,
    DAGRunApi,
    DagStatsApi,
    DagWarningApi,
    EventLogApi,
    ImportErrorApi,
    NotFoundException,
    TaskInstanceApi,
    UpdateTaskInstance,
    paginate,
)

from .conftest import POLL_SECONDS

T = TypeVar("T")

PARSE_TIMEOUT = 120.0  # the scheduler re-parses each DAG file every few seconds (min_file_process_interval 5)
POOL_WARNING = "Dag 'tit_pool_warning' references non-existent pools: ['tit_no_such_pool']"
IMPORT_ERROR_MARKER = "RuntimeError: TITANIUM-IMPORT-ERROR: tit_import_error.py fails to import on purpose"
DAG_RUN_STATES = ("queued", "running", "success", "failed")


def run_id_of(run: DAGRun) -> str:
    assert run.dag_run_id is not None
    return run.dag_run_id


async def poll(what: str, probe: Callable[[], Awaitable[Optional[T]]], timeout: float = PARSE_TIMEOUT) -> T:
    """``probe()`` until it returns something other than None; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        found = await probe()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not seen within {timeout:.0f}s", pytrace=False)
        await asyncio.sleep(POLL_SECONDS)


# --------------------------------------------------------------------------- event logs


async def test_event_logs_of_a_task_run(api_client: ApiClient, xcom_run: DAGRun) -> None:
    events = EventLogApi(api_client)
    run_id = run_id_of(xcom_run)
    listed = await events.get_event_logs(
        dag_id="tit_xcom", task_id="push", run_id=run_id, included_events="running,success", order_by="event_log_id"
    )
    assert [e.event for e in listed.event_logs or []] == ["running", "success"] and listed.total_entries == 2
    for entry in listed.event_logs or []:
        assert (entry.dag_id, entry.task_id, entry.run_id) == ("tit_xcom", "push", run_id)
        assert (entry.map_index, entry.try_number, entry.owner) == (-1, 1, "titanium")  # the DAG's owner
        assert entry.execution_date == xcom_run.logical_date
        assert entry.when is not None and entry.when.tzinfo is not None
    running, success = listed.event_logs or []
    assert running.when <= success.when  # type: ignore[operator]
    excluded = await events.get_event_logs(dag_id="tit_xcom", run_id=run_id, excluded_events="running,success")
    assert {"running", "success"}.isdisjoint(e.event for e in excluded.event_logs or [])


async def test_event_log_of_an_api_call_is_read_back(api_client: ApiClient, xcom_run: DAGRun) -> None:
    """A dry-run patch_task_instance is an API action: it gets an event log entry, which get_event_log returns."""
    events = EventLogApi(api_client)
    run_id = run_id_of(xcom_run)
    started = datetime.now(timezone.utc)
    filters: Dict[str, str] = {"dag_id": "tit_xcom", "task_id": "push", "run_id": run_id}
    before = await events.get_event_logs(**filters, event="api.patch_task_instance")
    await TaskInstanceApi(api_client).patch_task_instance(
        "tit_xcom", run_id, "push", UpdateTaskInstance(new_state="success", dry_run=True)
    )

    async def logged() -> Optional[int]:
        after = await events.get_event_logs(**filters, event="api.patch_task_instance", order_by="-event_log_id")
        new = [e.event_log_id for e in after.event_logs or [] if e.event_log_id is not None]
        return new[0] if (after.total_entries or 0) > (before.total_entries or 0) and new else None

    event_log_id = await poll("the event log of patch_task_instance", logged, timeout=30)
    entry = await events.get_event_log(event_log_id)
    assert entry.event_log_id == event_log_id and entry.event == "api.patch_task_instance"
    assert (entry.dag_id, entry.task_id, entry.run_id, entry.owner) == ("tit_xcom", "push", run_id, "admin")
    assert entry.extra is not None and json.loads(entry.extra) == {"dry_run": True, "new_state": "success"}
    assert entry.when is not None and entry.when >= started.replace(microsecond=0)
    listed = await events.get_event_logs(**filters, after=started.replace(microsecond=0))
    assert event_log_id in {e.event_log_id for e in listed.event_logs or []}
    with pytest.raises(NotFoundException):
        await events.get_event_log(2_000_000_000)


async def test_paginate_event_logs_of_a_run(api_client: ApiClient, retry_run: DAGRun) -> None:
    events = EventLogApi(api_client)
    run_id = run_id_of(retry_run)
    whole = await events.get_event_logs(dag_id="tit_retry", run_id=run_id, order_by="event_log_id")
    ids = [e.event_log_id for e in whole.event_logs or []]
    assert len(ids) == whole.total_entries and len(ids) >= 4  # running/failed... of try 1, running/success of try 2
    assert [e.try_number for e in whole.event_logs or [] if e.event == "running"] == [1, 2]
    paged = [
        e.event_log_id
        async for e in paginate(events.get_event_logs)(
            dag_id="tit_retry", run_id=run_id, order_by="event_log_id", limit=1
        )
    ]
    assert paged == ids


# --------------------------------------------------------------------------- DAG warnings


async def test_dag_warning_of_tit_pool_warning(api_client: ApiClient) -> None:
    warnings = DagWarningApi(api_client)

    async def recorded() -> Optional[object]:
        listed = await warnings.get_dag_warnings(dag_id="tit_pool_warning")
        return listed if listed.dag_warnings else None

    await poll("the DAG warning of tit_pool_warning", recorded)
    listed = await warnings.get_dag_warnings(dag_id="tit_pool_warning", warning_type="non-existent pool")
    assert listed.total_entries == 1
    (warning,) = listed.dag_warnings or []
    assert (warning.dag_id, warning.warning_type, warning.message) == (
        "tit_pool_warning",
        "non-existent pool",
        POOL_WARNING,
    )
    assert warning.timestamp is not None and warning.timestamp.tzinfo is not None
    assert (await warnings.get_dag_warnings(warning_type="no such warning type")).dag_warnings == []
    every = [w async for w in paginate(warnings.get_dag_warnings)(limit=1, order_by="dag_id")]
    assert ("tit_pool_warning", POOL_WARNING) in {(w.dag_id, w.message) for w in every}


# --------------------------------------------------------------------------- DAG stats


async def test_dag_stats_agree_with_the_dag_runs(api_client: ApiClient, xcom_run: DAGRun, retry_run: DAGRun) -> None:
    stats_api, runs_api = DagStatsApi(api_client), DAGRunApi(api_client)

    async def counts_by_runs(dag_id: str) -> Dict[str, int]:
        counts = {}
        for state in DAG_RUN_STATES:
            counts[state] = (await runs_api.get_dag_runs(dag_id, state=[state], limit=1)).total_entries or 0
        return counts

    async def consistent() -> Optional[Dict[str, Dict[str, int]]]:
        # Other sessions may trigger these DAGs meanwhile: read until both views agree.
        stats = await stats_api.get_dag_stats("tit_xcom,tit_retry")
        by_stats = {
            item.dag_id: {
                str(s.state): s.count for s in item.stats or [] if s.state is not None and s.count is not None
            }
            for item in stats.dags or []
            if item.dag_id
        }
        by_runs = {dag_id: await counts_by_runs(dag_id) for dag_id in ("tit_xcom", "tit_retry")}
        return by_stats if by_stats == by_runs and stats.total_entries == 2 else None

    by_stats = await poll("DAG stats equal to the DAG runs' counts", consistent, timeout=60)
    assert set(by_stats) == {"tit_xcom", "tit_retry"}
    assert all(set(counts) == set(DAG_RUN_STATES) for counts in by_stats.values())
    assert by_stats["tit_xcom"]["success"] >= 1 and by_stats["tit_retry"]["success"] >= 1  # this session's runs
    paged = [item.dag_id async for item in paginate(stats_api.get_dag_stats)("tit_xcom,tit_retry")]
    assert sorted(paged) == ["tit_retry", "tit_xcom"]
    unknown = await stats_api.get_dag_stats("no_such_dag_anywhere")
    assert unknown.dags == [] and unknown.total_entries == 0


# --------------------------------------------------------------------------- import errors


async def test_import_error_names_the_broken_file(api_client: ApiClient) -> None:
    errors = ImportErrorApi(api_client)

    async def recorded() -> Optional[int]:
        async for error in paginate(errors.get_import_errors)(limit=1, order_by="import_error_id"):
            if (error.filename or "").endswith("/tit_import_error.py") and error.import_error_id is not None:
                return error.import_error_id
        return None

    import_error_id = await poll("the import error of tit_import_error.py", recorded)
    error = await errors.get_import_error(import_error_id)
    assert error.import_error_id == import_error_id
    assert error.filename is not None and error.filename.endswith("/test/dags/tit_import_error.py")
    assert error.stack_trace is not None and IMPORT_ERROR_MARKER in error.stack_trace
    assert error.timestamp is not None and error.timestamp.tzinfo is not None
    listed = await errors.get_import_errors()
    assert any(e.import_error_id == import_error_id for e in listed.import_errors or [])
    with pytest.raises(NotFoundException):
        await errors.get_import_error(2_000_000_000)


# --------------------------------------------------------------------------- reparse_dag_file


async def test_reparse_dag_file_gets_the_file_parsed_again(dag_api: DAGApi) -> None:
    dag = await dag_api.get_dag("tit_xcom")
    assert dag.file_token and dag.last_parsed_time is not None
    asked = datetime.now(timezone.utc)
    response = await dag_api.reparse_dag_file_with_http_info(dag.file_token)
    assert response.status_code == 201 and response.data is None

    async def parsed_again() -> Optional[datetime]:
        last = (await dag_api.get_dag("tit_xcom", fields=["last_parsed_time"])).last_parsed_time
        return last if last is not None and last > asked else None

    await poll("a parse of tit_xcom.py after reparse_dag_file", parsed_again, timeout=60)
    with pytest.raises(NotFoundException) as caught:
        await dag_api.reparse_dag_file("not-a-file-token")
    assert caught.value.problem is not None and caught.value.problem.title == "File not found"
