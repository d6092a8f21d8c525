"""Backfills on Airflow 3, through titanium_airflow_client.v2 against the local Airflow 3.3 (BackfillApi): the dry
run lists the days a backfill would run (and is refused for an unscheduled DAG), a backfill of tit_backfill
(@daily, no catch-up) creates and finishes one run a day, and a backfill can be paused, resumed and cancelled.

Each test backfills its own window of days, picked at random in 2024 and 2025 and checked to hold no run yet;
the runs it made are deleted afterwards so the days are free again (a backfill itself cannot be deleted)."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta, timezone
from typing import List, Optional

import pytest

from titanium_airflow_client import ApiClient, ConflictException, UnprocessableEntityException
from titanium_airflow_client.v2 import (
    BackfillApi,
    BackfillPostBody,
    BackfillResponse,
    BulkBodyBulkDAGRunBody,
    BulkDeleteActionBulkDAGRunBody,
    DagRunApi,
    DAGRunResponse,
    DagRunState,
    ReprocessBehavior,
)

from .test_dag_run_api import eventually

pytestmark = pytest.mark.integration

DAG_ID = "tit_backfill"
FIRST_DAY = datetime(2024, 1, 1, tzinfo=timezone.utc)


async def backfill_runs(runs: DagRunApi, days: List[datetime]) -> List[DAGRunResponse]:
    """The runs of tit_backfill whose logical date is one of ``days``."""
    listing = await runs.get_dag_runs(
        DAG_ID, logical_date_gte=days[0], logical_date_lte=days[-1], order_by=["logical_date"], limit=100
    )
    return list(listing.dag_runs or [])


async def free_window(runs: DagRunApi, length: int) -> List[datetime]:
    """``length`` consecutive days of tit_backfill's schedule that have no run yet."""
    for _ in range(20):
        start = FIRST_DAY + timedelta(days=random.randrange(0, 700))
        days = [start + timedelta(days=n) for n in range(length)]
        if not await backfill_runs(runs, days):
            return days
    raise AssertionError(f"no {length} free days of {DAG_ID} in 20 tries")


async def delete_runs(runs: DagRunApi, days: List[datetime]) -> None:
    """Delete every run of ``days`` with one bulk action, so the days can be backfilled again: once none is
    running (the server refuses to delete a running run, and a cancelled backfill's last run goes on)."""

    async def none_running() -> List[List[DAGRunResponse]]:
        made = await backfill_runs(runs, days)
        return [made] if all(run.state != DagRunState.RUNNING for run in made) else []

    settled = (await eventually(none_running, f"no run of {days[0]:%Y-%m-%d}… still running"))[0]
    made = [run.dag_run_id for run in settled if run.dag_run_id]
    if made:
        action = BulkDeleteActionBulkDAGRunBody(entities=list(made), action_on_non_existence="skip")
        result = await runs.bulk_dag_runs(DAG_ID, BulkBodyBulkDAGRunBody(actions=[action]))
        # The bulk answer names each run "<dag_id>.<dag_run_id>".
        assert result.delete is not None and result.delete.errors == [], result
        assert sorted(result.delete.success or []) == sorted(f"{DAG_ID}.{run_id}" for run_id in made)
    assert not await backfill_runs(runs, days)


async def cancel_unless_completed(backfills: BackfillApi, backfill_id: int) -> None:
    """Cancel a backfill a failed test left running (one running backfill per DAG blocks the next)."""
    if (await backfills.get_backfill(backfill_id)).completed_at is None:
        await backfills.cancel_backfill(backfill_id)


async def test_dry_run_lists_the_days_a_backfill_would_run(v2_client: ApiClient) -> None:
    days = await free_window(DagRunApi(v2_client), 3)
    body = BackfillPostBody(dag_id=DAG_ID, from_date=days[0], to_date=days[-1])
    dry = await BackfillApi(v2_client).create_backfill_dry_run(body)
    assert [item.logical_date for item in dry.backfills or []] == days and dry.total_entries == 3
    assert not await backfill_runs(DagRunApi(v2_client), days)  # a dry run creates nothing


async def test_dry_run_of_an_unscheduled_dag_is_refused(v2_client: ApiClient) -> None:
    body = {"dag_id": "tit_bash", "from_date": FIRST_DAY, "to_date": FIRST_DAY + timedelta(days=2)}
    with pytest.raises(UnprocessableEntityException) as refused:
        await BackfillApi(v2_client).create_backfill_dry_run(body)
    assert refused.value.status == 422
    assert refused.value.detail == "tit_bash has a non-periodic schedule that does not support backfills"


async def test_backfill_runs_each_day_and_completes(v2_client: ApiClient) -> None:
    backfills, runs = BackfillApi(v2_client), DagRunApi(v2_client)
    days = await free_window(runs, 3)
    marker = uuid.uuid4().hex
    backfill: Optional[BackfillResponse] = None
    try:
        backfill = await backfills.create_backfill(
            BackfillPostBody(
                dag_id=DAG_ID,
                from_date=days[0],
                to_date=days[-1],
                dag_run_conf={"marker": marker},
                max_active_runs=2,
                reprocess_behavior=ReprocessBehavior.NONE,
            )
        )
        assert backfill.id is not None
        assert (backfill.dag_id, backfill.from_date, backfill.to_date) == (DAG_ID, days[0], days[-1])
        assert (backfill.dag_run_conf, backfill.max_active_runs) == ({"marker": marker}, 2)
        assert backfill.reprocess_behavior == ReprocessBehavior.NONE and backfill.is_paused is False
        assert backfill.completed_at is None

        read = await backfills.get_backfill(backfill.id)
        assert (read.id, read.dag_id, read.from_date, read.created_at) == (
            backfill.id,
            DAG_ID,
            days[0],
            backfill.created_at,
        )
        listed = await backfills.list_backfills(DAG_ID, order_by=["-id"])
        assert backfill.id in [item.id for item in listed.backfills or []]
        assert all(item.dag_id == DAG_ID for item in listed.backfills or [])

        async def all_succeeded() -> List[DAGRunResponse]:
            made = await backfill_runs(runs, days)
            done = len(made) == 3 and all(run.state == DagRunState.SUCCESS for run in made)
            return made if done else []

        made = await eventually(all_succeeded, f"the 3 runs of backfill {backfill.id} succeeded")
        assert [run.logical_date for run in made] == days
        assert all(run.run_type == "backfill" and run.conf == {"marker": marker} for run in made)

        async def completed() -> Optional[BackfillResponse]:
            assert backfill is not None and backfill.id is not None
            current = await backfills.get_backfill(backfill.id)
            return current if current.completed_at is not None else None

        # The scheduler marks a backfill completed up to 30 s after its last run ended.
        finished = await eventually(completed, f"backfill {backfill.id} completed")
        assert finished.completed_at is not None and finished.created_at is not None
        assert finished.completed_at >= finished.created_at
    finally:
        if backfill is not None and backfill.id is not None:
            await cancel_unless_completed(backfills, backfill.id)
        await delete_runs(runs, days)


async def test_pause_unpause_and_cancel_a_backfill(v2_client: ApiClient) -> None:
    backfills, runs = BackfillApi(v2_client), DagRunApi(v2_client)
    days = await free_window(runs, 5)
    backfill_id: Optional[int] = None
    try:
        # One run at a time over five days: it is still going when paused and cancelled below.
        created = await backfills.create_backfill(
            {"dag_id": DAG_ID, "from_date": days[0], "to_date": days[-1], "max_active_runs": 1}
        )
        backfill_id = created.id
        assert backfill_id is not None and created.is_paused is False

        paused = await backfills.pause_backfill(backfill_id)
        assert (paused.id, paused.is_paused) == (backfill_id, True)
        assert (await backfills.get_backfill(backfill_id)).is_paused is True

        resumed = await backfills.unpause_backfill(backfill_id)
        assert (resumed.id, resumed.is_paused) == (backfill_id, False)
        assert (await backfills.get_backfill(backfill_id)).is_paused is False

        cancelled = await backfills.cancel_backfill(backfill_id)
        assert cancelled.id == backfill_id and cancelled.completed_at is not None
        read = await backfills.get_backfill(backfill_id)
        assert read.completed_at == cancelled.completed_at

        with pytest.raises(ConflictException) as again:
            await backfills.cancel_backfill(backfill_id)
        assert again.value.detail == "Backfill is already completed."
    finally:
        if backfill_id is not None:
            await cancel_unless_completed(backfills, backfill_id)
        await delete_runs(runs, days)
