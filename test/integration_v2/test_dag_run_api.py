"""The seed pages' DAG and DAG-run workflow on Airflow 3, through titanium_airflow_client.v2 against the local
Airflow 3.3: list and filter DAGs, pause, trigger with conf and note, follow, read, set state, clear (dry run
and real), upstream asset events, delete; and paging the runs by cursor."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any, Awaitable, Callable, List, TypeVar

import pytest

from titanium_airflow_client import ApiClient, NotFoundException, paginate
from titanium_airflow_client.v2 import (
    ClearTaskInstanceCollectionResponse,
    DAGApi,
    DAGPatchBody,
    DagRunApi,
    DAGRunClearBody,
    DAGRunPatchBody,
    DAGRunResponse,
    DagRunState,
    DagRunWaitUpdate,
    TaskInstanceResponse,
    TriggerDAGRunPostBody,
)

pytestmark = pytest.mark.integration

T = TypeVar("T")
DEADLINE = 240.0  # seconds a run may take on a loaded 2-core machine


async def eventually(check: Callable[[], Awaitable[T]], what: str, deadline: float = DEADLINE) -> T:
    """The first truthy result of ``check``, asked again until ``deadline`` seconds have passed."""
    until = time.monotonic() + deadline
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > until:
            raise AssertionError(f"not within {deadline:.0f} s: {what}")
        await asyncio.sleep(0.5)


def run_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


async def finished(runs: DagRunApi, dag_id: str, dag_run_id: str) -> List[DagRunWaitUpdate]:
    """Every update of the wait stream until the run has finished."""

    async def collect() -> List[DagRunWaitUpdate]:
        return [update async for update in runs.wait_dag_run_until_finished(dag_id, dag_run_id, interval=0.5)]

    return await asyncio.wait_for(collect(), DEADLINE)


async def test_list_filter_and_pause_dags(v2_client: ApiClient) -> None:
    dags = DAGApi(v2_client)
    listing = await dags.get_dags(dag_id_pattern="tit_sandbox_", order_by=["dag_id"])
    names = [dag.dag_id for dag in listing.dags]
    assert {"tit_sandbox_a", "tit_sandbox_b", "tit_sandbox_c"} <= set(names) and names == sorted(names)
    assert listing.total_entries == len(names)

    paused = await dags.patch_dag("tit_sandbox_b", DAGPatchBody(is_paused=True), update_mask=["is_paused"])
    assert paused.is_paused is True
    assert (await dags.get_dag("tit_sandbox_b")).is_paused is True
    only_paused = await dags.get_dags(dag_id_pattern="tit_sandbox_", paused=True)
    assert "tit_sandbox_b" in [dag.dag_id for dag in only_paused.dags]
    unpaused = await dags.patch_dag("tit_sandbox_b", {"is_paused": False})
    assert unpaused.is_paused is False


async def test_trigger_follow_read_set_state_clear_and_delete_a_run(v2_client: ApiClient) -> None:
    runs = DagRunApi(v2_client)
    new_id = run_id("seed_flow")
    body = TriggerDAGRunPostBody(dag_run_id=new_id, conf={"rows": 3}, note="started by the suite")
    triggered = await runs.trigger_dag_run("tit_bash", body)
    assert isinstance(triggered, DAGRunResponse)
    assert (triggered.dag_run_id, triggered.conf, triggered.note) == (new_id, {"rows": 3}, "started by the suite")
    assert triggered.logical_date is None  # sent as null: the run is not tied to a schedule slot

    updates = await finished(runs, "tit_bash", new_id)
    assert all(isinstance(update, DagRunWaitUpdate) for update in updates)
    assert updates[-1].state == DagRunState.SUCCESS

    run = await runs.get_dag_run("tit_bash", new_id)
    assert run.state == DagRunState.SUCCESS and run.end_date is not None

    failed = await runs.patch_dag_run("tit_bash", new_id, DAGRunPatchBody(state="failed"), update_mask=["state"])
    assert failed.state == DagRunState.FAILED
    noted = await runs.patch_dag_run("tit_bash", new_id, DAGRunPatchBody(note="looked at"), update_mask=["note"])
    assert noted.note == "looked at" and noted.state == DagRunState.FAILED

    dry = (await runs.clear_dag_run("tit_bash", new_id, DAGRunClearBody(dry_run=True))).actual_instance
    assert isinstance(dry, ClearTaskInstanceCollectionResponse)
    assert sorted(ti.task_id for ti in dry.task_instances or []) == ["goodbye", "hello"]
    assert all(isinstance(ti, TaskInstanceResponse) for ti in dry.task_instances or [])
    assert (await runs.get_dag_run("tit_bash", new_id)).state == DagRunState.FAILED  # a dry run changes nothing

    cleared = (await runs.clear_dag_run("tit_bash", new_id, DAGRunClearBody(dry_run=False))).actual_instance
    assert isinstance(cleared, DAGRunResponse)
    assert cleared.dag_run_id == new_id and cleared.state == DagRunState.QUEUED
    assert (await finished(runs, "tit_bash", new_id))[-1].state == DagRunState.SUCCESS

    assert await runs.delete_dag_run("tit_bash", new_id) is None
    with pytest.raises(NotFoundException):
        await runs.get_dag_run("tit_bash", new_id)


async def test_wait_dag_run_until_finished_streams_typed_updates(v2_client: ApiClient, raw_request: Any) -> None:
    """The spec types the stream as a string; each NDJSON line is a JSON object with the run's state (the
    override names DagRunWaitUpdate as the model of a line)."""
    runs = DagRunApi(v2_client)
    new_id = run_id("wait_stream")
    await runs.trigger_dag_run("tit_bash", TriggerDAGRunPostBody(dag_run_id=new_id))
    try:
        updates = await finished(runs, "tit_bash", new_id)
        assert updates and all(isinstance(update, DagRunWaitUpdate) for update in updates)
        assert updates[-1].state == DagRunState.SUCCESS
        raw = await raw_request(
            "GET",
            f"/api/v2/dags/tit_bash/dagRuns/{new_id}/wait?interval=0.5",
            headers={"Accept": "application/x-ndjson"},
        )
        assert raw.status == 200 and raw.content_type == ""  # the server names no media type: lines are read anyway
        lines = [json.loads(line) for line in raw.body.splitlines() if line.strip()]
        assert lines[-1]["state"] == "success"  # a finished run: its final state at once
    finally:
        await runs.delete_dag_run("tit_bash", new_id)


async def test_upstream_asset_events_of_an_asset_triggered_run(v2_client: ApiClient) -> None:
    runs = DagRunApi(v2_client)
    producer_run = run_id("asset_source")
    await runs.trigger_dag_run("tit_asset_producer", TriggerDAGRunPostBody(dag_run_id=producer_run))
    assert (await finished(runs, "tit_asset_producer", producer_run))[-1].state == DagRunState.SUCCESS

    async def consumer_run() -> Any:
        listing = await runs.get_dag_runs("tit_asset_consumer", run_type=["asset_triggered"], order_by=["-run_after"])
        for run in listing.dag_runs or []:
            events = await runs.get_upstream_asset_events("tit_asset_consumer", run.dag_run_id or "")
            if any(event.source_run_id == producer_run for event in events.asset_events or []):
                return events
        return None

    events = await eventually(consumer_run, "an asset-triggered run of tit_asset_consumer after the producer's run")
    event = next(event for event in events.asset_events if event.source_run_id == producer_run)
    assert event.source_dag_id == "tit_asset_producer" and event.uri


async def test_paginate_walks_runs_by_cursor_and_by_offset_alike(v2_client: ApiClient) -> None:
    runs = DagRunApi(v2_client)
    made = [run_id("cursor_page") for _ in range(5)]
    for dag_run_id in made:
        await runs.trigger_dag_run("tit_sandbox_c", TriggerDAGRunPostBody(dag_run_id=dag_run_id))
    try:
        by_cursor = [run.dag_run_id async for run in paginate(runs.get_dag_runs)("tit_sandbox_c", limit=2)]
        by_offset = [run.dag_run_id async for run in paginate(runs.get_dag_runs, by="offset")("tit_sandbox_c", limit=2)]
        assert set(made) <= set(by_cursor)
        assert sorted(by_cursor) == sorted(by_offset)
        assert len(by_cursor) == len(set(by_cursor))  # no run twice
    finally:
        for dag_run_id in made:
            await runs.delete_dag_run("tit_sandbox_c", dag_run_id)
