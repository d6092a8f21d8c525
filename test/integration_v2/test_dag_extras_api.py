"""What surrounds a DAG and its runs on Airflow 3, through titanium_airflow_client.v2 against the local Airflow 3.3:
runs in bulk (update, delete, clear several, clear by run id through clearPartitions, list by batch body), the
experimental wait stream with task results, DAG stats, versions, source (JSON and text/plain), warnings and
tasks (DagRunApi, ExperimentalApi, DagStatsApi, DagVersionApi, DagSourceApi, DagWarningApi, TaskApi).

The run tests use tit_sandbox_c, which is paused: its triggered runs stay queued, so their states change only
through these calls."""

from __future__ import annotations

import asyncio
import uuid
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator, List

import pytest

from titanium_airflow_client import ApiClient, BadRequestException, NotFoundException, UnprocessableEntityException
from titanium_airflow_client.v2 import (
    BulkBodyBulkDAGRunBody,
    BulkDAGRunBody,
    BulkDAGRunClearBody,
    BulkDeleteActionBulkDAGRunBody,
    BulkUpdateActionBulkDAGRunBody,
    ClearPartitionsBody,
    ClearTaskInstanceCollectionResponse,
    DagRunApi,
    DAGRunCollectionResponse,
    DAGRunsBatchBody,
    DagRunState,
    DagRunWaitUpdate,
    DagSourceApi,
    DagStatsApi,
    DagVersionApi,
    DagWarningApi,
    ExperimentalApi,
    TaskApi,
    TaskInstanceApi,
    TriggerDAGRunPostBody,
)

from .test_dag_run_api import DEADLINE, run_id

pytestmark = pytest.mark.integration

DAGS3 = Path(__file__).resolve().parents[1] / "dags3"
SANDBOX = "tit_sandbox_c"


@asynccontextmanager
async def sandbox_runs(runs: DagRunApi, count: int, marker: str = "") -> AsyncIterator[List[str]]:
    """``count`` queued runs of the paused tit_sandbox_c (conf ``{"marker": marker}``), deleted on leaving."""
    made = [run_id("extras") for _ in range(count)]
    try:
        for dag_run_id in made:
            await runs.trigger_dag_run(SANDBOX, TriggerDAGRunPostBody(dag_run_id=dag_run_id, conf={"marker": marker}))
        yield made
    finally:
        skip = BulkDeleteActionBulkDAGRunBody(entities=list(made), action_on_non_existence="skip")
        await runs.bulk_dag_runs(SANDBOX, BulkBodyBulkDAGRunBody(actions=[skip]))


async def test_batch_listing_finds_runs_by_conf_and_stats_count_them(v2_client: ApiClient) -> None:
    runs = DagRunApi(v2_client)
    marker = uuid.uuid4().hex
    async with sandbox_runs(runs, 3, marker) as made:
        body = DAGRunsBatchBody(dag_ids=[SANDBOX], conf_contains=marker, order_by="run_after")
        found = await runs.get_list_dag_runs_batch("~", body)  # "~": every DAG, narrowed by dag_ids
        assert [run.dag_run_id for run in found.dag_runs or []] == made and found.total_entries == 3
        assert all(run.conf == {"marker": marker} and run.state == DagRunState.QUEUED for run in found.dag_runs or [])
        paged = await runs.get_list_dag_runs_batch("~", {"conf_contains": marker, "page_limit": 2})
        assert len(paged.dag_runs or []) == 2 and paged.total_entries == 3
        with pytest.raises(UnprocessableEntityException) as one_dag:  # the path takes "~" only
            await runs.get_list_dag_runs_batch(SANDBOX, {"conf_contains": marker})
        assert one_dag.value.detail == "path.dag_id: Input should be '~'"

        stats = await DagStatsApi(v2_client).get_dag_stats(dag_ids=[SANDBOX])
        assert [dag.dag_id for dag in stats.dags or []] == [SANDBOX]
        counts = {item.state: item.count for item in (stats.dags or [])[0].stats or []}
        assert set(counts) == {DagRunState.QUEUED, DagRunState.RUNNING, DagRunState.SUCCESS, DagRunState.FAILED}
        assert (counts[DagRunState.QUEUED] or 0) >= 3  # other tests may have runs of tit_sandbox_c too


async def test_bulk_update_and_delete_runs(v2_client: ApiClient) -> None:
    runs = DagRunApi(v2_client)
    async with sandbox_runs(runs, 2, uuid.uuid4().hex) as made:
        update = BulkUpdateActionBulkDAGRunBody(
            entities=[BulkDAGRunBody(dag_run_id=dag_run_id, state="failed", note="bulk") for dag_run_id in made],
            update_mask=["state", "note"],
        )
        updated = await runs.bulk_dag_runs(SANDBOX, BulkBodyBulkDAGRunBody(actions=[update]))
        assert updated.update is not None and updated.update.errors == []
        assert sorted(updated.update.success or []) == sorted(f"{SANDBOX}.{dag_run_id}" for dag_run_id in made)
        for dag_run_id in made:
            run = await runs.get_dag_run(SANDBOX, dag_run_id)
            assert (run.state, run.note) == (DagRunState.FAILED, "bulk")

        # Creating runs in bulk is refused per action (405 inside a 200 answer): trigger_dag_run does that.
        create = {"action": "create", "entities": [{"dag_run_id": run_id("bulk_create")}]}
        refused = await runs.bulk_dag_runs(SANDBOX, {"actions": [create]})
        assert refused.create is not None and refused.create.success == []
        assert refused.create.errors == [
            {
                "error": "Dag Runs bulk create is not supported. Use the trigger Dag Run endpoint instead.",
                "status_code": 405,
            }
        ]

        delete = BulkDeleteActionBulkDAGRunBody(entities=[made[0], BulkDAGRunBody(dag_run_id=made[1])])
        deleted = await runs.bulk_dag_runs(SANDBOX, BulkBodyBulkDAGRunBody(actions=[delete]))
        assert deleted.delete is not None and deleted.delete.errors == []
        assert sorted(deleted.delete.success or []) == sorted(f"{SANDBOX}.{dag_run_id}" for dag_run_id in made)
        for dag_run_id in made:
            with pytest.raises(NotFoundException):
                await runs.get_dag_run(SANDBOX, dag_run_id)


async def test_clear_several_runs_dry_then_for_real(v2_client: ApiClient) -> None:
    runs = DagRunApi(v2_client)
    async with sandbox_runs(runs, 2, uuid.uuid4().hex) as made:
        await runs.bulk_dag_runs(
            SANDBOX,
            {"actions": [{"action": "update", "entities": [{"dag_run_id": r, "state": "failed"} for r in made]}]},
        )
        selected = [BulkDAGRunBody(dag_run_id=dag_run_id) for dag_run_id in made]
        dry = (await runs.clear_dag_runs(SANDBOX, BulkDAGRunClearBody(dag_runs=selected, dry_run=True))).actual_instance
        assert isinstance(dry, ClearTaskInstanceCollectionResponse)
        assert sorted((ti.dag_run_id, ti.task_id) for ti in dry.task_instances or []) == sorted(
            (r, "noop") for r in made
        )
        for dag_run_id in made:  # a dry run changes nothing
            assert (await runs.get_dag_run(SANDBOX, dag_run_id)).state == DagRunState.FAILED

        body = BulkDAGRunClearBody(dag_runs=selected, dry_run=False, note="cleared together")
        cleared = (await runs.clear_dag_runs(SANDBOX, body)).actual_instance
        assert isinstance(cleared, DAGRunCollectionResponse)
        assert sorted(run.dag_run_id or "" for run in cleared.dag_runs or []) == sorted(made)
        for dag_run_id in made:
            run = await runs.get_dag_run(SANDBOX, dag_run_id)
            assert run.state == DagRunState.QUEUED


async def test_clear_partitions_by_run_id_clears_its_task_instances(v2_client: ApiClient) -> None:
    # No DAG of test/dags3 is partitioned, so no run has partition fields to reset: dag_runs_cleared stays 0,
    # while clear_task_instances still clears the selected run's task instances.
    runs = DagRunApi(v2_client)
    async with sandbox_runs(runs, 1) as (made,):
        await runs.patch_dag_run(SANDBOX, made, {"state": "failed"}, update_mask=["state"])
        tis = TaskInstanceApi(v2_client)
        assert (await tis.get_task_instance(SANDBOX, made, "noop")).state == "skipped"  # set by failing the run

        dry = await runs.clear_dag_run_partitions(
            SANDBOX, ClearPartitionsBody(run_id=made, clear_task_instances=True, dry_run=True)
        )
        assert (dry.dag_runs_cleared, dry.task_instances_cleared, dry.dry_run) == (0, 1, True)
        assert (await tis.get_task_instance(SANDBOX, made, "noop")).state == "skipped"

        real = await runs.clear_dag_run_partitions(
            SANDBOX, ClearPartitionsBody(run_id=made, clear_task_instances=True, dry_run=False)
        )
        assert (real.dag_runs_cleared, real.task_instances_cleared, real.dry_run) == (0, 1, False)
        assert (await tis.get_task_instance(SANDBOX, made, "noop")).state is None
        assert (await runs.get_dag_run(SANDBOX, made)).state == DagRunState.QUEUED

        # A partition key is refused on an unpartitioned DAG, when triggering.
        with pytest.raises(BadRequestException) as refused:
            await runs.trigger_dag_run(SANDBOX, TriggerDAGRunPostBody(dag_run_id=run_id("pk"), partition_key="k"))
        assert refused.value.detail == f"Dag '{SANDBOX}' is not a partitioned Dag and does not accept a partition_key."


async def test_experimental_wait_streams_until_finished_with_results(v2_client: ApiClient) -> None:
    runs = DagRunApi(v2_client)
    dag_run_id = run_id("experimental_wait")
    await runs.trigger_dag_run("tit_xcom", TriggerDAGRunPostBody(dag_run_id=dag_run_id))
    try:
        stream = ExperimentalApi(v2_client).wait_dag_run_until_finished(
            "tit_xcom", dag_run_id, interval=0.5, result=["push"]
        )

        async def collect() -> List[DagRunWaitUpdate]:
            return [update async for update in stream]

        updates = await asyncio.wait_for(collect(), DEADLINE)
        assert all(isinstance(update, DagRunWaitUpdate) for update in updates)
        last = updates[-1]
        assert last.state == DagRunState.SUCCESS
        assert last.results == {"push": "titanium-return-value"}  # tit_xcom's push returns this value
        assert (await runs.get_dag_run("tit_xcom", dag_run_id)).state == DagRunState.SUCCESS
    finally:
        await runs.delete_dag_run("tit_xcom", dag_run_id)


async def test_dag_versions(v2_client: ApiClient) -> None:
    versions = DagVersionApi(v2_client)
    listing = await versions.get_dag_versions("tit_bash", order_by=["-version_number"])
    numbers = [version.version_number for version in listing.dag_versions or []]
    assert numbers and numbers == sorted(numbers, reverse=True) and listing.total_entries == len(numbers)
    newest = (listing.dag_versions or [])[0]
    assert newest.dag_id == "tit_bash" and newest.bundle_name == "dags-folder"

    assert newest.version_number is not None
    one = await versions.get_dag_version("tit_bash", newest.version_number)
    assert (one.id, one.dag_id, one.version_number, one.created_at) == (
        newest.id,
        "tit_bash",
        newest.version_number,
        newest.created_at,
    )
    with pytest.raises(NotFoundException):
        await versions.get_dag_version("tit_bash", 9999)


async def test_dag_source_as_json_and_as_text(v2_client: ApiClient) -> None:
    sources = DagSourceApi(v2_client)
    on_disk = (DAGS3 / "tit_bash.py").read_text()
    as_json = await sources.get_dag_source("tit_bash")
    assert (as_json.dag_id, as_json.content) == ("tit_bash", on_disk)
    assert as_json.version_number is not None and as_json.version_number >= 1

    as_text = await sources.get_dag_source_text_with_http_info("tit_bash", version_number=as_json.version_number)
    assert as_text.status_code == 200 and as_text.headers["Content-Type"].startswith("text/plain")
    assert as_text.data == on_disk and isinstance(as_text.data, str)
    with pytest.raises(NotFoundException):
        await sources.get_dag_source_text("no_such_dag_here")


async def test_dag_warning_of_tit_pool_warning(v2_client: ApiClient) -> None:
    warnings = await DagWarningApi(v2_client).list_dag_warnings(dag_id="tit_pool_warning")
    assert warnings.total_entries == 1 and len(warnings.dag_warnings or []) == 1
    warning = (warnings.dag_warnings or [])[0]
    assert (warning.dag_id, warning.warning_type) == ("tit_pool_warning", "runtime varying value")
    assert (warning.message or "").startswith("This Dag uses runtime-variable values in Dag construction.")
    by_type = await DagWarningApi(v2_client).list_dag_warnings(warning_type="runtime varying value")
    assert "tit_pool_warning" in [item.dag_id for item in by_type.dag_warnings or []]


async def test_tasks_of_tit_bash(v2_client: ApiClient) -> None:
    tasks = TaskApi(v2_client)
    listing = await tasks.get_tasks("tit_bash")
    assert [task.task_id for task in listing.tasks or []] == ["goodbye", "hello"] and listing.total_entries == 2

    hello = await tasks.get_task("tit_bash", "hello")
    assert (hello.task_id, hello.operator_name, hello.owner) == ("hello", "BashOperator", "titanium")
    assert hello.downstream_task_ids == ["goodbye"] and hello.retries == 0 and hello.is_mapped is False
    assert "bash_command" in (hello.template_fields or [])
    with pytest.raises(NotFoundException):
        await tasks.get_task("tit_bash", "no_such_task")
