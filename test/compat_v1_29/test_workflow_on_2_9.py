"""What users do every day, against Airflow 2.9.3: the seed DAG and DAG-run workflow, task instances and their
logs, XCom, variables, pools, connections, paging across pages, following a run and a log; and the models'
tolerance of the fields 2.9 does not send yet."""

from __future__ import annotations

from typing import Any, List

import pytest
from pydantic import BaseModel

from titanium_airflow_client import (
    DAG,
    ApiClient,
    ClearDagRun,
    Connection,
    ConnectionApi,
    DAGApi,
    DAGRun,
    DAGRunApi,
    EventLogApi,
    MonitoringApi,
    NotFoundException,
    Pool,
    PoolApi,
    SetDagRunNote,
    TaskInstanceApi,
    UpdateDagRunState,
    Variable,
    VariableApi,
    XComApi,
    follow_log,
    paginate,
    wait_for_dag_run,
)
from titanium_airflow_client.models import TaskInstanceReferenceCollection

from ..integration.conftest import new_logical_date, new_run_id, unique_name
from ..version_marks import newer_fields
from .conftest import AIRFLOW_VERSION

SANDBOX_DAG = "tit_sandbox_a"  # paused: its runs stay queued
PATCH_DAG = "tit_sandbox_b"  # paused, no runs: pause/unpause


def assert_tolerant(item: BaseModel) -> None:
    """Every field 2.9 does not send yet ("New in Airflow 2.10" and later) decodes as None, unsent."""
    newer = newer_fields(type(item), AIRFLOW_VERSION)
    assert {name: getattr(item, name) for name in newer} == dict.fromkeys(newer)
    assert not newer.keys() & item.model_fields_set, (
        f"2.9.3 sent fields marked newer: {newer.keys() & item.model_fields_set}"
    )


async def test_the_server_is_airflow_2_9_3(client: ApiClient) -> None:
    version = await MonitoringApi(client).get_version()
    assert version.version == AIRFLOW_VERSION


async def test_dag_and_dag_run_workflow(client: ApiClient, created_runs: List[Any]) -> None:
    dags, runs = DAGApi(client), DAGRunApi(client)
    dag = await dags.get_dag(PATCH_DAG)
    assert dag.dag_id == PATCH_DAG and dag.tags is not None
    paused = await dags.patch_dag(PATCH_DAG, DAG(is_paused=True), update_mask=["is_paused"])
    assert paused.is_paused is True
    unpaused = await dags.patch_dag(PATCH_DAG, DAG(is_paused=False), update_mask=["is_paused"])
    assert unpaused.is_paused is False
    await dags.patch_dag(PATCH_DAG, DAG(is_paused=True), update_mask=["is_paused"])
    assert (await dags.get_dag(SANDBOX_DAG)).is_paused is True  # its runs stay queued

    run_id = new_run_id("workflow")
    created_runs.append((SANDBOX_DAG, run_id))
    logical_date = new_logical_date()
    run = await runs.post_dag_run(
        SANDBOX_DAG, DAGRun(dag_run_id=run_id, logical_date=logical_date, conf={"rows": 3}, note="from the suite")
    )
    assert (run.dag_run_id, run.state, run.conf, run.note) == (run_id, "queued", {"rows": 3}, "from the suite")
    assert run.logical_date == logical_date
    assert_tolerant(run)

    listed = await runs.get_dag_runs(SANDBOX_DAG, order_by="-execution_date", limit=100)
    assert run_id in [item.dag_run_id for item in listed.dag_runs or []]
    got = await runs.get_dag_run(SANDBOX_DAG, run_id)
    assert got.dag_run_id == run_id and got.conf == {"rows": 3}

    failed = await runs.update_dag_run_state(SANDBOX_DAG, run_id, UpdateDagRunState(state="failed"))
    assert failed.state == "failed"
    noted = await runs.set_dag_run_note(SANDBOX_DAG, run_id, SetDagRunNote(note="changed"))
    assert noted.note == "changed"

    dry = await runs.clear_dag_run(SANDBOX_DAG, run_id, ClearDagRun(dry_run=True))
    assert isinstance(dry.actual_instance, TaskInstanceReferenceCollection)
    assert {ref.task_id for ref in dry.actual_instance.task_instances or []} == {"noop"}
    cleared = await runs.clear_dag_run(SANDBOX_DAG, run_id, ClearDagRun(dry_run=False))
    assert isinstance(cleared.actual_instance, DAGRun) and cleared.actual_instance.state == "queued"

    await runs.delete_dag_run(SANDBOX_DAG, run_id)
    with pytest.raises(NotFoundException):
        await runs.get_dag_run(SANDBOX_DAG, run_id)


async def test_task_instances_and_their_logs(client: ApiClient, bash_run: DAGRun) -> None:
    assert bash_run.state == "success" and bash_run.dag_run_id is not None
    task_instances = TaskInstanceApi(client)
    listed = await task_instances.get_task_instances("tit_bash", bash_run.dag_run_id)
    assert {(ti.task_id, ti.state) for ti in listed.task_instances or []} == {
        ("hello", "success"),
        ("goodbye", "success"),
    }
    hello = await task_instances.get_task_instance("tit_bash", bash_run.dag_run_id, "hello")
    assert hello.try_number == 1 and hello.operator == "BashOperator"
    assert_tolerant(hello)
    log = await task_instances.get_log("tit_bash", bash_run.dag_run_id, "hello", 1, full_content=True)
    assert f"hello from {bash_run.dag_run_id}" in (log.content or "")
    text = await task_instances.get_log_text("tit_bash", bash_run.dag_run_id, "hello", 1, full_content=True)
    assert f"hello from {bash_run.dag_run_id}" in text
    lines = [line async for line in follow_log(client, "tit_bash", bash_run.dag_run_id, "hello", poll_interval=0.5)]
    assert any(f"hello from {bash_run.dag_run_id}" in line for line in lines)
    events = await EventLogApi(client).get_event_logs(dag_id="tit_bash", run_id=bash_run.dag_run_id, limit=100)
    assert events.event_logs, "2.9.3 records events of the run"
    for event in events.event_logs:
        assert_tolerant(event)


async def test_xcom(client: ApiClient, xcom_run: DAGRun) -> None:
    assert xcom_run.state == "success" and xcom_run.dag_run_id is not None
    xcoms = XComApi(client)
    listed = await xcoms.get_xcom_entries("tit_xcom", xcom_run.dag_run_id, "push")
    assert {entry.key for entry in listed.xcom_entries or []} == {"return_value", "titanium_dict"}
    entry = await xcoms.get_xcom_entry("tit_xcom", xcom_run.dag_run_id, "push", "return_value")
    assert entry.value == "titanium-return-value"
    native = await xcoms.get_xcom_entry("tit_xcom", xcom_run.dag_run_id, "push", "titanium_dict", deserialize=True)
    assert "answer" in str(native.value)


async def test_variables(client: ApiClient) -> None:
    variables = VariableApi(client)
    key = unique_name("var")
    try:
        created = await variables.post_variables(Variable(key=key, value="1", description="compat"))
        assert (created.key, created.value) == (key, "1")
        patched = await variables.patch_variable(key, Variable(key=key, value="2"))  # no mask: value is no field of it
        assert patched.value == "2"
        assert (await variables.get_variable(key)).value == "2"
        assert key in [item.key async for item in paginate(variables.get_variables)(limit=2)]
        seed = await variables.get_variable("tit_variable")
        assert seed.value == '{"titanium": true}'
    finally:
        await variables.delete_variable(key)
    with pytest.raises(NotFoundException):
        await variables.get_variable(key)


async def test_pools(client: ApiClient) -> None:
    pools = PoolApi(client)
    name = unique_name("pool")
    try:
        created = await pools.post_pool(Pool(name=name, slots=2, description="compat"))
        assert (created.name, created.slots, created.open_slots) == (name, 2, 2)
        patched = await pools.patch_pool(name, Pool(name=name, slots=5), update_mask=["slots"])
        assert patched.slots == 5
        assert_tolerant(patched)
        names = [pool.name async for pool in paginate(pools.get_pools)(limit=1)]
        assert {name, "tit_pool", "default_pool"} <= set(names) and len(names) == len(set(names))
    finally:
        await pools.delete_pool(name)


async def test_connections(client: ApiClient) -> None:
    connections = ConnectionApi(client)
    conn_id = unique_name("conn")
    try:
        created = await connections.post_connection(
            Connection(connection_id=conn_id, conn_type="http", host="127.0.0.1", port=9, password="secret")
        )
        assert (created.connection_id, created.conn_type, created.port) == (conn_id, "http", 9)
        patched = await connections.patch_connection(
            conn_id, Connection(connection_id=conn_id, conn_type="http", host="example.org"), update_mask=["host"]
        )
        assert patched.host == "example.org"
        seed = await connections.get_connection("tit_connection")
        assert (seed.conn_type, seed.login) == ("http", "titanium")
        assert conn_id in [item.connection_id async for item in paginate(connections.get_connections)(limit=1)]
    finally:
        await connections.delete_connection(conn_id)


async def test_paging_across_pages(client: ApiClient, created_runs: List[Any]) -> None:
    dags, runs = DAGApi(client), DAGRunApi(client)
    paged = [dag.dag_id async for dag in paginate(dags.get_dags)(tags=["paging"], limit=5, order_by="dag_id")]
    assert paged == [f"tit_page_{i:02d}" for i in range(12)]  # three pages of at most five
    created: List[str] = []
    for _ in range(5):
        run_id = new_run_id("paging")
        created_runs.append((SANDBOX_DAG, run_id))
        await runs.post_dag_run(SANDBOX_DAG, DAGRun(dag_run_id=run_id, logical_date=new_logical_date()))
        created.append(run_id)
    one_dag = [
        run.dag_run_id async for run in paginate(runs.get_dag_runs, prefetch=2)(SANDBOX_DAG, limit=2, order_by="id")
    ]
    assert [run_id for run_id in one_dag if run_id in created] == created  # in creation order, none lost or doubled
    assert len(one_dag) == len(set(one_dag)) == (await runs.get_dag_runs(SANDBOX_DAG, limit=1)).total_entries


async def test_wait_for_dag_run_polls_to_the_end(client: ApiClient, created_runs: List[Any]) -> None:
    runs = DAGRunApi(client)
    run_id = new_run_id("wait")
    created_runs.append(("tit_bash", run_id))
    await runs.post_dag_run("tit_bash", DAGRun(dag_run_id=run_id))
    seen: List[str] = []
    final = await wait_for_dag_run(
        client, "tit_bash", run_id, poll_interval=0.5, timeout=300, on_change=lambda p: seen.append(p.state)
    )
    assert (final.state, final.task_counts, final.final) == ("success", {"success": 2}, True)
    assert seen[-1] == "success"
