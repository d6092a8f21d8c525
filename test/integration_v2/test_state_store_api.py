"""AssetStateStoreApi and TaskStateStoreApi against the local Airflow 3.3: set (create and overwrite), read one,
list, patch (task keys), delete one and clear all keys, each write confirmed by a read and each delete by a 404;
the server's refusals (null values, unknown assets and task instances).

The asset keys live on tit_state_asset and the task keys on the task "emit" of a run of tit_asset_alias: that
DAG is paused, so the run stays queued with its task instance in place, and nothing else uses either."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import AsyncIterator, Dict, List

import pytest

from titanium_airflow_client import ApiClient, NotFoundException, UnprocessableEntityException
from titanium_airflow_client.v2 import (
    AssetApi,
    AssetStateStoreApi,
    AssetStateStoreBody,
    AssetStateStoreResponse,
    AssetStateStoreWriterKind,
    DagRunApi,
    TaskStateStoreApi,
    TaskStateStoreBody,
    TaskStateStorePatchBody,
    TaskStateStoreResponse,
    TriggerDAGRunPostBody,
)

from .asset_helpers import STATE_ASSET, asset_id_named

pytestmark = pytest.mark.integration

DAG_ID = "tit_asset_alias"  # paused: a run stays queued, its task instance exists and never runs
TASK_ID = "emit"


def key(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def queued_run(v2_client: ApiClient) -> AsyncIterator[str]:
    """The run id of a fresh run of the paused tit_asset_alias (deleted afterwards)."""
    runs = DagRunApi(v2_client)
    dag_run_id = key("state_store")
    await runs.trigger_dag_run(DAG_ID, TriggerDAGRunPostBody(dag_run_id=dag_run_id))
    try:
        yield dag_run_id
    finally:
        await runs.delete_dag_run(DAG_ID, dag_run_id)


async def test_asset_state_store_set_read_list_delete_and_clear(v2_client: ApiClient) -> None:
    store = AssetStateStoreApi(v2_client)
    asset_id = await asset_id_named(AssetApi(v2_client), STATE_ASSET)
    first, second = key("asset_first"), key("asset_second")
    try:
        assert await store.set_asset_state_store(first, asset_id, AssetStateStoreBody(value={"rows": 3})) is None
        await store.set_asset_state_store(second, asset_id, {"value": ["a", 1, True]})

        entry = await store.get_asset_state_store(first, asset_id)
        assert isinstance(entry, AssetStateStoreResponse)
        assert (entry.key, entry.value) == (first, {"rows": 3}) and entry.updated_at is not None
        assert entry.last_updated_by is not None and entry.last_updated_by.kind == AssetStateStoreWriterKind.API
        assert entry.last_updated_by.dag_id is None  # written through the API, not by a task

        # PUT overwrites an existing key.
        await store.set_asset_state_store(first, asset_id, AssetStateStoreBody(value="replaced"))
        replaced = await store.get_asset_state_store(first, asset_id)
        assert replaced.value == "replaced" and replaced.updated_at and replaced.updated_at >= entry.updated_at

        listing = await store.list_asset_state_store(asset_id, limit=100)
        mine: Dict[str, object] = {
            item.key: item.value for item in listing.asset_state_store or [] if item.key in (first, second)
        }
        assert mine == {first: "replaced", second: ["a", 1, True]}
        assert (listing.total_entries or 0) >= 2
        one_page = await store.list_asset_state_store(asset_id, limit=1)
        assert len(one_page.asset_state_store or []) == 1 and one_page.total_entries == listing.total_entries

        assert await store.delete_asset_state_store(first, asset_id) is None
        with pytest.raises(NotFoundException) as gone:
            await store.get_asset_state_store(first, asset_id)
        assert gone.value.detail == f"Asset state store key '{first}' not found"
        assert await store.delete_asset_state_store(first, asset_id) is None  # deleting a missing key: a no-op

        assert await store.clear_asset_state_store(asset_id) is None
        assert (await store.list_asset_state_store(asset_id)).asset_state_store == []
        with pytest.raises(NotFoundException):
            await store.get_asset_state_store(second, asset_id)
    finally:
        await store.clear_asset_state_store(asset_id)


async def test_asset_state_store_refusals(v2_client: ApiClient) -> None:
    store = AssetStateStoreApi(v2_client)
    asset_id = await asset_id_named(AssetApi(v2_client), STATE_ASSET)
    with pytest.raises(UnprocessableEntityException) as null_value:
        await store.set_asset_state_store(key("null"), asset_id, AssetStateStoreBody(value=None))
    assert null_value.value.status == 422
    assert [(error.loc, error.msg) for error in null_value.value.errors] == [
        (["body", "value"], "Value error, value cannot be null")
    ]
    with pytest.raises(NotFoundException) as no_asset:
        await store.list_asset_state_store(987654321)
    assert no_asset.value.detail == "Asset with id 987654321 not found"
    with pytest.raises(NotFoundException):
        await store.set_asset_state_store("k", 987654321, AssetStateStoreBody(value=1))


async def test_task_state_store_set_read_list_patch_delete_and_clear(v2_client: ApiClient, queued_run: str) -> None:
    store = TaskStateStoreApi(v2_client)
    kept, expiring, forever = key("task_kept"), key("task_expiring"), key("task_forever")
    started = datetime.now(timezone.utc)
    assert await store.set_task_state_store(kept, DAG_ID, queued_run, TASK_ID, TaskStateStoreBody(value=[1, 2])) is None
    expires = started + timedelta(days=2)
    await store.set_task_state_store(
        expiring, DAG_ID, queued_run, TASK_ID, TaskStateStoreBody(value={"n": 1}, expires_at=expires)
    )
    await store.set_task_state_store(forever, DAG_ID, queued_run, TASK_ID, {"value": "x", "expires_at": None})

    entry = await store.get_task_state_store(kept, DAG_ID, queued_run, TASK_ID)
    assert isinstance(entry, TaskStateStoreResponse)
    assert (entry.key, entry.value) == (kept, [1, 2])
    # expires_at left at "default": the configured retention (30 days on this server), counted from the write.
    assert entry.expires_at is not None and entry.expires_at - started > timedelta(days=29)
    assert (await store.get_task_state_store(expiring, DAG_ID, queued_run, TASK_ID)).expires_at == expires
    assert (await store.get_task_state_store(forever, DAG_ID, queued_run, TASK_ID)).expires_at is None

    listing = await store.list_task_state_store(DAG_ID, queued_run, TASK_ID)
    values = {item.key: item.value for item in listing.task_state_store or []}
    assert values == {kept: [1, 2], expiring: {"n": 1}, forever: "x"} and listing.total_entries == 3
    paged: List[TaskStateStoreResponse] = []
    for offset in range(3):
        page = await store.list_task_state_store(DAG_ID, queued_run, TASK_ID, limit=1, offset=offset)
        paged += page.task_state_store or []
    assert sorted(item.key or "" for item in paged) == sorted(values)

    # PATCH changes the value only: the expiry stays.
    patched = await store.patch_task_state_store(
        kept, DAG_ID, queued_run, TASK_ID, TaskStateStorePatchBody(value={"z": 1})
    )
    assert patched is None  # the server answers 200 with a JSON null
    after_patch = await store.get_task_state_store(kept, DAG_ID, queued_run, TASK_ID)
    assert after_patch.value == {"z": 1} and after_patch.expires_at == entry.expires_at
    with pytest.raises(NotFoundException) as no_key:
        await store.patch_task_state_store("no_such_key", DAG_ID, queued_run, TASK_ID, {"value": 1})
    assert no_key.value.detail == "Task state store key 'no_such_key' not found"

    assert await store.delete_task_state_store(kept, DAG_ID, queued_run, TASK_ID) is None
    with pytest.raises(NotFoundException) as gone:
        await store.get_task_state_store(kept, DAG_ID, queued_run, TASK_ID)
    assert gone.value.detail == f"Task state store key '{kept}' not found"

    assert await store.clear_task_state_store(DAG_ID, queued_run, TASK_ID, all_map_indices=True) is None
    cleared = await store.list_task_state_store(DAG_ID, queued_run, TASK_ID)
    assert cleared.task_state_store == [] and cleared.total_entries == 0

    await store.set_task_state_store(kept, DAG_ID, queued_run, TASK_ID, TaskStateStoreBody(value=0))
    assert await store.clear_task_state_store(DAG_ID, queued_run, TASK_ID, map_index=-1) is None
    with pytest.raises(NotFoundException):
        await store.get_task_state_store(kept, DAG_ID, queued_run, TASK_ID)


async def test_task_state_store_needs_the_task_instance(v2_client: ApiClient, queued_run: str) -> None:
    store = TaskStateStoreApi(v2_client)
    with pytest.raises(NotFoundException) as no_run:
        await store.set_task_state_store("k", DAG_ID, "no_such_run", TASK_ID, TaskStateStoreBody(value=1))
    assert no_run.value.detail == (
        f"Task instance not found for dag_id='{DAG_ID}', run_id='no_such_run', task_id='{TASK_ID}', map_index=-1"
    )
    # The task is not mapped: map index 0 is no task instance.
    with pytest.raises(NotFoundException) as no_index:
        await store.set_task_state_store("k", DAG_ID, queued_run, TASK_ID, TaskStateStoreBody(value=1), map_index=0)
    assert no_index.value.detail == (
        f"Task instance not found for dag_id='{DAG_ID}', run_id='{queued_run}', task_id='{TASK_ID}', map_index=0"
    )
