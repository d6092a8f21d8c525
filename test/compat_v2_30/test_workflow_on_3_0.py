"""What users do every day, against Airflow 3.0.6: the seed DAG and DAG-run workflow, task instances and their
logs, XCom, variables, pools, connections, paging across pages (runs by offset: ``cursor`` is 3.2), following
a run (by polling: the wait stream is 3.1) and a log; and the models' tolerance of the fields 3.0 does not send."""

from __future__ import annotations

import json
from typing import Any, List

import pytest
from pydantic import BaseModel

from titanium_airflow_client import ApiClient, NotFoundException, follow_log, paginate, wait_for_dag_run
from titanium_airflow_client.v2 import (
    ClearTaskInstanceCollectionResponse,
    ConnectionApi,
    ConnectionBody,
    DAGApi,
    DAGPatchBody,
    DagRunApi,
    DAGRunClearBody,
    DAGRunPatchBody,
    DAGRunResponse,
    DagRunState,
    EventLogApi,
    PoolApi,
    PoolBody,
    PoolPatchBody,
    TaskInstanceApi,
    TriggerDAGRunPostBody,
    VariableApi,
    VariableBody,
    VersionApi,
    XComApi,
    XComResponseNative,
)

from ..integration_v2.conftest import unique
from ..integration_v2.test_task_instance_api import log_events
from ..version_marks import newer_fields
from .conftest import AIRFLOW_VERSION, RUN_TIMEOUT, client_30, new_run_id

SANDBOX_DAG = "tit_sandbox_a"  # paused: its runs stay queued
PATCH_DAG = "tit_sandbox_b"  # paused, no runs: pause/unpause
XCOM_DICT = {"answer": 42, "items": [1, "two", 3.5, None, True], "nested": {"ok": True}, "text": "héllo ✓"}


def assert_tolerant(item: BaseModel) -> None:
    """Every field 3.0 does not send yet ("New in Airflow 3.1" and later) decodes as None, unsent."""
    newer = newer_fields(type(item), AIRFLOW_VERSION)
    assert {name: getattr(item, name) for name in newer} == dict.fromkeys(newer)
    assert not newer.keys() & item.model_fields_set, (
        f"3.0.6 sent fields marked newer: {newer.keys() & item.model_fields_set}"
    )


async def sandbox_run(runs: DagRunApi, created_runs: List[Any], label: str, **fields: Any) -> DAGRunResponse:
    """A queued run of the paused tit_sandbox_a; it never executes."""
    run_id = new_run_id(label)
    created_runs.append((SANDBOX_DAG, run_id))
    return await runs.trigger_dag_run(SANDBOX_DAG, TriggerDAGRunPostBody(dag_run_id=run_id, **fields))


async def test_the_server_is_airflow_3_0_6(client: ApiClient) -> None:
    assert (await VersionApi(client).get_version()).version == AIRFLOW_VERSION


async def test_dag_and_dag_run_workflow(client: ApiClient, created_runs: List[Any]) -> None:
    dags, runs = DAGApi(client), DagRunApi(client)
    dag = await dags.get_dag(PATCH_DAG)
    assert dag.dag_id == PATCH_DAG
    assert_tolerant(dag)
    assert_tolerant(await dags.get_dag_details(PATCH_DAG))
    paused = await dags.patch_dag(PATCH_DAG, DAGPatchBody(is_paused=True), update_mask=["is_paused"])
    assert paused.is_paused is True
    assert (await dags.patch_dag(PATCH_DAG, DAGPatchBody(is_paused=False))).is_paused is False
    await dags.patch_dag(PATCH_DAG, DAGPatchBody(is_paused=True))
    assert (await dags.get_dag(SANDBOX_DAG)).is_paused is True  # its runs stay queued

    run = await sandbox_run(runs, created_runs, "workflow", conf={"rows": 3}, note="from the suite")
    run_id = run.dag_run_id
    assert (run.state, run.conf, run.note, run.logical_date) == (
        DagRunState.QUEUED,
        {"rows": 3},
        "from the suite",
        None,
    )
    assert_tolerant(run)

    listed = await runs.get_dag_runs(SANDBOX_DAG, order_by=["-run_after"], limit=100)
    assert run_id in [item.dag_run_id for item in listed.dag_runs]
    got = await runs.get_dag_run(SANDBOX_DAG, run_id)
    assert got.dag_run_id == run_id and got.conf == {"rows": 3}

    failed = await runs.patch_dag_run(SANDBOX_DAG, run_id, DAGRunPatchBody(state="failed"), update_mask=["state"])
    assert failed.state == DagRunState.FAILED
    noted = await runs.patch_dag_run(SANDBOX_DAG, run_id, DAGRunPatchBody(note="changed"), update_mask=["note"])
    assert noted.note == "changed"
    assert (await runs.get_dag_run(SANDBOX_DAG, run_id)).state == DagRunState.FAILED

    dry = (await runs.clear_dag_run(SANDBOX_DAG, run_id, DAGRunClearBody(dry_run=True))).actual_instance
    assert isinstance(dry, ClearTaskInstanceCollectionResponse)
    assert [ti.task_id for ti in dry.task_instances or []] == ["noop"]
    cleared = (await runs.clear_dag_run(SANDBOX_DAG, run_id, DAGRunClearBody(dry_run=False))).actual_instance
    assert isinstance(cleared, DAGRunResponse) and cleared.state == DagRunState.QUEUED

    assert await runs.delete_dag_run(SANDBOX_DAG, run_id) is None
    with pytest.raises(NotFoundException):
        await runs.get_dag_run(SANDBOX_DAG, run_id)


async def test_task_instances_and_their_logs(client: ApiClient, bash_run: DAGRunResponse) -> None:
    assert bash_run.state == DagRunState.SUCCESS
    run_id = bash_run.dag_run_id
    tis = TaskInstanceApi(client)
    listed = await tis.get_task_instances("tit_bash", run_id)
    assert sorted((ti.task_id, ti.state) for ti in listed.task_instances) == [
        ("goodbye", "success"),
        ("hello", "success"),
    ]
    hello = await tis.get_task_instance("tit_bash", run_id, "hello")
    assert (hello.try_number, hello.map_index, hello.operator) == (1, -1, "BashOperator")
    assert_tolerant(hello)
    log = await tis.get_log("tit_bash", run_id, "hello", 1, full_content=True)
    assert any(f"hello from {run_id}" in line for line in log_events(log.content))
    lines = [line async for line in follow_log(client, "tit_bash", run_id, "hello", poll_interval=0.5)]
    assert any(f"hello from {run_id}" in line for line in lines)
    events = await EventLogApi(client).get_event_logs(dag_id="tit_bash", run_id=run_id, limit=100)
    for event in events.event_logs:
        assert_tolerant(event)


async def test_xcom(client: ApiClient, xcom_run: DAGRunResponse) -> None:
    assert xcom_run.state == DagRunState.SUCCESS
    xcoms = XComApi(client)
    listed = await xcoms.get_xcom_entries("tit_xcom", xcom_run.dag_run_id, "push")
    assert {"return_value", "titanium_dict"} <= {entry.key for entry in listed.xcom_entries}
    for entry in listed.xcom_entries:
        assert_tolerant(entry)
    # v2's order: dag_id, task_id, dag_run_id, key
    native = (await xcoms.get_xcom_entry("tit_xcom", "push", xcom_run.dag_run_id, "titanium_dict")).actual_instance
    assert isinstance(native, XComResponseNative) and native.value == XCOM_DICT
    assert_tolerant(native)


async def test_variables(client: ApiClient) -> None:
    variables = VariableApi(client)
    key = unique("compat30_var")
    try:
        created = await variables.post_variable(VariableBody(key=key, value="1", description="compat"))
        assert (created.key, created.value) == (key, "1")
        assert_tolerant(created)
        patched = await variables.patch_variable(key, VariableBody(key=key, value="2"), update_mask=["value"])
        assert patched.value == "2"
        assert (await variables.get_variable(key)).value == "2"
        assert key in [item.key async for item in paginate(variables.get_variables)(limit=2)]
        assert (await variables.get_variable("tit_variable")).value == '{"titanium": true}'
    finally:
        await variables.delete_variable(key)
    with pytest.raises(NotFoundException):
        await variables.get_variable(key)


async def test_pools(client: ApiClient) -> None:
    pools = PoolApi(client)
    name = unique("compat30_pool")
    try:
        created = await pools.post_pool(PoolBody(name=name, slots=2, description="compat", include_deferred=False))
        assert (created.name, created.slots, created.open_slots) == (name, 2, 2)
        assert_tolerant(created)
        patched = await pools.patch_pool(
            name, PoolPatchBody(pool=name, slots=5, include_deferred=False), update_mask=["slots"]
        )
        assert patched.slots == 5
        names = [pool.name async for pool in paginate(pools.get_pools)(limit=1)]
        assert {name, "tit_pool", "default_pool"} <= set(names) and len(names) == len(set(names))
    finally:
        await pools.delete_pool(name)


async def test_connections(client: ApiClient) -> None:
    connections = ConnectionApi(client)
    conn_id = unique("compat30_conn")
    try:
        created = await connections.post_connection(
            ConnectionBody(connection_id=conn_id, conn_type="fs", host="h", port=9, extra=json.dumps({"path": "/tmp"}))
        )
        assert (created.connection_id, created.conn_type, created.port) == (conn_id, "fs", 9)
        assert_tolerant(created)
        patched = await connections.patch_connection(
            conn_id, ConnectionBody(connection_id=conn_id, conn_type="fs", host="other"), update_mask=["host"]
        )
        assert patched.host == "other"
        seed = await connections.get_connection("tit_connection")
        assert (seed.conn_type, seed.login) == ("http", "titanium")
        assert conn_id in [item.connection_id async for item in paginate(connections.get_connections)(limit=1)]
    finally:
        await connections.delete_connection(conn_id)


async def test_paging_across_pages(client: ApiClient, created_runs: List[Any]) -> None:
    dags, runs = DAGApi(client), DagRunApi(client)
    paged = [dag.dag_id async for dag in paginate(dags.get_dags)(tags=["paging"], limit=5, order_by=["dag_id"])]
    assert paged == [f"tit_page_{i:02d}" for i in range(12)]  # three pages of at most five
    created = [(await sandbox_run(runs, created_runs, "paging")).dag_run_id for _ in range(5)]
    total = (await runs.get_dag_runs(SANDBOX_DAG, limit=1)).total_entries
    # The client knows 3.0.6 has no cursor (it asked the version), so it pages by offset at once; told a newer
    # version, it sends cursor=, which 3.0.6 ignores, and goes on by offset after the first page.
    async with client_30(server_version="3.3.2") as misinformed:
        for api in (runs, DagRunApi(misinformed)):
            ids = [
                run.dag_run_id
                async for run in paginate(api.get_dag_runs, prefetch=2)(SANDBOX_DAG, limit=2, order_by=["id"])
            ]
            assert [run_id for run_id in ids if run_id in created] == created  # in creation order, none lost or doubled
            assert len(ids) == len(set(ids)) == total


@pytest.mark.parametrize("server_version", [None, "3.3.2"], ids=["version-learned", "told-3.3.2"])
async def test_wait_for_dag_run_polls_without_the_wait_stream(created_runs: List[Any], server_version: Any) -> None:
    """Knowing the version, the client does not try the stream (3.1); told a newer one, it gets 404 and polls."""
    async with client_30(server_version=server_version) as api_client:
        runs = DagRunApi(api_client)
        run_id = new_run_id("wait")
        created_runs.append(("tit_bash", run_id))
        await runs.trigger_dag_run("tit_bash", TriggerDAGRunPostBody(dag_run_id=run_id))
        seen: List[str] = []
        final = await wait_for_dag_run(
            api_client,
            "tit_bash",
            run_id,
            poll_interval=0.5,
            timeout=RUN_TIMEOUT,
            on_change=lambda p: seen.append(p.state),
        )
    assert (final.state, final.task_counts, final.final) == ("success", {"success": 2}, True)
    assert seen[-1] == "success" and isinstance(final.run, DAGRunResponse)
