"""Task instances through titanium_airflow_client.v2 against the local Airflow 3.3: list (also paged by
cursor, across runs with "~" and in a batch), read, tries and try details, logs (JSON and NDJSON stream),
the external log URL's refusal, dependencies, extra links (in both tags), mapped instances, notes and states
(patched, dry run, by map index, in bulk), clearing, deleting, the task-group patches (dry run, then the
group of tit_task_group_sandbox set) and the human-in-the-loop details of tit_hitl answered through the API."""

from __future__ import annotations

import asyncio
import json
import time
from contextlib import asynccontextmanager
from typing import AsyncIterator, Awaitable, Callable, List, Optional, Tuple

import pytest

from titanium_airflow_client import ApiClient, BadRequestException, ConflictException, NotFoundException, paginate
from titanium_airflow_client.v2 import (
    BulkBodyBulkTaskInstanceBody,
    BulkResponse,
    ClearTaskInstancesBody,
    DagRunApi,
    DagRunState,
    ExtraLinksApi,
    HITLDetail,
    HITLDetailHistory,
    PatchTaskInstanceBody,
    StructuredLogMessage,
    TaskInstanceApi,
    TaskInstanceCollectionResponse,
    TaskInstanceResponse,
    TaskInstancesBatchBody,
    TaskInstanceState,
    TriggerDAGRunPostBody,
    UpdateHITLDetailPayload,
)

from .conftest import RawAnswer
from .test_dag_run_api import eventually, finished, run_id

pytestmark = pytest.mark.integration

RawRequest = Callable[..., Awaitable[RawAnswer]]


@asynccontextmanager
async def triggered(client: ApiClient, dag_id: str, *, wait: bool = True) -> AsyncIterator[str]:
    """A new run of ``dag_id`` (finished successfully when ``wait``), deleted afterwards."""
    runs = DagRunApi(client)
    dag_run_id = run_id(f"ti_{dag_id}")

    async def trigger() -> bool:
        try:
            await runs.trigger_dag_run(dag_id, TriggerDAGRunPostBody(dag_run_id=dag_run_id))
        except NotFoundException:  # a sandbox DAG another test deleted, until the DAG processor parses it again
            return False
        return True

    await eventually(trigger, f"{dag_id} can be triggered")
    try:
        if wait:
            assert (await finished(runs, dag_id, dag_run_id))[-1].state == DagRunState.SUCCESS
        yield dag_run_id
    finally:
        await runs.delete_dag_run(dag_id, dag_run_id)


def log_events(content: object) -> List[str]:
    """The text of each line of a TaskInstancesLogResponse's content (structured or plain)."""
    assert isinstance(content, list)
    return [line if isinstance(line, str) else str(line.event) for line in content]


async def test_list_page_read_log_and_clear_the_instances_of_a_run(v2_client: ApiClient) -> None:
    tis = TaskInstanceApi(v2_client)
    async with triggered(v2_client, "tit_bash") as dag_run_id:
        listing = await tis.get_task_instances("tit_bash", dag_run_id, order_by=["-start_date"])
        assert [ti.task_id for ti in listing.task_instances or []] == ["goodbye", "hello"]  # goodbye ran last
        assert all(ti.state == TaskInstanceState.SUCCESS for ti in listing.task_instances or [])
        assert listing.total_entries == 2

        # One per page, by cursor: within the run, and across all DAGs and runs ("~") filtered to this run.
        in_run = [ti.task_id async for ti in paginate(tis.get_task_instances)("tit_bash", dag_run_id, limit=1)]
        assert sorted(in_run) == ["goodbye", "hello"]
        everywhere = paginate(tis.get_task_instances)("~", "~", run_id_pattern=dag_run_id, limit=1)
        assert sorted([(ti.dag_id, ti.task_id) async for ti in everywhere]) == [
            ("tit_bash", "goodbye"),
            ("tit_bash", "hello"),
        ]
        first = await tis.get_task_instances_with_http_info("tit_bash", dag_run_id, cursor="", limit=1)
        assert first.data.next_cursor and first.data.previous_cursor is None  # paging by cursor indeed

        batch = await tis.get_task_instances_batch(
            "~", "~", TaskInstancesBatchBody(dag_ids=["tit_bash"], dag_run_ids=[dag_run_id], task_ids=["hello"])
        )
        assert [(ti.dag_run_id, ti.task_id) for ti in batch.task_instances or []] == [(dag_run_id, "hello")]

        hello = await tis.get_task_instance("tit_bash", dag_run_id, "hello")
        assert isinstance(hello, TaskInstanceResponse)
        assert (hello.dag_run_id, hello.state, hello.try_number, hello.map_index) == (
            dag_run_id,
            TaskInstanceState.SUCCESS,
            1,
            -1,
        )
        tries = await tis.get_task_instance_tries("tit_bash", dag_run_id, "hello")
        assert [(t.try_number, t.state) for t in tries.task_instances or []] == [(1, TaskInstanceState.SUCCESS)]
        detail = await tis.get_task_instance_try_details("tit_bash", dag_run_id, "hello", 1)
        assert (detail.task_id, detail.try_number, detail.state) == ("hello", 1, TaskInstanceState.SUCCESS)

        log = await tis.get_log("tit_bash", dag_run_id, "hello", 1, full_content=True)
        assert f"hello from {dag_run_id}" in log_events(log.content)

        with pytest.raises(BadRequestException) as refused:  # the local file task handler has no external URL
            await tis.get_external_log_url("tit_bash", dag_run_id, "hello", 1)
        assert refused.value.status == 400
        assert refused.value.detail == "Task log handler does not support external logs."

        clear = ClearTaskInstancesBody(dag_run_id=dag_run_id, task_ids=["goodbye"], only_failed=False, dry_run=True)
        dry = await tis.post_clear_task_instances("tit_bash", clear)
        assert [(ti.task_id, ti.state) for ti in dry.task_instances or []] == [("goodbye", TaskInstanceState.SUCCESS)]
        assert (await tis.get_task_instance("tit_bash", dag_run_id, "goodbye")).try_number == 1  # dry: unchanged

        cleared = await tis.post_clear_task_instances("tit_bash", clear.model_copy(update={"dry_run": False}))
        assert [ti.task_id for ti in cleared.task_instances or []] == ["goodbye"]
        runs = DagRunApi(v2_client)
        assert (await finished(runs, "tit_bash", dag_run_id))[-1].state == DagRunState.SUCCESS
        again = await tis.get_task_instance_tries("tit_bash", dag_run_id, "goodbye")
        assert [t.try_number for t in again.task_instances or []] == [1, 2]  # the clear made it run once more
        assert (await tis.get_task_instance("tit_bash", dag_run_id, "hello")).try_number == 1  # not cleared


async def test_tries_try_details_and_logs_of_a_retried_task(v2_client: ApiClient) -> None:
    tis = TaskInstanceApi(v2_client)
    async with triggered(v2_client, "tit_retry") as dag_run_id:
        tries = await tis.get_task_instance_tries("tit_retry", dag_run_id, "flaky")
        assert [(t.try_number, t.state) for t in tries.task_instances or []] == [
            (1, TaskInstanceState.FAILED),
            (2, TaskInstanceState.SUCCESS),
        ]
        for number, state in ((1, TaskInstanceState.FAILED), (2, TaskInstanceState.SUCCESS)):
            detail = await tis.get_task_instance_try_details("tit_retry", dag_run_id, "flaky", number)
            assert (detail.try_number, detail.state, detail.max_tries) == (number, state, 1)
            log = await tis.get_log("tit_retry", dag_run_id, "flaky", number)
            assert f"TITANIUM-RETRY try={number}" in log_events(log.content)
        current = await tis.get_task_instance("tit_retry", dag_run_id, "flaky")
        assert (current.try_number, current.state) == (2, TaskInstanceState.SUCCESS)


async def test_get_log_stream_yields_structured_lines(v2_client: ApiClient, raw_request: RawRequest) -> None:
    tis = TaskInstanceApi(v2_client)
    async with triggered(v2_client, "tit_retry") as dag_run_id:
        path = f"/api/v2/dags/tit_retry/dagRuns/{dag_run_id}/taskInstances/flaky/logs/2"
        answer = await raw_request("GET", path, headers={"Accept": "application/x-ndjson"})
        assert answer.status == 200 and answer.content_type.startswith("application/x-ndjson")
        raw_lines = [json.loads(line) for line in answer.body.decode().splitlines() if line.strip()]
        assert all(isinstance(line, dict) and "event" in line for line in raw_lines)  # objects, not strings
        assert "TITANIUM-RETRY try=2" in [line["event"] for line in raw_lines]

        lines = [line async for line in tis.get_log_stream("tit_retry", dag_run_id, "flaky", 2)]
        assert lines and all(isinstance(line, StructuredLogMessage) for line in lines)
        marker = next(line for line in lines if line.event == "TITANIUM-RETRY try=2")
        assert marker.timestamp is not None and marker.level == "info"
        assert [line.event for line in lines] == [line["event"] for line in raw_lines]


async def test_extra_links_in_both_tags(v2_client: ApiClient) -> None:
    async with triggered(v2_client, "tit_xcom") as dag_run_id:
        expected = {"Titanium": f"https://example.com/titanium/tit_xcom/push/{dag_run_id}"}
        links = await TaskInstanceApi(v2_client).get_extra_links("tit_xcom", dag_run_id, "push")
        assert (links.extra_links, links.total_entries) == (expected, 1)
        same = await ExtraLinksApi(v2_client).get_extra_links("tit_xcom", dag_run_id, "push", map_index=-1)
        assert same == links
        with pytest.raises(NotFoundException):
            await ExtraLinksApi(v2_client).get_extra_links("tit_xcom", dag_run_id, "no_such_task")


async def test_mapped_instances_their_tries_and_logs(v2_client: ApiClient) -> None:
    tis = TaskInstanceApi(v2_client)
    async with triggered(v2_client, "tit_mapped") as dag_run_id:
        mapped = await tis.get_mapped_task_instances("tit_mapped", dag_run_id, "square", order_by=["map_index"])
        assert [(ti.map_index, ti.rendered_map_index, ti.state) for ti in mapped.task_instances or []] == [
            (0, "x=1", TaskInstanceState.SUCCESS),
            (1, "x=2", TaskInstanceState.SUCCESS),
            (2, "x=3", TaskInstanceState.SUCCESS),
        ]
        one = await tis.get_mapped_task_instance("tit_mapped", dag_run_id, "square", 1)
        assert (one.map_index, one.rendered_map_index, one.state) == (1, "x=2", TaskInstanceState.SUCCESS)
        assert (one.rendered_fields or {}).get("op_kwargs") == {"x": 2}
        tries = await tis.get_mapped_task_instance_tries("tit_mapped", dag_run_id, "square", 1)
        assert [(t.map_index, t.try_number) for t in tries.task_instances or []] == [(1, 1)]
        detail = await tis.get_mapped_task_instance_try_details("tit_mapped", dag_run_id, "square", 1, 1)
        assert (detail.map_index, detail.try_number, detail.state) == (1, 1, TaskInstanceState.SUCCESS)
        log = await tis.get_log("tit_mapped", dag_run_id, "square", 1, map_index=2)
        assert "TITANIUM-MAPPED x=3" in log_events(log.content)

        with pytest.raises(NotFoundException) as refused:
            await tis.get_task_instance("tit_mapped", dag_run_id, "square")
        assert refused.value.detail == "Task instance is mapped, add the map_index value to the URL"


async def test_dependencies_notes_states_bulk_and_delete_on_a_queued_run(v2_client: ApiClient) -> None:
    # tit_sandbox_a is paused: the run stays queued and its instance "noop" never starts, so patches stick.
    tis = TaskInstanceApi(v2_client)
    async with triggered(v2_client, "tit_sandbox_a", wait=False) as dag_run_id:
        deps = await tis.get_task_instance_dependencies("tit_sandbox_a", dag_run_id, "noop")
        reasons = {dep.name: dep.reason for dep in deps.dependencies or []}
        assert reasons["Dag Not Paused"] == "Task's DAG 'tit_sandbox_a' is paused."
        assert "'queued'" in reasons["Dagrun Running"]

        dry = await tis.patch_task_instance_dry_run(
            "tit_sandbox_a", dag_run_id, "noop", PatchTaskInstanceBody(new_state="success")
        )
        assert [(ti.task_id, ti.state) for ti in dry.task_instances or []] == [("noop", None)]  # would change
        assert (await tis.get_task_instance("tit_sandbox_a", dag_run_id, "noop")).state is None

        noted = await tis.patch_task_instance(
            "tit_sandbox_a", dag_run_id, "noop", PatchTaskInstanceBody(note="checked by ti"), update_mask=["note"]
        )
        assert [(ti.task_id, ti.note) for ti in noted.task_instances or []] == [("noop", "checked by ti")]
        patched = await tis.patch_task_instance(
            "tit_sandbox_a", dag_run_id, "noop", {"new_state": "success"}, update_mask=["new_state"]
        )
        assert [ti.task_id for ti in patched.task_instances or []] == ["noop"]
        now = await tis.get_task_instance("tit_sandbox_a", dag_run_id, "noop")
        assert (now.state, now.note) == (TaskInstanceState.SUCCESS, "checked by ti")

        update = BulkBodyBulkTaskInstanceBody.model_validate(
            {"actions": [{"action": "update", "entities": [{"task_id": "noop", "new_state": "failed"}]}]}
        )
        bulk = await tis.bulk_task_instances("tit_sandbox_a", dag_run_id, update)
        assert isinstance(bulk, BulkResponse) and bulk.update is not None
        assert (bulk.update.success, bulk.update.errors) == ([f"tit_sandbox_a.{dag_run_id}.noop[-1]"], [])
        assert (await tis.get_task_instance("tit_sandbox_a", dag_run_id, "noop")).state == TaskInstanceState.FAILED

        delete = {"actions": [{"action": "delete", "entities": [{"task_id": "noop", "map_index": -1}]}]}
        bulk = await tis.bulk_task_instances("tit_sandbox_a", dag_run_id, delete)
        assert bulk.delete is not None
        assert (bulk.delete.success, bulk.delete.errors) == ([f"tit_sandbox_a.{dag_run_id}.noop[-1]"], [])
        with pytest.raises(NotFoundException):
            await tis.get_task_instance("tit_sandbox_a", dag_run_id, "noop")


async def test_by_map_index_patches_dependencies_and_delete_on_queued_mapped_instances(v2_client: ApiClient) -> None:
    # tit_mapped_sandbox is paused: its mapped instances 0..2 exist from the start but never run.
    tis = TaskInstanceApi(v2_client)
    async with triggered(v2_client, "tit_mapped_sandbox", wait=False) as dag_run_id:
        deps = await tis.get_task_instance_dependencies_by_map_index("tit_mapped_sandbox", dag_run_id, "square", 1)
        assert "Dag Not Paused" in [dep.name for dep in deps.dependencies or []]

        dry = await tis.patch_task_instance_dry_run_by_map_index(
            "tit_mapped_sandbox", dag_run_id, "square", 1, PatchTaskInstanceBody(new_state="skipped")
        )
        assert [(ti.map_index, ti.state) for ti in dry.task_instances or []] == [(1, None)]
        assert (await tis.get_mapped_task_instance("tit_mapped_sandbox", dag_run_id, "square", 1)).state is None

        noted = await tis.patch_task_instance_by_map_index(
            "tit_mapped_sandbox", dag_run_id, "square", 1, {"note": "only index 1"}, update_mask=["note"]
        )
        assert [(ti.map_index, ti.note) for ti in noted.task_instances or []] == [(1, "only index 1")]
        await tis.patch_task_instance_by_map_index(
            "tit_mapped_sandbox", dag_run_id, "square", 0, PatchTaskInstanceBody(new_state="skipped")
        )
        mapped = await tis.get_mapped_task_instances("tit_mapped_sandbox", dag_run_id, "square", order_by=["map_index"])
        assert [(ti.map_index, ti.state, ti.note) for ti in mapped.task_instances or []] == [
            (0, TaskInstanceState.SKIPPED, None),
            (1, None, "only index 1"),
            (2, None, None),
        ]

        assert await tis.delete_task_instance("tit_mapped_sandbox", dag_run_id, "square", map_index=2) is None
        with pytest.raises(NotFoundException):
            await tis.get_mapped_task_instance("tit_mapped_sandbox", dag_run_id, "square", 2)
        with pytest.raises(NotFoundException) as again:
            await tis.delete_task_instance("tit_mapped_sandbox", dag_run_id, "square", map_index=2)
        assert again.value.detail == (
            f"The Task Instance with dag_id: `tit_mapped_sandbox`, run_id: `{dag_run_id}`, task_id: `square`"
            " and map_index: `2` was not found"
        )


async def test_task_group_patches_dry_run_then_set_the_group_only(v2_client: ApiClient) -> None:
    # tit_task_group_sandbox is paused: its run stays queued with tit_group.extract, tit_group.load (the group)
    # and after (downstream of it) in state None. The server answers the group's instances in no fixed order.
    tis = TaskInstanceApi(v2_client)
    dag_id = "tit_task_group_sandbox"
    group = ["tit_group.extract", "tit_group.load"]

    async def states(dag_run_id: str) -> List[Tuple[str, Optional[TaskInstanceState], Optional[str]]]:
        """(task_id, state, note) of the run's three task instances, read back from the server."""
        listing = await tis.get_task_instances(dag_id, dag_run_id)
        assert listing.total_entries == 3
        return sorted((ti.task_id, ti.state, ti.note) for ti in listing.task_instances or [])

    async with triggered(v2_client, dag_id, wait=False) as dag_run_id:
        untouched = [("after", None, None), ("tit_group.extract", None, None), ("tit_group.load", None, None)]
        assert await states(dag_run_id) == untouched
        grouped = await tis.get_task_instances(dag_id, dag_run_id, task_group_id="tit_group")
        assert (sorted(ti.task_id for ti in grouped.task_instances or []), grouped.total_entries) == (group, 2)

        body = PatchTaskInstanceBody(new_state=TaskInstanceState.SUCCESS)
        dry = await tis.patch_task_group_instances_dry_run(dag_id, dag_run_id, "tit_group", body)
        assert isinstance(dry, TaskInstanceCollectionResponse) and dry.total_entries == 2
        # The group's instances that would change, as they are now.
        assert sorted((ti.task_id, ti.dag_run_id, ti.map_index, ti.state) for ti in dry.task_instances or []) == [
            (task_id, dag_run_id, -1, None) for task_id in group
        ]
        downstream = await tis.patch_task_group_instances_dry_run(
            dag_id, dag_run_id, "tit_group", body.model_copy(update={"include_downstream": True})
        )
        assert sorted(ti.task_id for ti in downstream.task_instances or []) == ["after", *group]
        assert await states(dag_run_id) == untouched  # dry runs change nothing

        patched = await tis.patch_task_group_instances(
            dag_id,
            dag_run_id,
            "tit_group",
            PatchTaskInstanceBody(new_state=TaskInstanceState.SUCCESS, note="group done"),
            update_mask=["new_state", "note"],
        )
        assert isinstance(patched, TaskInstanceCollectionResponse) and patched.total_entries == 2
        assert sorted((ti.task_id, ti.state, ti.note) for ti in patched.task_instances or []) == [
            (task_id, TaskInstanceState.SUCCESS, "group done") for task_id in group
        ]
        assert await states(dag_run_id) == [  # the group changed, the task after it (include_downstream False) did not
            ("after", None, None),
            ("tit_group.extract", TaskInstanceState.SUCCESS, "group done"),
            ("tit_group.load", TaskInstanceState.SUCCESS, "group done"),
        ]
        done = await tis.patch_task_group_instances_dry_run(dag_id, dag_run_id, "tit_group", body)
        assert (done.task_instances, done.total_entries) == ([], 0)  # nothing left to change

        with pytest.raises(ConflictException) as again:
            await tis.patch_task_group_instances(dag_id, dag_run_id, "tit_group", body, update_mask=["new_state"])
        assert (again.value.status, again.value.detail) == (
            409,
            "All task instances in the group are already in success state",
        )
        expected = "Task group 'no_such_group' not found in DAG 'tit_task_group_sandbox'"
        with pytest.raises(NotFoundException) as unknown:
            await tis.patch_task_group_instances_dry_run(dag_id, dag_run_id, "no_such_group", body)
        assert (unknown.value.status, unknown.value.detail) == (404, expected)
        with pytest.raises(NotFoundException) as unknown:
            await tis.patch_task_group_instances(dag_id, dag_run_id, "no_such_group", body, update_mask=["new_state"])
        assert (unknown.value.status, unknown.value.detail) == (404, expected)
        with pytest.raises(NotFoundException) as unknown:  # here the detail is an object: its message is shown
            await tis.get_task_instances(dag_id, dag_run_id, task_group_id="no_such_group")
        assert json.loads(unknown.value.body or b"") == {
            "detail": {"reason": "not_found", "message": "Task group no_such_group not found"}
        }
        assert unknown.value.detail == "Task group no_such_group not found"


async def test_human_in_the_loop_details_answered_through_the_api(v2_client: ApiClient) -> None:
    tis = TaskInstanceApi(v2_client)
    async with triggered(v2_client, "tit_hitl", wait=False) as dag_run_id:

        async def awaiting() -> Optional[float]:
            ti = await tis.get_task_instance("tit_hitl", dag_run_id, "choose")
            return time.monotonic() if ti.state == TaskInstanceState.AWAITING_INPUT else None

        parked_at = await eventually(awaiting, "tit_hitl's task choose awaiting input")

        details = await tis.get_hitl_details("tit_hitl", dag_run_id, task_id="choose")
        assert [(d.task_instance.task_id, d.subject) for d in details.hitl_details or [] if d.task_instance] == [
            ("choose", "Titanium: choose")
        ]
        detail = await tis.get_hitl_detail("tit_hitl", dag_run_id, "choose", -1)
        assert isinstance(detail, HITLDetail)
        assert (detail.options, detail.multiple, detail.response_received) == (["yes", "no"], False, False)
        assert detail.body == f"Run {dag_run_id} waits for an answer."
        history = await tis.get_hitl_detail_try_detail("tit_hitl", dag_run_id, "choose", -1, 1)
        assert isinstance(history, HITLDetailHistory)
        assert history.response_received is False and history.task_instance and history.task_instance.try_number == 1

        # Not a synchronisation: Airflow 3.3.2 fails a task answered before the executor has reported the end
        # of its first execution (about 1 s after it parked); test/dags3/tit_hitl.py says 3 s is safe.
        await asyncio.sleep(max(0.0, parked_at + 3.0 - time.monotonic()))
        answer = UpdateHITLDetailPayload(chosen_options=["yes"], params_input={"note": "from the ti suite"})
        answered = await tis.update_hitl_detail("tit_hitl", dag_run_id, "choose", -1, answer)
        assert (answered.chosen_options, answered.params_input) == (["yes"], {"note": "from the ti suite"})
        assert answered.responded_by and answered.responded_by.name == "admin"

        runs = DagRunApi(v2_client)
        assert (await finished(runs, "tit_hitl", dag_run_id))[-1].state == DagRunState.SUCCESS
        after = await tis.get_hitl_detail("tit_hitl", dag_run_id, "choose", -1)
        assert (after.response_received, after.chosen_options) == (True, ["yes"])
        assert after.params_input == {"note": "from the ti suite"}
        assert after.responded_by_user and after.responded_by_user.name == "admin"
        assert (await tis.get_hitl_detail_try_detail("tit_hitl", dag_run_id, "choose", -1, 1)).chosen_options == ["yes"]
        by_default = await tis.get_hitl_detail("tit_hitl", dag_run_id, "timeout", -1)
        assert (by_default.response_received, by_default.chosen_options) == (True, ["approve"])
        assert by_default.responded_by_user is None  # the scheduler answered with the default, no human
        answered_list = await tis.get_hitl_details("tit_hitl", dag_run_id, response_received=True)
        assert {d.task_instance.task_id for d in answered_list.hitl_details or [] if d.task_instance} == {
            "choose",
            "timeout",
        }
