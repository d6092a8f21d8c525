"""DAGApi against the real server: every endpoint, every parameter, and what the server then holds."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import List, Set

import pytest
from dateutil.relativedelta import relativedelta

from titanium_airflow_client import (
    DAG,
    ApiDecodeError,
    ClearTaskInstances,
    CronExpression,
    DAGApi,
    DAGDetail,
    DAGRun,
    NotFoundException,
    RelativeDelta,
    TaskInstanceReferenceCollection,
    TimeDelta,
    UpdateTaskInstancesState,
)

from .conftest import DELETE_DAG, PATCH_DAG, SANDBOX_DAG, Runs, wait_dag

PAGE_DAGS = [f"tit_page_{i:02d}" for i in range(12)]
IST = timezone(timedelta(hours=5, minutes=30))
PDT = timezone(timedelta(hours=-7))


def ids(collection: TaskInstanceReferenceCollection) -> Set[str]:
    return {ti.task_id for ti in collection.task_instances or [] if ti.task_id}


def dag_ids(dags: object) -> List[str]:
    return [dag.dag_id for dag in getattr(dags, "dags", None) or [] if dag.dag_id]


async def failed_task_ids(dag_api: DAGApi, dag_id: str, run_id: str) -> Set[str]:
    """Which task instances of a run are failed, read through a dry-run clear with only_failed."""
    listed = await dag_api.post_clear_task_instances(
        dag_id, ClearTaskInstances(dag_run_id=run_id, only_failed=True, dry_run=True)
    )
    return ids(listed)


async def not_in_state(dag_api: DAGApi, dag_id: str, run_id: str, task_id: str, state: str) -> Set[str]:
    """Task ids the dry run of "set task_id to state" would change: empty means it is in that state."""
    listed = await dag_api.post_set_task_instances_state(
        dag_id, UpdateTaskInstancesState(task_id=task_id, dag_run_id=run_id, new_state=state, dry_run=True)
    )
    return ids(listed)


# --------------------------------------------------------------------------- get_dags


async def test_get_dags_pages_through_tit_page_with_limit_5(dag_api: DAGApi) -> None:
    pages = []
    for offset in (0, 5, 10, 15):
        page = await dag_api.get_dags(dag_id_pattern="tit_page_", limit=5, offset=offset, order_by="dag_id")
        assert page.total_entries == 12  # counted before limit/offset
        pages.append(dag_ids(page))
    assert [len(p) for p in pages] == [5, 5, 2, 0]
    assert pages[0] + pages[1] + pages[2] == PAGE_DAGS


async def test_get_dags_order_by_both_ways(dag_api: DAGApi) -> None:
    up = await dag_api.get_dags(dag_id_pattern="tit_page_", order_by="dag_id")
    down = await dag_api.get_dags(dag_id_pattern="tit_page_", order_by="-dag_id")
    assert dag_ids(up) == PAGE_DAGS
    assert dag_ids(down) == PAGE_DAGS[::-1]


async def test_get_dags_tags_are_or_ed(dag_api: DAGApi) -> None:
    paging = await dag_api.get_dags(tags=["paging"])
    assert sorted(dag_ids(paging)) == PAGE_DAGS
    assert all({t.name for t in dag.tags or []} == {"paging", "titanium"} for dag in paging.dags or [])
    either = await dag_api.get_dags(tags=["cron", "timedelta"], dag_id_pattern="tit_")
    assert sorted(dag_ids(either)) == ["tit_cron", "tit_timedelta"]


async def test_get_dags_dag_id_pattern_is_case_insensitive_like(dag_api: DAGApi) -> None:
    assert dag_ids(await dag_api.get_dags(dag_id_pattern="relativedelta")) == ["tit_relativedelta"]
    assert dag_ids(await dag_api.get_dags(dag_id_pattern="TIT_CRON")) == ["tit_cron"]
    # Server quirk: the pattern goes into SQL LIKE unescaped, so '_' matches any one character.
    assert dag_ids(await dag_api.get_dags(dag_id_pattern="t_t_bash")) == ["tit_bash"]
    assert (await dag_api.get_dags(dag_id_pattern="no-such-dag-anywhere")).total_entries == 0


async def test_get_dags_paused_filter(dag_api: DAGApi) -> None:
    await dag_api.patch_dag("tit_fail", DAG(is_paused=False))  # its documented state
    # tit_sandbox_c left out: a delete (a test, a docs example) may be waiting for its re-creation
    paused = [d for d in dag_ids(await dag_api.get_dags(paused=True, dag_id_pattern="tit_")) if d != DELETE_DAG]
    unpaused = [d for d in dag_ids(await dag_api.get_dags(paused=False, dag_id_pattern="tit_")) if d != DELETE_DAG]
    both = [d for d in dag_ids(await dag_api.get_dags(dag_id_pattern="tit_")) if d != DELETE_DAG]
    assert "tit_cron" in paused and "tit_cron" not in unpaused
    assert "tit_fail" in unpaused and "tit_fail" not in paused
    assert set(paused).isdisjoint(unpaused)
    assert sorted(paused + unpaused) == sorted(both)


async def test_get_dags_only_active(dag_api: DAGApi) -> None:
    active = await dag_api.get_dags(only_active=True, dag_id_pattern="tit_")
    everything = await dag_api.get_dags(only_active=False, dag_id_pattern="tit_")
    assert all(dag.is_active is True for dag in active.dags or [])
    assert set(dag_ids(active)) - {DELETE_DAG} <= set(dag_ids(everything))
    assert {"tit_bash", "tit_cron", *PAGE_DAGS} <= set(dag_ids(active))
    assert (everything.total_entries or 0) >= (active.total_entries or 0) - 1


async def test_get_dags_fields_sets_only_the_requested_fields(dag_api: DAGApi) -> None:
    listed = await dag_api.get_dags_with_http_info(fields=["dag_id", "is_paused"], dag_id_pattern="tit_page_")
    assert listed.data.total_entries == 12  # always sent
    for dag in listed.data.dags or []:
        assert dag.dag_id in PAGE_DAGS
        assert dag.is_paused is True
        assert dag.fileloc is None and dag.tags is None and dag.schedule_interval is None
        assert dag.model_fields_set == {"dag_id", "is_paused"}
    raw = json.loads(listed.raw_data)
    assert all(set(item) == {"dag_id", "is_paused"} for item in raw["dags"])


# --------------------------------------------------------------------------- get_dag, details, source, tasks


async def test_get_dag(dag_api: DAGApi) -> None:
    dag = await dag_api.get_dag("tit_cron")
    assert dag.dag_id == "tit_cron"
    assert dag.is_paused is True and dag.is_active is True
    assert dag.description == "Titanium test DAG on a cron schedule"
    assert dag.owners == ["titanium"]
    assert {t.name for t in dag.tags or []} == {"cron", "titanium"}
    assert dag.fileloc is not None and dag.fileloc.endswith("test/dags/tit_cron.py")
    assert isinstance(dag.schedule_interval, CronExpression)
    assert dag.schedule_interval.value == "0 3 * * *"
    assert dag.timetable_description == "At 03:00"


async def test_get_dag_fields(dag_api: DAGApi) -> None:
    dag = await dag_api.get_dag("tit_bash", fields=["dag_id", "description"])
    assert dag.dag_id == "tit_bash"
    assert dag.description == "Titanium test DAG: two quick bash tasks"
    assert dag.is_paused is None and dag.owners is None and dag.file_token is None


@pytest.mark.parametrize(
    ("dag_id", "kind", "expected"),
    [
        ("tit_cron", CronExpression, {"value": "0 3 * * *"}),
        ("tit_timedelta", TimeDelta, {"days": 0, "seconds": 6 * 3600, "microseconds": 0}),
        # Server quirk: the absolute fields (year ... microsecond) come back as null.
        ("tit_relativedelta", RelativeDelta, {"months": 1, "years": 0, "days": 0, "year": None, "month": None}),
    ],
)
async def test_get_dag_details_schedule_interval_classes(
    dag_api: DAGApi, dag_id: str, kind: type, expected: dict
) -> None:
    details = await dag_api.get_dag_details(dag_id)
    assert isinstance(details, DAGDetail)
    assert isinstance(details.schedule_interval, kind)
    for name, value in expected.items():
        assert getattr(details.schedule_interval, name) == value
    # get_dag parses the same shape into the same class
    assert isinstance((await dag_api.get_dag(dag_id)).schedule_interval, kind)
    if isinstance(details.schedule_interval, TimeDelta):
        assert details.schedule_interval.to_timedelta() == timedelta(hours=6)
    if isinstance(details.schedule_interval, RelativeDelta):
        assert details.schedule_interval.to_relativedelta() == relativedelta(months=1)


async def test_get_dag_details(dag_api: DAGApi) -> None:
    details = await dag_api.get_dag_details("tit_cron")
    assert details.catchup is False
    assert details.is_paused_upon_creation is True
    assert details.start_date == datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert details.doc_md is not None and "**cron**" in details.doc_md
    assert details.params is not None
    assert details.params["greeting"]["value"] == "hello"
    assert details.params["count"]["value"] == 3
    assert details.timezone == "UTC"
    assert details.concurrency == details.max_active_tasks == 16
    # Server quirks: owners is always [] here (get_dag says ['titanium']), and the spec's
    # template_search_path never comes; template_searchpath does, null in the webserver.
    assert details.owners == []
    assert details.template_search_path is None
    assert "template_searchpath" in details.model_fields_set and details.template_searchpath is None


async def test_get_dag_details_fields(dag_api: DAGApi) -> None:
    details = await dag_api.get_dag_details("tit_cron", fields=["dag_id", "params", "last_loaded"])
    assert details.dag_id == "tit_cron"
    assert details.params is not None and set(details.params) == {"greeting", "count"}
    assert details.catchup is None and details.doc_md is None and details.schedule_interval is None


async def test_get_dag_source_contains_the_dag_id(dag_api: DAGApi) -> None:
    dag = await dag_api.get_dag("tit_bash")
    assert dag.file_token
    response = await dag_api.get_dag_source_with_http_info(dag.file_token)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.data.content is not None
    assert 'dag_id="tit_bash"' in response.data.content
    assert "BashOperator" in response.data.content


async def test_get_tasks_order_by_both_ways(dag_api: DAGApi) -> None:
    up = await dag_api.get_tasks("tit_cron", order_by="task_id")
    down = await dag_api.get_tasks("tit_cron", order_by="-task_id")
    names = [t.task_id for t in up.tasks or []]
    assert names == ["compute", "end", "extract", "start"]
    assert [t.task_id for t in down.tasks or []] == names[::-1]
    assert up.total_entries == 4  # not in the spec; the server sends it
    by_id = {t.task_id: t for t in up.tasks or []}
    assert sorted(by_id["start"].downstream_task_ids or []) == ["compute", "extract"]
    assert by_id["compute"].operator_name == "@task"


async def test_get_task(dag_api: DAGApi) -> None:
    response = await dag_api.get_task_with_http_info("tit_bash", "hello")
    task = response.data
    assert task.task_id == "hello"
    assert task.class_ref is not None and task.class_ref.class_name == "BashOperator"
    assert task.downstream_task_ids == ["goodbye"]
    assert task.owner == "titanium"
    assert task.trigger_rule == "all_success"
    assert task.retries == 0
    assert task.params is not None  # extra key the server sends
    # Server quirk: integer fields are dumped as floats.
    assert json.loads(response.raw_data)["retries"] == 0.0
    assert isinstance(json.loads(response.raw_data)["retries"], float)
    with pytest.raises(NotFoundException) as caught:
        await dag_api.get_task("tit_bash", "no_such_task")
    assert caught.value.problem is not None and caught.value.problem.title == "Task not found"


# --------------------------------------------------------------------------- patch_dag(s), delete_dag


async def test_patch_dag_is_visible_in_later_reads(dag_api: DAGApi) -> None:
    try:
        unpaused = await dag_api.patch_dag(PATCH_DAG, DAG(is_paused=False), update_mask=["is_paused"])
        assert unpaused.is_paused is False
        assert (await dag_api.get_dag(PATCH_DAG)).is_paused is False
        assert PATCH_DAG in dag_ids(await dag_api.get_dags(paused=False, dag_id_pattern="tit_sandbox"))
        paused = await dag_api.patch_dag(PATCH_DAG, {"is_paused": True})  # dict body, no update_mask
        assert paused.is_paused is True
        assert (await dag_api.get_dag(PATCH_DAG)).is_paused is True
    finally:
        await dag_api.patch_dag(PATCH_DAG, DAG(is_paused=True))


async def test_patch_dags_limit_offset_tags_update_mask(dag_api: DAGApi) -> None:
    try:
        patched = await dag_api.patch_dags(
            "tit_page_", DAG(is_paused=False), limit=5, offset=5, update_mask=["is_paused"], only_active=True
        )
        assert patched.total_entries == 12  # all matches, though only one page was updated
        assert dag_ids(patched) == PAGE_DAGS[5:10]
        assert all(dag.is_paused is False for dag in patched.dags or [])
        unpaused = await dag_api.get_dags(paused=False, dag_id_pattern="tit_page_")
        assert dag_ids(unpaused) == PAGE_DAGS[5:10]
    finally:
        # '~' means every DAG; the tag narrows it to the paging DAGs.
        restored = await dag_api.patch_dags("~", DAG(is_paused=True), tags=["paging"])
    assert sorted(dag_ids(restored)) == PAGE_DAGS
    assert all(dag.is_paused is True for dag in restored.dags or [])
    assert (await dag_api.get_dags(paused=False, dag_id_pattern="tit_page_")).total_entries == 0


async def test_delete_dag_then_404_until_the_scheduler_recreates_it(dag_api: DAGApi) -> None:
    await wait_dag(dag_api, DELETE_DAG)  # a previous delete (a test, a docs example) may be pending
    response = await dag_api.delete_dag_with_http_info(DELETE_DAG)
    assert response.status_code == 204
    assert response.data is None and response.raw_data == b""
    with pytest.raises(NotFoundException) as caught:
        await dag_api.get_dag(DELETE_DAG)
    assert caught.value.status == 404
    assert caught.value.problem is not None and caught.value.problem.title == "DAG not found"
    # The file is still there: the next parse re-creates it (paused, as the file says).
    recreated = await wait_dag(dag_api, DELETE_DAG)
    assert recreated.is_paused is True


# --------------------------------------------------------------------------- clear / set task instances


async def test_post_clear_task_instances_dry_run_selection(dag_api: DAGApi, bash_run: DAGRun) -> None:
    run_id = bash_run.dag_run_id
    assert run_id is not None and bash_run.state == "success"

    async def listed(**body: object) -> Set[str]:
        result = await dag_api.post_clear_task_instances(
            "tit_bash", ClearTaskInstances(dag_run_id=run_id, dry_run=True, **body)
        )
        assert all(ti.dag_run_id == run_id and ti.dag_id == "tit_bash" for ti in result.task_instances or [])
        return ids(result)

    assert await listed(task_ids=["hello"], only_failed=False) == {"hello"}
    assert await listed(task_ids=["hello"], only_failed=False, include_downstream=True) == {"hello", "goodbye"}
    assert await listed(task_ids=["goodbye"], only_failed=False, include_upstream=True) == {"hello", "goodbye"}
    assert await listed(task_ids=["hello", "goodbye"]) == set()  # only_failed defaults to true; all succeeded
    assert await listed(task_ids=["hello"], only_failed=False, only_running=True) == set()
    # The dry runs changed nothing.
    assert await failed_task_ids(dag_api, "tit_bash", run_id) == set()
    assert await not_in_state(dag_api, "tit_bash", run_id, "hello", "success") == set()


async def test_post_clear_task_instances_only_failed(dag_api: DAGApi, failed_run: DAGRun) -> None:
    assert failed_run.dag_run_id is not None and failed_run.state == "failed"
    assert await failed_task_ids(dag_api, "tit_fail", failed_run.dag_run_id) == {"fail"}


async def test_post_clear_task_instances_by_logical_date_range(dag_api: DAGApi, runs: Runs) -> None:
    run = await runs.sandbox_run("clear-range")
    assert run.logical_date is not None
    logical = run.logical_date.astimezone(IST)  # any offset: the server compares instants

    async def listed(start: datetime, end: datetime) -> Set[str]:
        result = await dag_api.post_clear_task_instances(
            SANDBOX_DAG,
            ClearTaskInstances(start_date=start, end_date=end, only_failed=False, task_ids=["noop"], dry_run=True),
        )
        return {ti.dag_run_id for ti in result.task_instances or [] if ti.dag_run_id}

    assert run.dag_run_id in await listed(logical, logical.astimezone(PDT))
    assert run.dag_run_id not in await listed(logical + timedelta(seconds=1), logical + timedelta(hours=1))


async def test_set_task_instances_state_dry_run_then_real_then_clear(dag_api: DAGApi, runs: Runs) -> None:
    run = await runs.sandbox_run("set-state")
    run_id = run.dag_run_id
    assert run_id is not None
    assert await failed_task_ids(dag_api, SANDBOX_DAG, run_id) == set()

    dry = await dag_api.post_set_task_instances_state(
        SANDBOX_DAG, UpdateTaskInstancesState(task_id="noop", dag_run_id=run_id, new_state="failed", dry_run=True)
    )
    assert ids(dry) == {"noop"}
    assert await failed_task_ids(dag_api, SANDBOX_DAG, run_id) == set()  # nothing changed

    real = await dag_api.post_set_task_instances_state_with_http_info(
        SANDBOX_DAG,
        UpdateTaskInstancesState(
            task_id="noop", dag_run_id=run_id, new_state="failed", dry_run=False, include_downstream=True
        ),
    )
    assert real.status_code == 200
    assert [(ti.task_id, ti.dag_run_id) for ti in real.data.task_instances or []] == [("noop", run_id)]
    assert await failed_task_ids(dag_api, SANDBOX_DAG, run_id) == {"noop"}
    assert await not_in_state(dag_api, SANDBOX_DAG, run_id, "noop", "failed") == set()

    cleared = await dag_api.post_clear_task_instances(
        SANDBOX_DAG, ClearTaskInstances(dag_run_id=run_id, task_ids=["noop"], only_failed=True, dry_run=False)
    )
    assert ids(cleared) == {"noop"}
    assert await failed_task_ids(dag_api, SANDBOX_DAG, run_id) == set()
    assert await not_in_state(dag_api, SANDBOX_DAG, run_id, "noop", "failed") == {"noop"}

    # The other way to name the task instance: by execution date, here with a non-UTC offset.
    assert run.logical_date is not None
    by_date = await dag_api.post_set_task_instances_state(
        SANDBOX_DAG,
        UpdateTaskInstancesState(
            task_id="noop", execution_date=run.logical_date.astimezone(PDT), new_state="success", dry_run=False
        ),
    )
    assert [ti.dag_run_id for ti in by_date.task_instances or []] == [run_id]
    assert await not_in_state(dag_api, SANDBOX_DAG, run_id, "noop", "success") == set()


async def test_post_clear_task_instances_past_future_reset_and_subdag_flags(dag_api: DAGApi, runs: Runs) -> None:
    older = await runs.sandbox_run("clear-older")
    newer = await runs.sandbox_run("clear-newer")  # a later logical date
    assert older.dag_run_id is not None and newer.dag_run_id is not None

    async def listed(run_id: str, **flags: object) -> Set[str]:
        result = await dag_api.post_clear_task_instances(
            SANDBOX_DAG, ClearTaskInstances(dag_run_id=run_id, only_failed=False, dry_run=True, **flags)
        )
        return {ti.dag_run_id for ti in result.task_instances or [] if ti.dag_run_id}

    assert await listed(older.dag_run_id) == {older.dag_run_id}
    assert newer.dag_run_id in await listed(older.dag_run_id, include_future=True)
    assert older.dag_run_id not in await listed(newer.dag_run_id, include_future=True)
    assert older.dag_run_id in await listed(newer.dag_run_id, include_past=True)
    # No subdags or parent DAGs here: the flags are accepted and change nothing.
    assert await listed(older.dag_run_id, include_subdags=True, include_parentdag=True) == {older.dag_run_id}

    # reset_dag_runs decides whether a real clear also sets the run back to queued.
    await runs.api.update_dag_run_state(SANDBOX_DAG, older.dag_run_id, {"state": "failed"})
    await dag_api.post_clear_task_instances(
        SANDBOX_DAG,
        ClearTaskInstances(dag_run_id=older.dag_run_id, only_failed=False, reset_dag_runs=False, dry_run=False),
    )
    assert (await runs.api.get_dag_run(SANDBOX_DAG, older.dag_run_id)).state == "failed"
    await dag_api.post_clear_task_instances(
        SANDBOX_DAG,
        ClearTaskInstances(dag_run_id=older.dag_run_id, only_failed=False, reset_dag_runs=True, dry_run=False),
    )
    assert (await runs.api.get_dag_run(SANDBOX_DAG, older.dag_run_id)).state == "queued"


async def test_set_task_instances_state_upstream_future_past(dag_api: DAGApi, runs: Runs, bash_run: DAGRun) -> None:
    # upstream, on the finished tit_bash run (dry runs only: it stays as it is)
    assert bash_run.dag_run_id is not None
    body = UpdateTaskInstancesState(task_id="goodbye", dag_run_id=bash_run.dag_run_id, new_state="failed")
    assert body.to_request_body()["include_upstream"] is False  # always sent: the server requires the flags
    assert ids(await dag_api.post_set_task_instances_state("tit_bash", body)) == {"goodbye"}
    body = UpdateTaskInstancesState(
        task_id="goodbye", dag_run_id=bash_run.dag_run_id, new_state="failed", include_upstream=True
    )
    assert ids(await dag_api.post_set_task_instances_state("tit_bash", body)) == {"hello", "goodbye"}
    assert await failed_task_ids(dag_api, "tit_bash", bash_run.dag_run_id) == set()

    # future and past, on two sandbox runs
    older = await runs.sandbox_run("set-older")
    newer = await runs.sandbox_run("set-newer")
    assert older.dag_run_id is not None and newer.dag_run_id is not None

    async def listed(run_id: str, **flags: bool) -> Set[str]:
        result = await dag_api.post_set_task_instances_state(
            SANDBOX_DAG, UpdateTaskInstancesState(task_id="noop", dag_run_id=run_id, new_state="success", **flags)
        )
        return {ti.dag_run_id for ti in result.task_instances or [] if ti.dag_run_id}

    assert await listed(older.dag_run_id) == {older.dag_run_id}
    assert {older.dag_run_id, newer.dag_run_id} <= await listed(older.dag_run_id, include_future=True)
    assert {older.dag_run_id, newer.dag_run_id} <= await listed(newer.dag_run_id, include_past=True)
    assert older.dag_run_id not in await listed(newer.dag_run_id)


async def test_patch_dag_with_a_full_dag_object_sends_only_is_paused(dag_api: DAGApi) -> None:
    """A DAG as read (every read-only field set) can be patched: only is_paused goes out."""
    dag = await dag_api.get_dag(PATCH_DAG)
    assert dag.dag_id == PATCH_DAG and dag.fileloc
    try:
        dag.is_paused = not dag.is_paused
        patched = await dag_api.patch_dag(PATCH_DAG, dag)
        assert patched.is_paused is dag.is_paused
        assert (await dag_api.get_dag(PATCH_DAG)).is_paused is dag.is_paused
    finally:
        await dag_api.patch_dag(PATCH_DAG, DAG(is_paused=True))


async def test_get_dag_source_negotiates_on_accept(dag_api: DAGApi) -> None:
    """The server picks the body by Accept: JSON for application/json (what the client sends),
    the bare source as text/plain otherwise -- which then is not the documented model."""
    dag = await dag_api.get_dag("tit_bash")
    assert dag.file_token
    with pytest.raises(ApiDecodeError) as caught:
        await dag_api.get_dag_source(dag.file_token, _headers={"Accept": "text/plain"})
    error = caught.value
    assert error.status == 200 and error.headers is not None
    assert error.headers["Content-Type"].startswith("text/plain")
    assert error.body is not None and b'dag_id="tit_bash"' in error.body
