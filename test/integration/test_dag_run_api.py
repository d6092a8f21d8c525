"""DAGRunApi against the real server: every endpoint, every parameter, and what the server then holds."""

from __future__ import annotations

import asyncio
import json
import secrets
from datetime import datetime, timedelta, timezone
from typing import List, Optional, Set

import pytest

from titanium_airflow_client import (
    ApiValueError,
    BadRequestException,
    ClearDagRun,
    ConflictException,
    DAGApi,
    DAGRun,
    DAGRunApi,
    DAGRunCollection,
    ListDagRunsForm,
    NotFoundException,
    SetDagRunNote,
    TaskInstanceReferenceCollection,
    UpdateDagRunState,
    UpdateTaskInstancesState,
)

from .conftest import DATASET_URI, SANDBOX_DAG, SESSION_PREFIX, DatasetRuns, Runs, ensure_paused

IST = timezone(timedelta(hours=5, minutes=30))
PDT = timezone(timedelta(hours=-7))
SECOND = timedelta(seconds=1)


def run_ids(collection: DAGRunCollection) -> List[str]:
    return [run.dag_run_id for run in collection.dag_runs or [] if run.dag_run_id]


def mine(collection: DAGRunCollection, wanted: Set[str]) -> List[str]:
    """The ids of ``wanted`` in the order the server listed them (other runs may exist)."""
    return [run_id for run_id in run_ids(collection) if run_id in wanted]


async def in_state(dag_api: DAGApi, run_id: str, state: str) -> bool:
    """Whether tit_sandbox_a's noop task instance of the run is in ``state``: a dry run of
    "set it to state" lists only task instances in another state."""
    listed = await dag_api.post_set_task_instances_state(
        SANDBOX_DAG, UpdateTaskInstancesState(task_id="noop", dag_run_id=run_id, new_state=state, dry_run=True)
    )
    return not listed.task_instances


# --------------------------------------------------------------------------- runs that execute


async def test_tit_bash_run_is_followed_to_success(dag_run_api: DAGRunApi, bash_run: DAGRun) -> None:
    assert bash_run.dag_run_id is not None
    run = await dag_run_api.get_dag_run("tit_bash", bash_run.dag_run_id)
    assert run.state == "success"
    assert run.dag_id == "tit_bash"
    assert run.run_type == "manual" and run.external_trigger is True
    assert run.conf == {"session": SESSION_PREFIX}
    assert run.start_date is not None and run.end_date is not None and run.start_date <= run.end_date
    assert run.logical_date is not None and run.logical_date == run.execution_date
    assert run.logical_date.tzinfo is not None


async def test_tit_fail_run_is_followed_to_failed(dag_run_api: DAGRunApi, failed_run: DAGRun) -> None:
    assert failed_run.dag_run_id is not None
    run = await dag_run_api.get_dag_run("tit_fail", failed_run.dag_run_id)
    assert run.state == "failed"
    assert run.end_date is not None


async def test_upstream_dataset_events_of_a_consumer_run(dag_run_api: DAGRunApi, dataset_runs: DatasetRuns) -> None:
    producer, consumer = dataset_runs.producer, dataset_runs.consumer
    assert producer.state == "success"
    assert consumer.dag_run_id is not None and consumer.run_type == "dataset_triggered"
    events = await dag_run_api.get_upstream_dataset_events("tit_dataset_consumer", consumer.dag_run_id)
    assert events.dataset_events and events.total_entries == len(events.dataset_events)  # no pagination
    ours = [e for e in events.dataset_events if e.source_run_id == producer.dag_run_id]
    assert len(ours) == 1
    event = ours[0]
    assert event.dataset_uri == DATASET_URI
    assert event.source_dag_id == "tit_dataset_producer"
    assert event.source_task_id == "produce"
    assert event.source_map_index == -1
    assert isinstance(event.id, int)  # extra key the server sends
    assert event.timestamp is not None and event.timestamp.tzinfo is not None
    created = {(r.dag_id, r.dag_run_id) for r in event.created_dagruns or []}
    assert ("tit_dataset_consumer", consumer.dag_run_id) in created


async def test_dataset_event_created_dagruns_use_dag_run_id_not_run_id(
    dag_run_api: DAGRunApi, dataset_runs: DatasetRuns
) -> None:
    """Server differs from the spec: BasicDAGRun comes with 'dag_run_id', the spec says 'run_id'."""
    assert dataset_runs.consumer.dag_run_id is not None
    response = await dag_run_api.get_upstream_dataset_events_with_http_info(
        "tit_dataset_consumer", dataset_runs.consumer.dag_run_id
    )
    raw_runs = [r for e in json.loads(response.raw_data)["dataset_events"] for r in e["created_dagruns"]]
    assert raw_runs and all("dag_run_id" in r and "run_id" not in r for r in raw_runs)
    parsed = [r for e in response.data.dataset_events or [] for r in e.created_dagruns or []]
    assert all(r.run_id is None and r.dag_run_id for r in parsed)


async def test_upstream_dataset_events_of_a_manual_run_are_empty(dag_run_api: DAGRunApi, bash_run: DAGRun) -> None:
    assert bash_run.dag_run_id is not None
    events = await dag_run_api.get_upstream_dataset_events("tit_bash", bash_run.dag_run_id)
    assert events.dataset_events == [] and events.total_entries == 0


# --------------------------------------------------------------------------- post / get / delete


async def test_post_dag_run_round_trips_every_field(dag_run_api: DAGRunApi, runs: Runs) -> None:
    run_id = runs.new_id("post")
    logical = runs.logical_date().astimezone(IST)  # sent as +05:30, stored as the same instant
    body = DAGRun(
        dag_run_id=run_id,
        logical_date=logical,
        conf={"answer": 42, "nested": {"list": [1, "two"]}},
        note="created by the integration tests",
        data_interval_start=logical - timedelta(days=1),
        data_interval_end=logical,
    )
    runs.registry.add(SANDBOX_DAG, run_id)
    response = await dag_run_api.post_dag_run_with_http_info(SANDBOX_DAG, body)
    assert response.status_code == 200  # server differs from the spec, which says 201
    stored = await dag_run_api.get_dag_run(SANDBOX_DAG, run_id)
    assert stored.logical_date is not None and stored.logical_date.utcoffset() == timedelta(0)  # read back in UTC
    for run in (response.data, stored):
        assert run.dag_run_id == run_id and run.dag_id == SANDBOX_DAG
        assert run.logical_date == logical and run.execution_date == logical  # the same instant
        assert run.conf == {"answer": 42, "nested": {"list": [1, "two"]}}
        assert run.note == "created by the integration tests"
        assert run.data_interval_start == logical - timedelta(days=1)
        assert run.data_interval_end == logical
        assert run.state == "queued" and run.run_type == "manual" and run.external_trigger is True
        assert run.start_date is None  # its DAG is paused: it never starts


async def test_post_dag_run_with_server_defaults(dag_run_api: DAGRunApi, runs: Runs) -> None:
    run_id = runs.new_id("defaults")
    before = datetime.now(timezone.utc)
    run = await runs.sandbox_run("defaults", dag_run_id=run_id, logical_date=None)
    assert run.dag_run_id == run_id
    assert run.logical_date is not None and run.logical_date >= before - 5 * SECOND  # now, on the server
    assert run.conf == {} and run.note is None


async def test_post_dag_run_never_sends_read_only_fields(dag_run_api: DAGRunApi, runs: Runs) -> None:
    """Read-only fields in the body make the server answer 400; a DAGRun as read can be re-posted."""
    template = await runs.sandbox_run("template", conf={"k": "v"})
    assert template.state == "queued" and template.dag_id == SANDBOX_DAG
    logical = runs.logical_date()
    copy = template.model_copy(
        update={"dag_run_id": runs.new_id("copy"), "logical_date": logical, "execution_date": logical,
                "data_interval_start": logical, "data_interval_end": logical,
                "state": "success", "run_type": "backfill", "external_trigger": False,
                "start_date": datetime(2020, 1, 1, tzinfo=timezone.utc)}
    )
    body = copy.to_request_body()
    assert not {"dag_id", "state", "run_type", "external_trigger", "start_date", "end_date"} & set(body)
    runs.registry.add(SANDBOX_DAG, copy.dag_run_id or "")
    created = await dag_run_api.post_dag_run(SANDBOX_DAG, copy)
    assert created.state == "queued" and created.run_type == "manual" and created.external_trigger is True
    assert created.start_date is None and created.conf == {"k": "v"}


async def test_post_dag_run_with_the_deprecated_execution_date(dag_run_api: DAGRunApi, runs: Runs) -> None:
    logical = runs.logical_date().astimezone(PDT)
    run_id = runs.new_id("execution-date")
    runs.registry.add(SANDBOX_DAG, run_id)
    created = await dag_run_api.post_dag_run(SANDBOX_DAG, DAGRun(dag_run_id=run_id, execution_date=logical))
    assert created.logical_date == logical and created.execution_date == logical
    assert (await dag_run_api.get_dag_run(SANDBOX_DAG, run_id)).logical_date == logical


async def test_get_dag_run_fields(dag_run_api: DAGRunApi, runs: Runs) -> None:
    created = await runs.sandbox_run("fields")
    assert created.dag_run_id is not None
    run = await dag_run_api.get_dag_run(SANDBOX_DAG, created.dag_run_id, fields=["dag_run_id", "state"])
    assert run.dag_run_id == created.dag_run_id and run.state == "queued"
    assert run.model_fields_set == {"dag_run_id", "state"}
    assert run.conf is None and run.logical_date is None and run.dag_id is None


async def test_get_dag_runs_fields(dag_run_api: DAGRunApi, runs: Runs) -> None:
    created = await runs.sandbox_run("list-fields")
    assert created.logical_date is not None
    listed = await dag_run_api.get_dag_runs(
        SANDBOX_DAG,
        execution_date_gte=created.logical_date,
        execution_date_lte=created.logical_date,
        fields=["dag_run_id", "execution_date"],
    )
    assert run_ids(listed) == [created.dag_run_id]
    (run,) = listed.dag_runs or []
    assert run.model_fields_set == {"dag_run_id", "execution_date"}
    assert run.execution_date == created.logical_date and run.state is None and run.conf is None


async def test_delete_dag_run_then_404(dag_run_api: DAGRunApi, runs: Runs) -> None:
    run = await runs.sandbox_run("delete")
    assert run.dag_run_id is not None
    response = await dag_run_api.delete_dag_run_with_http_info(SANDBOX_DAG, run.dag_run_id)
    assert response.status_code == 204 and response.data is None and response.raw_data == b""
    with pytest.raises(NotFoundException) as caught:
        await dag_run_api.get_dag_run(SANDBOX_DAG, run.dag_run_id)
    assert caught.value.status == 404
    assert caught.value.problem is not None and caught.value.problem.title == "DAGRun not found"
    with pytest.raises(NotFoundException):
        await dag_run_api.delete_dag_run(SANDBOX_DAG, run.dag_run_id)


async def test_run_id_with_reserved_characters_round_trips(dag_run_api: DAGRunApi, runs: Runs) -> None:
    run_id = f"it:run+1~a.b__{SESSION_PREFIX}-{secrets.token_hex(3)}"
    run = await runs.sandbox_run("special", dag_run_id=run_id)
    assert run.dag_run_id == run_id
    assert (await dag_run_api.get_dag_run(SANDBOX_DAG, run_id)).dag_run_id == run_id
    noted = await dag_run_api.set_dag_run_note(SANDBOX_DAG, run_id, SetDagRunNote(note="plus+colon:tilde~"))
    assert noted.dag_run_id == run_id and noted.note == "plus+colon:tilde~"
    assert (await dag_run_api.get_dag_run(SANDBOX_DAG, run_id)).note == "plus+colon:tilde~"
    assert run.logical_date is not None
    listed = await dag_run_api.get_dag_runs(
        SANDBOX_DAG, execution_date_gte=run.logical_date, execution_date_lte=run.logical_date
    )
    assert run_ids(listed) == [run_id]
    await dag_run_api.delete_dag_run(SANDBOX_DAG, run_id)
    with pytest.raises(NotFoundException):
        await dag_run_api.get_dag_run(SANDBOX_DAG, run_id)


async def test_duplicate_run_id_or_logical_date_conflicts(dag_run_api: DAGRunApi, runs: Runs) -> None:
    run = await runs.sandbox_run("dup")
    assert run.dag_run_id is not None
    with pytest.raises(ConflictException) as same_id:
        await dag_run_api.post_dag_run(SANDBOX_DAG, DAGRun(dag_run_id=run.dag_run_id, logical_date=runs.logical_date()))
    assert same_id.value.status == 409
    problem = same_id.value.problem
    assert problem is not None and problem.status == 409 and problem.title == "Conflict"
    assert problem.detail is not None and f"DAGRun ID: '{run.dag_run_id}' already exists" in problem.detail
    assert problem.type is not None and problem.type.endswith("#section/Errors/AlreadyExists")

    other_id = runs.new_id("dup-date")
    runs.registry.add(SANDBOX_DAG, other_id)
    with pytest.raises(ConflictException) as same_date:
        await dag_run_api.post_dag_run(SANDBOX_DAG, DAGRun(dag_run_id=other_id, logical_date=run.logical_date))
    assert same_date.value.problem is not None and "logical date" in (same_date.value.problem.detail or "")
    with pytest.raises(NotFoundException):
        await dag_run_api.get_dag_run(SANDBOX_DAG, other_id)


# --------------------------------------------------------------------------- note and state


async def test_set_dag_run_note_is_visible_in_later_reads(dag_run_api: DAGRunApi, runs: Runs) -> None:
    run = await runs.sandbox_run("note", note="first")
    assert run.dag_run_id is not None and run.note == "first"
    response = await dag_run_api.set_dag_run_note_with_http_info(SANDBOX_DAG, run.dag_run_id, {"note": "second"})
    assert response.status_code == 200 and response.data.note == "second"
    assert (await dag_run_api.get_dag_run(SANDBOX_DAG, run.dag_run_id)).note == "second"
    assert run.logical_date is not None
    listed = await dag_run_api.get_dag_runs(
        SANDBOX_DAG, execution_date_gte=run.logical_date, execution_date_lte=run.logical_date
    )
    assert [r.note for r in listed.dag_runs or []] == ["second"]
    unicode = "café ✓ 日本 — \"quoted\" \\ back"
    await dag_run_api.set_dag_run_note(SANDBOX_DAG, run.dag_run_id, SetDagRunNote(note=unicode))
    assert (await dag_run_api.get_dag_run(SANDBOX_DAG, run.dag_run_id)).note == unicode
    with pytest.raises(BadRequestException) as caught:  # the column holds 1000 characters
        await dag_run_api.set_dag_run_note(SANDBOX_DAG, run.dag_run_id, SetDagRunNote(note="x" * 1001))
    assert caught.value.problem is not None
    assert caught.value.problem.detail == "{'note': ['Longer than maximum length 1000.']}"
    assert (await dag_run_api.get_dag_run(SANDBOX_DAG, run.dag_run_id)).note == unicode


async def test_missing_note_is_rejected_before_sending(dag_run_api: DAGRunApi, runs: Runs) -> None:
    """The server answers a body without 'note' with a 500 HTML page; the client refuses to send it."""
    run = await runs.sandbox_run("no-note", note="kept")
    assert run.dag_run_id is not None
    for body in (SetDagRunNote(), {}):
        with pytest.raises(ApiValueError, match="note"):
            await dag_run_api.set_dag_run_note(SANDBOX_DAG, run.dag_run_id, body)
    # An explicit null is sent, and the server's schema refuses it.
    with pytest.raises(BadRequestException) as caught:
        await dag_run_api.set_dag_run_note(SANDBOX_DAG, run.dag_run_id, {"note": None})
    assert caught.value.problem is not None
    assert caught.value.problem.detail == "None is not of type 'string' - 'note'"
    assert (await dag_run_api.get_dag_run(SANDBOX_DAG, run.dag_run_id)).note == "kept"


async def test_update_dag_run_state_is_visible_in_later_reads(
    dag_run_api: DAGRunApi, dag_api: DAGApi, runs: Runs
) -> None:
    run = await runs.sandbox_run("state")
    run_id = run.dag_run_id
    assert run_id is not None and run.state == "queued" and run.end_date is None

    failed = await dag_run_api.update_dag_run_state(SANDBOX_DAG, run_id, UpdateDagRunState(state="failed"))
    assert failed.state == "failed" and failed.end_date is not None
    assert (await dag_run_api.get_dag_run(SANDBOX_DAG, run_id)).state == "failed"
    assert await in_state(dag_api, run_id, "skipped")  # unfinished task instances become skipped

    queued = await dag_run_api.update_dag_run_state_with_http_info(SANDBOX_DAG, run_id, {"state": "queued"})
    assert queued.status_code == 200 and queued.data.state == "queued"
    assert (await dag_run_api.get_dag_run(SANDBOX_DAG, run_id)).state == "queued"

    success = await dag_run_api.update_dag_run_state(SANDBOX_DAG, run_id, UpdateDagRunState(state="success"))
    assert success.state == "success"
    assert (await dag_run_api.get_dag_run(SANDBOX_DAG, run_id)).state == "success"
    assert await in_state(dag_api, run_id, "success")  # and so do its task instances

    for body in (UpdateDagRunState(), {}):
        with pytest.raises(ApiValueError, match="state"):
            await dag_run_api.update_dag_run_state(SANDBOX_DAG, run_id, body)


# --------------------------------------------------------------------------- clear_dag_run


async def test_clear_dag_run_dry_run_lists_the_runs_task_instances(dag_run_api: DAGRunApi, bash_run: DAGRun) -> None:
    """Server differs from the spec: a dry run answers TaskInstanceReferenceCollection, not
    TaskInstanceCollection (no total_entries, no state)."""
    run_id = bash_run.dag_run_id
    assert run_id is not None
    response = await dag_run_api.clear_dag_run_with_http_info("tit_bash", run_id, ClearDagRun(dry_run=True))
    listed = response.data.actual_instance
    assert isinstance(listed, TaskInstanceReferenceCollection)
    assert sorted(ti.task_id or "" for ti in listed.task_instances or []) == ["goodbye", "hello"]
    assert all(ti.dag_run_id == run_id and ti.dag_id == "tit_bash" for ti in listed.task_instances or [])
    assert all(ti.execution_date == bash_run.logical_date for ti in listed.task_instances or [])
    raw = json.loads(response.raw_data)
    assert set(raw) == {"task_instances"}
    assert all(set(ti) == {"task_id", "dag_id", "dag_run_id", "execution_date"} for ti in raw["task_instances"])
    # Nothing was cleared: the run is still a finished success.
    assert (await dag_run_api.get_dag_run("tit_bash", run_id)).state == "success"


async def test_clear_dag_run_defaults_to_a_dry_run(dag_run_api: DAGRunApi, failed_run: DAGRun) -> None:
    assert failed_run.dag_run_id is not None
    result = await dag_run_api.clear_dag_run("tit_fail", failed_run.dag_run_id, ClearDagRun())
    assert isinstance(result.actual_instance, TaskInstanceReferenceCollection)
    assert [ti.task_id for ti in result.actual_instance.task_instances or []] == ["fail"]
    assert (await dag_run_api.get_dag_run("tit_fail", failed_run.dag_run_id)).state == "failed"


async def test_clear_dag_run_for_real_returns_the_run_and_clears_task_instances(
    dag_run_api: DAGRunApi, dag_api: DAGApi, runs: Runs
) -> None:
    run = await runs.sandbox_run("clear")
    run_id = run.dag_run_id
    assert run_id is not None
    await dag_run_api.update_dag_run_state(SANDBOX_DAG, run_id, UpdateDagRunState(state="success"))
    assert await in_state(dag_api, run_id, "success")

    cleared = await dag_run_api.clear_dag_run(SANDBOX_DAG, run_id, ClearDagRun(dry_run=False))
    result = cleared.actual_instance
    assert isinstance(result, DAGRun)
    assert result.dag_run_id == run_id and result.state == "queued"
    assert (await dag_run_api.get_dag_run(SANDBOX_DAG, run_id)).state == "queued"
    assert not await in_state(dag_api, run_id, "success")  # the task instance lost its state


# --------------------------------------------------------------------------- get_dag_runs: filters, order, pages


@pytest.fixture
async def three_runs(runs: Runs) -> List[DAGRun]:
    """Three sandbox runs created out of logical-date order; sorted by logical date."""
    first, second, third = (runs.logical_date() for _ in range(3))
    created = []
    for logical in (second, third, first):
        created.append(await runs.sandbox_run("three", logical_date=logical))
    return sorted(created, key=lambda r: r.logical_date or datetime.min)


async def test_get_dag_runs_order_by_both_ways(dag_run_api: DAGRunApi, three_runs: List[DAGRun]) -> None:
    wanted = {r.dag_run_id for r in three_runs if r.dag_run_id}
    by_date = [r.dag_run_id for r in three_runs]
    window = {"execution_date_gte": three_runs[0].logical_date, "execution_date_lte": three_runs[-1].logical_date}
    up = await dag_run_api.get_dag_runs(SANDBOX_DAG, order_by="execution_date", **window)
    down = await dag_run_api.get_dag_runs(SANDBOX_DAG, order_by="-execution_date", **window)
    assert mine(up, wanted) == by_date
    assert mine(down, wanted) == by_date[::-1]
    # by id: creation order (second, third, first) -- differs from the logical-date order
    by_id = await dag_run_api.get_dag_runs(SANDBOX_DAG, order_by="id", **window)
    assert mine(by_id, wanted) == [by_date[1], by_date[2], by_date[0]]
    by_run_id = await dag_run_api.get_dag_runs(SANDBOX_DAG, order_by="-dag_run_id", **window)
    assert mine(by_run_id, wanted) == sorted(wanted, reverse=True)


async def test_get_dag_runs_limit_offset_total_entries(dag_run_api: DAGRunApi, three_runs: List[DAGRun]) -> None:
    window = {"execution_date_gte": three_runs[0].logical_date, "execution_date_lte": three_runs[-1].logical_date}
    pages = []
    for offset in (0, 2, 4):
        page = await dag_run_api.get_dag_runs(SANDBOX_DAG, limit=2, offset=offset, order_by="execution_date", **window)
        assert page.total_entries == 3  # the unique window holds exactly our three runs
        pages.append(run_ids(page))
    assert pages == [[three_runs[0].dag_run_id, three_runs[1].dag_run_id], [three_runs[2].dag_run_id], []]


async def test_get_dag_runs_execution_date_filters_honour_utc_offsets(
    dag_run_api: DAGRunApi, runs: Runs
) -> None:
    """Boundaries at the run's logical date, written in +05:30 and -07:00. Were the offset dropped,
    each wall-clock time would move the boundary by hours and flip the result."""
    run = await runs.sandbox_run("offsets")
    logical = run.logical_date
    assert logical is not None and run.dag_run_id is not None

    async def found(**filters: object) -> bool:
        listed = await dag_run_api.get_dag_runs(SANDBOX_DAG, **filters)  # type: ignore[arg-type]
        return run.dag_run_id in run_ids(listed)

    assert await found(execution_date_gte=logical.astimezone(IST))  # == the logical date: included
    assert await found(execution_date_lte=logical.astimezone(PDT))
    assert await found(execution_date_gte=logical.astimezone(PDT), execution_date_lte=logical.astimezone(IST))
    assert not await found(execution_date_gte=(logical + SECOND).astimezone(PDT))
    assert not await found(execution_date_lte=(logical - SECOND).astimezone(IST))
    # ISO 8601 text works the same way
    assert await found(execution_date_gte=logical.astimezone(IST).isoformat())
    assert not await found(execution_date_gte=(logical + SECOND).astimezone(PDT).isoformat())
    # the UTC form, as a naive datetime (taken as UTC) and as an aware one
    assert await found(execution_date_gte=logical.replace(tzinfo=None), execution_date_lte=logical)


async def test_get_dag_runs_start_and_end_date_filters(dag_run_api: DAGRunApi, bash_run: DAGRun) -> None:
    start, end = bash_run.start_date, bash_run.end_date
    assert start is not None and end is not None and bash_run.dag_run_id is not None

    async def found(**filters: object) -> bool:
        listed = await dag_run_api.get_dag_runs("tit_bash", **filters)  # type: ignore[arg-type]
        return bash_run.dag_run_id in run_ids(listed)

    assert await found(start_date_gte=start.astimezone(IST), start_date_lte=start.astimezone(PDT))
    assert not await found(start_date_gte=(start + SECOND).astimezone(IST))
    assert not await found(start_date_lte=(start - SECOND).astimezone(PDT))
    assert await found(end_date_gte=end.astimezone(PDT), end_date_lte=end.astimezone(IST))
    assert not await found(end_date_gte=(end + SECOND).astimezone(PDT))
    assert not await found(end_date_lte=(end - SECOND).astimezone(IST))


async def test_get_dag_runs_updated_at_filters(dag_run_api: DAGRunApi, runs: Runs) -> None:
    before = datetime.now(timezone.utc) - 2 * SECOND
    run = await runs.sandbox_run("updated")
    after = datetime.now(timezone.utc) + 2 * SECOND
    assert run.logical_date is not None

    async def found(**filters: object) -> bool:
        listed = await dag_run_api.get_dag_runs(
            SANDBOX_DAG, execution_date_gte=run.logical_date, execution_date_lte=run.logical_date, **filters  # type: ignore[arg-type]
        )
        return run.dag_run_id in run_ids(listed)

    assert await found(updated_at_gte=before.astimezone(IST), updated_at_lte=after.astimezone(PDT))
    assert not await found(updated_at_lte=before.astimezone(PDT))
    assert not await found(updated_at_gte=after.astimezone(IST))


async def test_get_dag_runs_state_filter(
    dag_run_api: DAGRunApi, runs: Runs, bash_run: DAGRun, failed_run: DAGRun
) -> None:
    queued = await runs.sandbox_run("state-filter")
    assert queued.logical_date is not None
    window = {"execution_date_gte": queued.logical_date, "execution_date_lte": queued.logical_date}
    assert run_ids(await dag_run_api.get_dag_runs(SANDBOX_DAG, state=["queued"], **window)) == [queued.dag_run_id]
    assert run_ids(await dag_run_api.get_dag_runs(SANDBOX_DAG, state=["success", "failed"], **window)) == []
    # Server quirk: states are not validated; an unknown one simply matches nothing.
    assert run_ids(await dag_run_api.get_dag_runs(SANDBOX_DAG, state=["no-such-state"], **window)) == []
    both = await dag_run_api.get_dag_runs("~", state=["success", "failed"], order_by="-id", limit=100)
    assert {bash_run.dag_run_id, failed_run.dag_run_id} <= set(run_ids(both))
    assert all(r.state in ("success", "failed") for r in both.dag_runs or [])


async def test_get_dag_runs_tilde_lists_every_dag(dag_run_api: DAGRunApi, bash_run: DAGRun, failed_run: DAGRun) -> None:
    assert bash_run.logical_date is not None and failed_run.logical_date is not None
    low, high = sorted([bash_run.logical_date, failed_run.logical_date])
    listed = await dag_run_api.get_dag_runs("~", execution_date_gte=low, execution_date_lte=high)
    pairs = {(r.dag_id, r.dag_run_id) for r in listed.dag_runs or []}
    assert ("tit_bash", bash_run.dag_run_id) in pairs and ("tit_fail", failed_run.dag_run_id) in pairs


async def test_get_dag_runs_of_an_unknown_dag_is_empty_not_404(dag_run_api: DAGRunApi) -> None:
    listed = await dag_run_api.get_dag_runs("no_such_dag_" + SESSION_PREFIX.replace("-", "_"))
    assert listed.dag_runs == [] and listed.total_entries == 0


async def test_limit_above_100_is_capped_but_batch_page_limit_is_not(
    dag_run_api: DAGRunApi, dag_api: DAGApi, runs: Runs
) -> None:
    """Server quirk: get_dag_runs caps ``limit`` at [api] maximum_page_limit (100) without an error;
    get_dag_runs_batch's ``page_limit`` is not capped. Needs more than 100 runs in one window."""
    count = 101
    logicals = [runs.logical_date() for _ in range(count)]
    semaphore = asyncio.Semaphore(4)
    await ensure_paused(dag_api, SANDBOX_DAG, True)

    async def create(logical: datetime) -> Optional[str]:
        async with semaphore:
            return (await runs.trigger(SANDBOX_DAG, "many", logical_date=logical)).dag_run_id

    async def delete(run_id: str) -> None:
        async with semaphore:
            await dag_run_api.delete_dag_run(SANDBOX_DAG, run_id)
            runs.registry.discard(SANDBOX_DAG, run_id)

    created = [run_id for run_id in await asyncio.gather(*map(create, logicals)) if run_id]
    try:
        window = {"execution_date_gte": min(logicals), "execution_date_lte": max(logicals)}
        capped = await dag_run_api.get_dag_runs(SANDBOX_DAG, limit=150, **window)
        assert capped.total_entries is not None and capped.total_entries >= count
        assert len(capped.dag_runs or []) == 100
        batch = await dag_run_api.get_dag_runs_batch(
            ListDagRunsForm(dag_ids=[SANDBOX_DAG], page_limit=150, **window)
        )
        assert len(batch.dag_runs or []) >= count and set(created) <= set(run_ids(batch))
    finally:
        await asyncio.gather(*map(delete, created))


# --------------------------------------------------------------------------- get_dag_runs_batch


async def test_get_dag_runs_batch_filters_order_and_pages(
    dag_run_api: DAGRunApi, bash_run: DAGRun, failed_run: DAGRun
) -> None:
    assert bash_run.logical_date is not None and failed_run.logical_date is not None
    low, high = sorted([bash_run.logical_date, failed_run.logical_date])
    ours = {bash_run.dag_run_id, failed_run.dag_run_id}
    form = {
        "dag_ids": ["tit_bash", "tit_fail"],
        "states": ["success", "failed"],
        "execution_date_gte": low.astimezone(IST),
        "execution_date_lte": high.astimezone(PDT),
    }
    full = await dag_run_api.get_dag_runs_batch(ListDagRunsForm(order_by="execution_date", page_limit=100, **form))
    assert ours <= set(run_ids(full))
    assert all(r.dag_id in ("tit_bash", "tit_fail") and r.state in ("success", "failed") for r in full.dag_runs or [])
    dates = [r.logical_date for r in full.dag_runs or []]
    assert dates == sorted(dates)  # type: ignore[type-var]
    reverse = await dag_run_api.get_dag_runs_batch(ListDagRunsForm(order_by="-execution_date", **form))
    assert run_ids(reverse) == run_ids(full)[::-1]
    # one at a time: the pages are the slices of the full list
    pages = []
    for offset in range(len(run_ids(full))):
        page = await dag_run_api.get_dag_runs_batch(
            ListDagRunsForm(order_by="execution_date", page_limit=1, page_offset=offset, **form)
        )
        assert page.total_entries == full.total_entries
        pages.extend(run_ids(page))
    assert pages == run_ids(full)
    # a narrower state filter drops the success
    failed_only = await dag_run_api.get_dag_runs_batch({**form, "states": ["failed"]})
    assert failed_run.dag_run_id in run_ids(failed_only) and bash_run.dag_run_id not in run_ids(failed_only)
    only_bash = await dag_run_api.get_dag_runs_batch({**form, "dag_ids": ["tit_bash"]})
    assert bash_run.dag_run_id in run_ids(only_bash) and failed_run.dag_run_id not in run_ids(only_bash)


async def test_get_dag_runs_batch_start_end_date_filters(dag_run_api: DAGRunApi, bash_run: DAGRun) -> None:
    start, end = bash_run.start_date, bash_run.end_date
    assert start is not None and end is not None

    async def found(**filters: object) -> bool:
        listed = await dag_run_api.get_dag_runs_batch(ListDagRunsForm(dag_ids=["tit_bash"], **filters))  # type: ignore[arg-type]
        return bash_run.dag_run_id in run_ids(listed)

    assert await found(start_date_gte=start.astimezone(PDT), end_date_lte=end.astimezone(IST))
    assert not await found(start_date_gte=(start + SECOND).astimezone(IST))
    assert not await found(end_date_lte=(end - SECOND).astimezone(PDT))
    assert await found(start_date_lte=start.astimezone(IST), end_date_gte=end.astimezone(PDT))


async def test_get_dag_runs_batch_ignores_updated_at(dag_run_api: DAGRunApi, bash_run: DAGRun) -> None:
    """Server quirk: the batch form accepts updated_at_gte/lte (not in the spec) and ignores them."""
    future = datetime.now(timezone.utc) + timedelta(days=3650)
    listed = await dag_run_api.get_dag_runs_batch(
        {"dag_ids": ["tit_bash"], "updated_at_gte": future.isoformat(), "page_limit": 100, "order_by": "-id"}
    )
    assert bash_run.dag_run_id in run_ids(listed)
