"""Where the running Airflow 3.3 differs from spec/v2.yaml: each case of spec/v2-overrides.yaml, the server's
raw answer beside what the client does with it."""

from __future__ import annotations

import uuid
from typing import Awaitable, Callable

import pytest

from titanium_airflow_client import ApiClient, ApiValueError, NotFoundException
from titanium_airflow_client.v2 import DAGApi, DagRunApi, PoolApi, PoolBody, PoolPatchBody, TriggerDAGRunPostBody

from .conftest import RawAnswer

pytestmark = pytest.mark.integration


RawRequest = Callable[..., Awaitable[RawAnswer]]


async def test_delete_dag_answers_204(v2_client: ApiClient, raw_request: RawRequest) -> None:
    # tit_sandbox_deleted is only ever deleted (the DAG processor brings it back from its file).
    answer = await raw_request("DELETE", "/api/v2/dags/tit_sandbox_deleted")
    assert (answer.status, answer.body) == (204, b"") or answer.status == 404  # 404: deleted, not parsed again yet
    assert (await raw_request("DELETE", "/api/v2/dags/no_such_dag_here")).status == 404
    with pytest.raises(NotFoundException):
        await DAGApi(v2_client).delete_dag("no_such_dag_here")


async def test_trigger_without_logical_date_sends_null(v2_client: ApiClient, raw_request: RawRequest) -> None:
    answer = await raw_request("POST", "/api/v2/dags/tit_sandbox_c/dagRuns", {"conf": {}})
    assert answer.status == 422 and b"logical_date" in answer.body  # required, though it may be null
    dag_run_id = f"null_date_{uuid.uuid4().hex[:8]}"
    runs = DagRunApi(v2_client)
    run = await runs.trigger_dag_run("tit_sandbox_c", TriggerDAGRunPostBody(dag_run_id=dag_run_id))
    assert run.dag_run_id == dag_run_id and run.logical_date is None
    await runs.delete_dag_run("tit_sandbox_c", dag_run_id)


async def test_patch_pool_needs_the_whole_pool(v2_client: ApiClient, raw_request: RawRequest) -> None:
    pools = PoolApi(v2_client)
    name = f"whole_pool_{uuid.uuid4().hex[:8]}"
    await pools.post_pool(PoolBody(name=name, slots=2, include_deferred=False))
    try:
        answer = await raw_request("PATCH", f"/api/v2/pools/{name}?update_mask=slots", {"slots": 5})
        assert answer.status == 422, answer.body
        with pytest.raises(ApiValueError, match="include_deferred"):
            await pools.patch_pool(name, PoolPatchBody(slots=5), update_mask=["slots"])
        patched = await pools.patch_pool(
            name, PoolPatchBody(pool=name, slots=5, include_deferred=False), update_mask=["slots"]
        )
        assert patched.slots == 5
    finally:
        await pools.delete_pool(name)
