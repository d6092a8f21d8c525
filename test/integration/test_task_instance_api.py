"""TaskInstanceApi against the real server: every endpoint, checked by what the server then holds.

The runs that execute are the session's ``xcom_run`` (tit_xcom: task "push"), ``mapped_run``
(tit_mapped: "square" mapped over [1, 2, 3]) and ``retry_run`` (tit_retry: "flaky" fails once,
then succeeds). Runs of the paused tit_sandbox_a and tit_mapped_sandbox never execute: their task
instances (state None) are the ones the tests patch.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import quote

import pytest

import titanium_airflow_client.sync as blocking
from titanium_airflow_client import (
    ApiClient,
    ApiDecodeError,
    ApiValueError,
    BadRequestException,
    Configuration,
    DAGRun,
    GetLog200Response,
    ListTaskInstanceForm,
    NotFoundException,
    SetTaskInstanceNote,
    TaskInstance,
    TaskInstanceApi,
    TaskInstanceReference,
    UpdateTaskInstance,
    paginate,
)
from titanium_airflow_client.api.task_instance_api import (
    PATCH_MAPPED_TASK_INSTANCE,
    PATCH_TASK_INSTANCE,
)
from titanium_airflow_client.endpoint import Body, Endpoint

from .conftest import ADMIN, API_URL, SANDBOX_DAG, SESSION_PREFIX, Runs, ensure_paused

MAPPED_SANDBOX_DAG = "tit_mapped_sandbox"  # paused: its runs stay queued, the 3 mapped instances in state None
SQUARES = [1, 4, 9]  # tit_mapped: square.expand(x=[1, 2, 3])


def run_id_of(run: DAGRun) -> str:
    assert run.dag_run_id is not None
    return run.dag_run_id


def log_marker(run_id: str, try_number: int = 1) -> str:
    """The line TitaniumXComOperator logs (test/plugins/titanium_plugin.py)."""
    return f"TITANIUM-LOG-MARKER dag=tit_xcom task=push run={run_id} try={try_number}"


def log_tuples(log: GetLog200Response) -> List[Tuple[str, str]]:
    """get_log's JSON ``content`` is str() of a list of (host, text) tuples; the model parses it back."""
    assert log.content is not None and log.content.startswith("[(")
    parts = log.log_parts()
    assert parts and all(host for host, _ in parts)  # parsed, not the fallback of unparseable content
    return parts


def states(instances: Optional[List[Any]]) -> Dict[int, Optional[str]]:
    """map_index → state value."""
    return {ti.map_index: (ti.state.value if ti.state is not None else None) for ti in instances or []}


async def mapped_sandbox_run(runs: Runs, label: str) -> str:
    """A queued run of the paused tit_mapped_sandbox: three mapped "square" instances, state None."""
    await ensure_paused(runs.dag_api, MAPPED_SANDBOX_DAG, True)
    run = await runs.trigger(MAPPED_SANDBOX_DAG, label, logical_date=runs.logical_date())
    return run_id_of(run)


@pytest.fixture
def ti_api(api_client: ApiClient) -> TaskInstanceApi:
    return TaskInstanceApi(api_client)


# --------------------------------------------------------------------------- get_task_instance(s)


async def test_get_task_instance_of_a_finished_run(ti_api: TaskInstanceApi, xcom_run: DAGRun) -> None:
    run_id = run_id_of(xcom_run)
    ti = await ti_api.get_task_instance("tit_xcom", run_id, "push")
    assert (ti.dag_id, ti.dag_run_id, ti.task_id, ti.map_index) == ("tit_xcom", run_id, "push", -1)
    assert ti.state == "success" and ti.try_number == 1 and ti.max_tries == 0
    assert ti.operator == "TitaniumXComOperator" and ti.pool == "default_pool" and ti.queue == "default"
    assert ti.execution_date == xcom_run.logical_date
    assert ti.start_date is not None and ti.end_date is not None and ti.start_date <= ti.end_date
    assert ti.duration is not None and ti.duration > 0
    assert ti.queued_when is not None and ti.queued_when <= ti.start_date
    assert ti.hostname and ti.pid


async def test_get_task_instance_of_a_mapped_task_needs_its_map_index(
    ti_api: TaskInstanceApi, mapped_run: DAGRun
) -> None:
    with pytest.raises(NotFoundException) as caught:
        await ti_api.get_task_instance("tit_mapped", run_id_of(mapped_run), "square")
    assert caught.value.problem is not None
    assert caught.value.problem.detail == "Task instance is mapped, add the map_index value to the URL"


async def test_get_task_instances_of_one_run(ti_api: TaskInstanceApi, mapped_run: DAGRun, retry_run: DAGRun) -> None:
    mapped = await ti_api.get_task_instances("tit_mapped", run_id_of(mapped_run))
    assert mapped.total_entries == 3
    assert states(mapped.task_instances) == {0: "success", 1: "success", 2: "success"}
    assert {ti.task_id for ti in mapped.task_instances or []} == {"square"}
    retry = run_id_of(retry_run)
    assert (await ti_api.get_task_instances("tit_retry", retry, state=["success"])).total_entries == 1
    assert (await ti_api.get_task_instances("tit_retry", retry, state=["failed", "up_for_retry"])).total_entries == 0


async def test_get_task_instances_with_wildcards(ti_api: TaskInstanceApi, xcom_run: DAGRun) -> None:
    run_id = run_id_of(xcom_run)
    any_dag = await ti_api.get_task_instances("~", run_id)  # run ids are unique per session: only ours
    assert [(ti.dag_id, ti.task_id, ti.dag_run_id) for ti in any_dag.task_instances or []] == [
        ("tit_xcom", "push", run_id)
    ]
    any_run = await ti_api.get_task_instances("tit_xcom", "~", limit=100, execution_date_gte=xcom_run.logical_date)
    assert {ti.dag_id for ti in any_run.task_instances or []} == {"tit_xcom"}
    assert run_id in {ti.dag_run_id for ti in any_run.task_instances or []}
    every = await ti_api.get_task_instances("~", "~", limit=1)
    assert len(every.task_instances or []) == 1
    assert every.total_entries is not None and any_run.total_entries is not None
    assert every.total_entries >= any_run.total_entries


async def test_paginate_task_instances_of_every_dag_one_per_page(ti_api: TaskInstanceApi, mapped_run: DAGRun) -> None:
    logical = mapped_run.logical_date
    paged = [
        (ti.dag_id, ti.dag_run_id, ti.map_index)
        async for ti in paginate(ti_api.get_task_instances)(
            "~", "~", execution_date_gte=logical, execution_date_lte=logical, pool=["default_pool"], limit=1
        )
    ]
    run_id = run_id_of(mapped_run)
    assert sorted(paged) == [("tit_mapped", run_id, index) for index in range(3)]


async def test_get_task_instances_batch(ti_api: TaskInstanceApi, mapped_run: DAGRun, xcom_run: DAGRun) -> None:
    mapped_id, xcom_id = run_id_of(mapped_run), run_id_of(xcom_run)
    form = ListTaskInstanceForm(dag_ids=["tit_mapped", "tit_xcom"], dag_run_ids=[mapped_id, xcom_id])
    listed = await ti_api.get_task_instances_batch(form)
    assert listed.total_entries == 4
    assert sorted((ti.task_id, ti.map_index) for ti in listed.task_instances or []) == [
        ("push", -1),
        ("square", 0),
        ("square", 1),
        ("square", 2),
    ]
    only_push = await ti_api.get_task_instances_batch(
        ListTaskInstanceForm(dag_run_ids=[mapped_id, xcom_id], task_ids=["push"], state=["success"])
    )
    assert [(ti.dag_id, ti.task_id) for ti in only_push.task_instances or []] == [("tit_xcom", "push")]
    # "~" is no wildcard in the batch form's dag_ids: it is a DAG id nothing has.
    tilde = await ti_api.get_task_instances_batch(ListTaskInstanceForm(dag_ids=["~"], dag_run_ids=[xcom_id]))
    assert tilde.total_entries == 0 and tilde.task_instances == []
    paged = [ti async for ti in paginate(ti_api.get_task_instances_batch)(form.model_copy(update={"page_limit": 1}))]
    assert sorted((ti.task_id, ti.map_index) for ti in paged) == sorted(
        (ti.task_id, ti.map_index) for ti in listed.task_instances or []
    )


# --------------------------------------------------------------------------- mapped task instances


async def test_get_mapped_task_instance_each_index(ti_api: TaskInstanceApi, mapped_run: DAGRun) -> None:
    run_id = run_id_of(mapped_run)
    for index, x in enumerate((1, 2, 3)):
        ti = await ti_api.get_mapped_task_instance("tit_mapped", run_id, "square", index)
        assert (ti.task_id, ti.map_index, ti.dag_run_id) == ("square", index, run_id)
        assert ti.state == "success" and ti.try_number == 1
        assert ti.rendered_map_index == f"x={x}"  # map_index_template="x={{ titanium_x }}"
    with pytest.raises(NotFoundException):
        await ti_api.get_mapped_task_instance("tit_mapped", run_id, "square", 7)


async def test_get_mapped_task_instances_order_filter_and_pages(ti_api: TaskInstanceApi, mapped_run: DAGRun) -> None:
    run_id = run_id_of(mapped_run)
    listed = await ti_api.get_mapped_task_instances("tit_mapped", run_id, "square")
    assert listed.total_entries == 3
    assert [ti.map_index for ti in listed.task_instances or []] == [0, 1, 2]
    assert [ti.rendered_map_index for ti in listed.task_instances or []] == ["x=1", "x=2", "x=3"]
    down = await ti_api.get_mapped_task_instances("tit_mapped", run_id, "square", order_by="-map_index")
    assert [ti.map_index for ti in down.task_instances or []] == [2, 1, 0]
    assert (await ti_api.get_mapped_task_instances("tit_mapped", run_id, "square", state=["failed"])).total_entries == 0
    paged = [
        ti.map_index async for ti in paginate(ti_api.get_mapped_task_instances)("tit_mapped", run_id, "square", limit=2)
    ]
    assert paged == [0, 1, 2]


async def test_get_mapped_task_instances_of_an_unmapped_task(ti_api: TaskInstanceApi, xcom_run: DAGRun) -> None:
    with pytest.raises(NotFoundException) as caught:
        await ti_api.get_mapped_task_instances("tit_xcom", run_id_of(xcom_run), "push")
    assert caught.value.problem is not None and caught.value.problem.title == "Task id push is not mapped"


def test_paginate_mapped_task_instances_through_the_blocking_facade(mapped_run: DAGRun) -> None:
    run_id = run_id_of(mapped_run)
    username, password = ADMIN
    with blocking.ApiClient(Configuration(host=API_URL, username=username, password=password)) as client:
        api = blocking.TaskInstanceApi(client)
        paged = list(blocking.paginate(api.get_mapped_task_instances)("tit_mapped", run_id, "square", limit=1))
        one = api.get_mapped_task_instance("tit_mapped", run_id, "square", 2)
    assert all(isinstance(ti, TaskInstance) for ti in paged)
    assert [(ti.map_index, ti.state) for ti in paged] == [(0, "success"), (1, "success"), (2, "success")]
    assert one.map_index == 2 and one.rendered_map_index == "x=3"


# --------------------------------------------------------------------------- patch


async def test_patch_task_instance_dry_run_then_for_real(ti_api: TaskInstanceApi, runs: Runs) -> None:
    run_id = run_id_of(await runs.sandbox_run("patch-ti"))
    assert (await ti_api.get_task_instance(SANDBOX_DAG, run_id, "noop")).state is None
    planned = await ti_api.patch_task_instance(
        SANDBOX_DAG, run_id, "noop", UpdateTaskInstance(new_state="success", dry_run=True)
    )
    assert (planned.dag_id, planned.dag_run_id, planned.task_id) == (SANDBOX_DAG, run_id, "noop")
    assert (await ti_api.get_task_instance(SANDBOX_DAG, run_id, "noop")).state is None  # a dry run changes nothing
    # The spec's default dry_run is true, and so is the server's: leaving it out changes nothing either.
    await ti_api.patch_task_instance(SANDBOX_DAG, run_id, "noop", UpdateTaskInstance(new_state="failed"))
    assert (await ti_api.get_task_instance(SANDBOX_DAG, run_id, "noop")).state is None
    done = await ti_api.patch_task_instance_with_http_info(
        SANDBOX_DAG, run_id, "noop", {"new_state": "success", "dry_run": False}
    )
    # For a real change the server answers an empty object, not the reference the spec shows.
    assert json.loads(done.raw_data) == {} and done.data == TaskInstanceReference()
    assert (await ti_api.get_task_instance(SANDBOX_DAG, run_id, "noop")).state == "success"
    await ti_api.patch_task_instance(
        SANDBOX_DAG, run_id, "noop", UpdateTaskInstance(new_state="skipped", dry_run=False)
    )
    assert (await ti_api.get_task_instance(SANDBOX_DAG, run_id, "noop")).state == "skipped"


async def test_patch_task_instance_needs_new_state(ti_api: TaskInstanceApi, api_client: ApiClient, runs: Runs) -> None:
    """Server differs from the spec: new_state is required (400 without it); the client refuses before sending."""
    run_id = run_id_of(await runs.sandbox_run("patch-no-state"))
    with pytest.raises(ApiValueError, match="must set new_state"):
        await ti_api.patch_task_instance(SANDBOX_DAG, run_id, "noop", UpdateTaskInstance(dry_run=True))
    # What the server does with such a body: the same endpoint, without the client's check.
    unchecked = Endpoint(
        "patch_task_instance",
        "PATCH",
        PATCH_TASK_INSTANCE.path,
        TaskInstanceReference,
        body=Body("update_task_instance", UpdateTaskInstance),
    )
    arguments = {"dag_id": SANDBOX_DAG, "dag_run_id": run_id, "task_id": "noop"}
    with pytest.raises(BadRequestException) as caught:
        await api_client.call(unchecked, {**arguments, "update_task_instance": UpdateTaskInstance(dry_run=True)})
    assert caught.value.problem is not None and "new_state" in (caught.value.problem.detail or "")


async def test_patch_mapped_task_instance_one_index(ti_api: TaskInstanceApi, runs: Runs) -> None:
    run_id = await mapped_sandbox_run(runs, "patch-mapped")
    before = await ti_api.get_mapped_task_instances(MAPPED_SANDBOX_DAG, run_id, "square")
    assert states(before.task_instances) == {0: None, 1: None, 2: None}
    planned = await ti_api.patch_mapped_task_instance(
        MAPPED_SANDBOX_DAG, run_id, "square", 1, UpdateTaskInstance(new_state="failed", dry_run=True)
    )
    assert (planned.dag_id, planned.dag_run_id, planned.task_id) == (MAPPED_SANDBOX_DAG, run_id, "square")
    await ti_api.patch_mapped_task_instance(
        MAPPED_SANDBOX_DAG, run_id, "square", 0, UpdateTaskInstance(new_state="success", dry_run=False)
    )
    after = await ti_api.get_mapped_task_instances(MAPPED_SANDBOX_DAG, run_id, "square")
    assert states(after.task_instances) == {0: "success", 1: None, 2: None}
    assert (await ti_api.get_mapped_task_instance(MAPPED_SANDBOX_DAG, run_id, "square", 0)).state == "success"


async def test_patch_mapped_task_instance_needs_a_body_with_new_state(
    ti_api: TaskInstanceApi, api_client: ApiClient, runs: Runs
) -> None:
    """Server differs from the spec: the body (optional in the spec) and its new_state are required."""
    run_id = await mapped_sandbox_run(runs, "patch-mapped-body")
    with pytest.raises(ApiValueError, match="'update_task_instance' is required"):
        await ti_api.patch_mapped_task_instance(MAPPED_SANDBOX_DAG, run_id, "square", 0, None)  # type: ignore[arg-type]
    with pytest.raises(ApiValueError, match="must set new_state"):
        await ti_api.patch_mapped_task_instance(MAPPED_SANDBOX_DAG, run_id, "square", 0, UpdateTaskInstance())
    # What the server does: the same endpoint without the client's checks.
    unchecked = Endpoint(
        "patch_mapped_task_instance",
        "PATCH",
        PATCH_MAPPED_TASK_INSTANCE.path,
        TaskInstanceReference,
        body=Body("update_task_instance", UpdateTaskInstance, optional=True),
        int_params=("map_index",),
    )
    arguments = {"dag_id": MAPPED_SANDBOX_DAG, "dag_run_id": run_id, "task_id": "square", "map_index": 0}
    with pytest.raises(BadRequestException) as no_body:
        await api_client.call(unchecked, {**arguments, "update_task_instance": None})
    assert no_body.value.problem is not None and no_body.value.problem.detail == "Request body must not be empty"
    with pytest.raises(BadRequestException) as no_state:
        await api_client.call(unchecked, {**arguments, "update_task_instance": UpdateTaskInstance(dry_run=True)})
    assert no_state.value.problem is not None and "new_state" in (no_state.value.problem.detail or "")
    assert (await ti_api.get_mapped_task_instance(MAPPED_SANDBOX_DAG, run_id, "square", 0)).state is None


# --------------------------------------------------------------------------- notes


async def test_set_task_instance_note_is_read_back(ti_api: TaskInstanceApi, xcom_run: DAGRun) -> None:
    run_id = run_id_of(xcom_run)
    note = f"{SESSION_PREFIX}: a note on push ✓"
    answered = await ti_api.set_task_instance_note("tit_xcom", run_id, "push", SetTaskInstanceNote(note=note))
    assert answered.note == note and answered.task_id == "push" and answered.state == "success"
    assert (await ti_api.get_task_instance("tit_xcom", run_id, "push")).note == note
    await ti_api.set_task_instance_note("tit_xcom", run_id, "push", {"note": ""})
    assert (await ti_api.get_task_instance("tit_xcom", run_id, "push")).note == ""


async def test_set_mapped_task_instance_note_touches_one_index(ti_api: TaskInstanceApi, mapped_run: DAGRun) -> None:
    run_id = run_id_of(mapped_run)
    note = f"{SESSION_PREFIX}: note on square[1]"
    answered = await ti_api.set_mapped_task_instance_note(
        "tit_mapped", run_id, "square", 1, SetTaskInstanceNote(note=note)
    )
    assert answered.note == note and answered.map_index == 1
    notes = {
        ti.map_index: ti.note
        for ti in (await ti_api.get_mapped_task_instances("tit_mapped", run_id, "square")).task_instances or []
    }
    assert notes == {0: None, 1: note, 2: None}


# --------------------------------------------------------------------------- dependencies


async def test_task_instance_dependencies(ti_api: TaskInstanceApi, runs: Runs, xcom_run: DAGRun) -> None:
    run_id = run_id_of(await runs.sandbox_run("deps"))
    waiting = await ti_api.get_task_instance_dependencies(SANDBOX_DAG, run_id, "noop")
    reasons = {dep.name: dep.reason for dep in waiting.dependencies or []}
    assert {"Dag Not Paused", "Dagrun Running", "Task Instance State"} <= set(reasons)
    assert reasons["Dag Not Paused"] == f"Task's DAG '{SANDBOX_DAG}' is paused."
    finished = await ti_api.get_task_instance_dependencies("tit_xcom", run_id_of(xcom_run), "push")
    assert finished.dependencies == []
    paged = [dep.name async for dep in paginate(ti_api.get_task_instance_dependencies)(SANDBOX_DAG, run_id, "noop")]
    assert paged == [dep.name for dep in waiting.dependencies or []]


async def test_mapped_task_instance_dependencies(ti_api: TaskInstanceApi, runs: Runs, mapped_run: DAGRun) -> None:
    run_id = await mapped_sandbox_run(runs, "mapped-deps")
    waiting = await ti_api.get_mapped_task_instance_dependencies(MAPPED_SANDBOX_DAG, run_id, "square", 2)
    names = {dep.name for dep in waiting.dependencies or []}
    assert {"Dag Not Paused", "Dagrun Running", "Task Instance State"} <= names
    finished = await ti_api.get_mapped_task_instance_dependencies("tit_mapped", run_id_of(mapped_run), "square", 0)
    assert finished.dependencies == []
    paged = [
        dep.name
        async for dep in paginate(ti_api.get_mapped_task_instance_dependencies)(MAPPED_SANDBOX_DAG, run_id, "square", 2)
    ]
    assert paged == [dep.name for dep in waiting.dependencies or []]


# --------------------------------------------------------------------------- tries


async def test_tries_of_tit_retry_are_two(ti_api: TaskInstanceApi, api_client: ApiClient, retry_run: DAGRun) -> None:
    """Server differs from the spec: the tries come under task_instances, not task_instances_history,
    and all in one page: limit, offset and order_by are ignored."""
    run_id = run_id_of(retry_run)
    response = await ti_api.get_task_instance_tries_with_http_info("tit_retry", run_id, "flaky")
    raw = json.loads(response.raw_data)
    assert "task_instances" in raw and "task_instances_history" not in raw
    tries = response.data
    assert tries.total_entries == 2 and not tries.model_extra
    assert [(t.try_number, t.state) for t in tries.task_instances or []] == [(1, "failed"), (2, "success")]
    assert all(t.task_id == "flaky" and t.dag_run_id == run_id and t.max_tries == 1 for t in tries.task_instances or [])
    paged = [t.try_number async for t in paginate(ti_api.get_task_instance_tries)("tit_retry", run_id, "flaky")]
    assert paged == [1, 2]
    current = await ti_api.get_task_instance("tit_retry", run_id, "flaky")
    assert current.try_number == 2 and current.state == "success"
    # The spec's paging parameters are offered (as in apache-airflow-client), but the server ignores them:
    # every try, in try order, whatever is asked; paginate() stops at total_entries all the same.
    ignored = await ti_api.get_task_instance_tries(
        "tit_retry", run_id, "flaky", limit=1, offset=1, order_by="-try_number"
    )
    assert [t.try_number for t in ignored.task_instances or []] == [1, 2] and ignored.total_entries == 2


async def test_mapped_task_instance_tries(ti_api: TaskInstanceApi, api_client: ApiClient, mapped_run: DAGRun) -> None:
    """Server differs from the spec: as for get_task_instance_tries, one page under task_instances."""
    run_id = run_id_of(mapped_run)
    for index in range(3):
        tries = await ti_api.get_mapped_task_instance_tries("tit_mapped", run_id, "square", index)
        assert tries.total_entries == 1 and not tries.model_extra
        assert [(t.try_number, t.map_index, t.state) for t in tries.task_instances or []] == [(1, index, "success")]
    paged = [t async for t in paginate(ti_api.get_mapped_task_instance_tries)("tit_mapped", run_id, "square", 1)]
    assert [(t.try_number, t.map_index) for t in paged] == [(1, 1)]
    # The spec's offset is ignored by the server: the one try still comes.
    ignored = await ti_api.get_mapped_task_instance_tries("tit_mapped", run_id, "square", 1, offset=1)
    assert [(t.try_number, t.map_index) for t in ignored.task_instances or []] == [(1, 1)]


async def test_try_details_of_each_try(ti_api: TaskInstanceApi, retry_run: DAGRun) -> None:
    """Server differs from the spec: queued_when is a date-time (the spec gives no format)."""
    run_id = run_id_of(retry_run)
    first = await ti_api.get_task_instance_try_details("tit_retry", run_id, "flaky", 1)
    second = await ti_api.get_task_instance_try_details("tit_retry", run_id, "flaky", 2)
    assert (first.try_number, first.state, second.try_number, second.state) == (1, "failed", 2, "success")
    for detail in (first, second):
        assert detail.task_id == "flaky" and detail.operator == "BashOperator" and detail.map_index == -1
        assert detail.queued_when is not None and detail.queued_when.tzinfo is not None
        assert detail.start_date is not None and detail.end_date is not None
    assert first.end_date <= second.start_date  # type: ignore[operator]
    with pytest.raises(NotFoundException):
        await ti_api.get_task_instance_try_details("tit_retry", run_id, "flaky", 3)


async def test_mapped_try_details(ti_api: TaskInstanceApi, mapped_run: DAGRun) -> None:
    run_id = run_id_of(mapped_run)
    detail = await ti_api.get_mapped_task_instance_try_details("tit_mapped", run_id, "square", 1, 1)
    assert (detail.task_id, detail.map_index, detail.try_number, detail.state) == ("square", 1, 1, "success")
    instance = await ti_api.get_mapped_task_instance("tit_mapped", run_id, "square", 1)
    assert detail.start_date == instance.start_date and detail.end_date == instance.end_date
    with pytest.raises(NotFoundException):
        await ti_api.get_mapped_task_instance_try_details("tit_mapped", run_id, "square", 1, 2)


# --------------------------------------------------------------------------- extra links


async def test_get_extra_links_is_a_name_to_url_map(ti_api: TaskInstanceApi, xcom_run: DAGRun) -> None:
    """Server differs from the spec: a flat {link name: URL} object, no extra_links array."""
    run_id = run_id_of(xcom_run)
    response = await ti_api.get_extra_links_with_http_info("tit_xcom", run_id, "push")
    expected = {"Titanium": f"https://example.com/titanium/tit_xcom/push/{quote(run_id, safe='')}"}
    assert json.loads(response.raw_data) == expected
    assert response.data.to_dict() == expected and response.data.model_extra == expected


async def test_get_extra_links_of_a_mapped_task(ti_api: TaskInstanceApi, mapped_run: DAGRun) -> None:
    run_id = run_id_of(mapped_run)
    links = await ti_api.get_extra_links("tit_mapped", run_id, "square", map_index=1)
    assert links.to_dict() == {}  # a @task has no extra links
    # Without map_index the server looks for the unmapped instance and answers, misleadingly, "DAG Run not found".
    with pytest.raises(NotFoundException) as caught:
        await ti_api.get_extra_links("tit_mapped", run_id, "square")
    assert caught.value.problem is not None and caught.value.problem.title == "DAG Run not found"


# --------------------------------------------------------------------------- logs


async def test_get_log_json_content_is_a_repr_of_host_text_tuples(ti_api: TaskInstanceApi, xcom_run: DAGRun) -> None:
    """Server differs from the spec's plain string: content is str() of a list of (host, text) tuples."""
    run_id = run_id_of(xcom_run)
    log = await ti_api.get_log("tit_xcom", run_id, "push", 1)
    assert log.content is not None and log.content.startswith("[(")
    tuples = log_tuples(log)
    assert all(host for host, _ in tuples)
    assert log_marker(run_id) in log.log_text()
    assert log.continuation_token


async def test_get_log_text_is_the_plain_log(ti_api: TaskInstanceApi, xcom_run: DAGRun) -> None:
    run_id = run_id_of(xcom_run)
    response = await ti_api.get_log_text_with_http_info("tit_xcom", run_id, "push", 1)
    assert response.headers["Content-Type"].startswith("text/plain")
    text = response.data
    assert isinstance(text, str) and log_marker(run_id) in text
    # The same log as the JSON form: each host's name on a line of its own, then its text.
    tuples = log_tuples(await ti_api.get_log("tit_xcom", run_id, "push", 1))
    for host, part in tuples:
        assert f"{host}\n{part}" in text
    full = await ti_api.get_log_text("tit_xcom", run_id, "push", 1, full_content=True)
    assert full == text


async def test_get_log_full_content_and_continuation_token(ti_api: TaskInstanceApi, xcom_run: DAGRun) -> None:
    run_id = run_id_of(xcom_run)
    first = await ti_api.get_log("tit_xcom", run_id, "push", 1)
    full = await ti_api.get_log("tit_xcom", run_id, "push", 1, full_content=True)
    assert full.log_text() == first.log_text()  # a finished log comes whole either way
    assert first.continuation_token
    rest = await ti_api.get_log("tit_xcom", run_id, "push", 1, token=first.continuation_token)
    assert [text for _, text in log_tuples(rest)] == [""]  # nothing after the end of the log
    assert rest.continuation_token == first.continuation_token
    # The text/plain form ignores the token: the whole log again.
    text = await ti_api.get_log_text("tit_xcom", run_id, "push", 1, token=first.continuation_token)
    assert log_marker(run_id) in text
    with pytest.raises(BadRequestException) as caught:
        await ti_api.get_log("tit_xcom", run_id, "push", 1, token="not-a-token-of-the-server")
    assert caught.value.problem is not None and "Bad Signature" in (caught.value.problem.title or "")


async def test_get_log_of_a_mapped_task_by_map_index(ti_api: TaskInstanceApi, mapped_run: DAGRun) -> None:
    run_id = run_id_of(mapped_run)
    for index, x in enumerate((1, 2, 3)):
        log = await ti_api.get_log("tit_mapped", run_id, "square", 1, map_index=index)
        assert f"TITANIUM-MAPPED x={x}" in log.log_text()
        text = await ti_api.get_log_text("tit_mapped", run_id, "square", 1, map_index=index)
        assert f"TITANIUM-MAPPED x={x}" in text
        assert all(f"TITANIUM-MAPPED x={other}" not in text for other in (1, 2, 3) if other != x)
    with pytest.raises(NotFoundException):
        await ti_api.get_log("tit_mapped", run_id, "square", 1)  # a mapped instance needs its map_index


async def test_get_log_of_each_try(ti_api: TaskInstanceApi, retry_run: DAGRun) -> None:
    run_id = run_id_of(retry_run)
    first = await ti_api.get_log_text("tit_retry", run_id, "flaky", 1)
    second = await ti_api.get_log_text("tit_retry", run_id, "flaky", 2)
    assert "TITANIUM-RETRY try=1" in first and "TITANIUM-RETRY try=2" not in first
    assert "TITANIUM-RETRY try=2" in second and "TITANIUM-RETRY try=1" not in second
    assert "TITANIUM-RETRY try=2" in (await ti_api.get_log("tit_retry", run_id, "flaky", 2)).log_text()


async def test_get_log_with_a_text_accept_header_is_a_clear_decode_error(
    ti_api: TaskInstanceApi, xcom_run: DAGRun
) -> None:
    run_id = run_id_of(xcom_run)
    with pytest.raises(ApiDecodeError) as caught:
        await ti_api.get_log("tit_xcom", run_id, "push", 1, _headers={"Accept": "text/plain"})
    message = str(caught.value)
    assert "get_log()" in message and "GetLog200Response" in message
    assert "the server answered text/plain, not JSON" in message
    assert caught.value.status == 200 and caught.value.body is not None
    assert log_marker(run_id).encode() in caught.value.body
