"""PoolApi against the real server: create, read, patch (update_mask), rename, list, delete."""

from __future__ import annotations

import asyncio

import pytest

from titanium_airflow_client import (
    ApiClient,
    BadRequestException,
    ConflictException,
    NotFoundException,
    Pool,
    PoolApi,
    ServiceException,
    paginate,
)

from .conftest import Cleanup, sync_paginate, unique_name

SLOT_COUNTS = ("occupied_slots", "running_slots", "queued_slots", "scheduled_slots", "deferred_slots")


@pytest.fixture
def pool_api(api_client: ApiClient) -> PoolApi:
    return PoolApi(api_client)


def track(pool_api: PoolApi, cleanup: Cleanup, name: str) -> None:
    cleanup.add(f"pool {name!r}", lambda: pool_api.delete_pool(name))


def settings(pool: Pool) -> tuple:
    return (pool.name, pool.slots, pool.description, pool.include_deferred)


async def test_seed_pools_read_back(pool_api: PoolApi) -> None:
    seed = await pool_api.get_pool("tit_pool")
    assert settings(seed) == ("tit_pool", 3, "Titanium seed pool (read only)", False)
    default = await pool_api.get_pool("default_pool")
    assert default.name == "default_pool" and default.description == "Default pool"
    assert default.slots is not None and default.slots > 0


async def test_pool_round_trip(pool_api: PoolApi, cleanup: Cleanup) -> None:
    name = unique_name("pool")
    track(pool_api, cleanup, name)
    created = await pool_api.post_pool(Pool(name=name, slots=2, description="first", include_deferred=True))
    assert settings(created) == (name, 2, "first", True)
    assert created.open_slots == 2 and all(getattr(created, count) == 0 for count in SLOT_COUNTS)

    read = await pool_api.get_pool(name)
    assert read.to_dict() == created.to_dict()

    # update_mask=slots: a body with slots alone will do, and nothing else changes.
    patched = await pool_api.patch_pool(name, Pool(slots=5), update_mask=["slots"])
    assert settings(patched) == (name, 5, "first", True) and patched.open_slots == 5
    assert settings(await pool_api.get_pool(name)) == (name, 5, "first", True)

    patched = await pool_api.patch_pool(
        name, Pool(description="second", include_deferred=False), update_mask=["description", "include_deferred"]
    )
    assert settings(patched) == (name, 5, "second", False)
    assert settings(await pool_api.get_pool(name)) == (name, 5, "second", False)

    # Listed, async and blocking.
    listed = [p async for p in paginate(pool_api.get_pools)(limit=1, order_by="name")]
    names = [p.name for p in listed]
    assert names == sorted(names) and len(names) == len(set(names))
    assert {"default_pool", "tit_pool", name} <= set(names)
    assert settings(next(p for p in listed if p.name == name)) == (name, 5, "second", False)
    blocking = await asyncio.to_thread(sync_paginate, "PoolApi", "get_pools", limit=2)
    assert [settings(p) for p in blocking if p.name == name] == [(name, 5, "second", False)]

    await pool_api.delete_pool(name)
    with pytest.raises(NotFoundException) as caught:
        await pool_api.get_pool(name)
    assert caught.value.problem is not None and caught.value.problem.detail == f"Pool with name:'{name}' not found"
    with pytest.raises(NotFoundException):
        await pool_api.delete_pool(name)


async def test_patch_without_update_mask_writes_the_whole_pool(pool_api: PoolApi, cleanup: Cleanup) -> None:
    """Without update_mask the server needs name and slots, and a body without include_deferred
    resets it to False (its load default), whatever it was."""
    name = unique_name("pool-full")
    track(pool_api, cleanup, name)
    await pool_api.post_pool(Pool(name=name, slots=1, description="d", include_deferred=True))
    patched = await pool_api.patch_pool(name, Pool(name=name, slots=3))
    assert settings(patched) == (name, 3, "d", False)
    assert settings(await pool_api.get_pool(name)) == (name, 3, "d", False)
    with pytest.raises(BadRequestException) as caught:
        await pool_api.patch_pool(name, Pool(name=name, description="x"))
    assert caught.value.problem is not None
    assert caught.value.problem.detail == "Missing required property(ies): ['slots']"
    assert settings(await pool_api.get_pool(name)) == (name, 3, "d", False)


async def test_rename_with_update_mask_name(pool_api: PoolApi, cleanup: Cleanup) -> None:
    old, new = unique_name("pool-old"), unique_name("pool-new")
    track(pool_api, cleanup, old)
    track(pool_api, cleanup, new)
    await pool_api.post_pool(Pool(name=old, slots=4, description="moving"))
    renamed = await pool_api.patch_pool(old, Pool(name=new), update_mask=["name"])
    assert settings(renamed) == (new, 4, "moving", False)
    assert settings(await pool_api.get_pool(new)) == (new, 4, "moving", False)
    with pytest.raises(NotFoundException):
        await pool_api.get_pool(old)


async def test_pool_conflicts_and_server_errors(pool_api: PoolApi, cleanup: Cleanup) -> None:
    name = unique_name("pool-dup")
    track(pool_api, cleanup, name)
    await pool_api.post_pool(Pool(name=name, slots=2))
    with pytest.raises(ConflictException) as conflict:
        await pool_api.post_pool(Pool(name=name, slots=7))
    assert conflict.value.problem is not None and conflict.value.problem.detail == f"Pool: {name} already exists"
    with pytest.raises(BadRequestException) as bad_mask:
        await pool_api.patch_pool(name, Pool(slots=9), update_mask=["no_such_field"])
    assert bad_mask.value.problem is not None
    assert bad_mask.value.problem.detail == "Invalid field: no_such_field in update mask"
    # Server bug: a masked field missing from the body is a KeyError, answered 500 with an HTML page.
    with pytest.raises(ServiceException) as crash:
        await pool_api.patch_pool(name, Pool(slots=9), update_mask=["description"])
    assert crash.value.status == 500 and crash.value.problem is None
    with pytest.raises(BadRequestException) as default_pool:
        await pool_api.patch_pool("default_pool", Pool(description="renamed?"), update_mask=["description"])
    assert default_pool.value.problem is not None
    assert default_pool.value.problem.detail == "Default Pool's name can't be modified"
    assert settings(await pool_api.get_pool(name)) == (name, 2, None, False)  # none of that changed it
