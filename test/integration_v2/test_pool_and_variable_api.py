"""Pools and Variables on Airflow 3, through titanium_airflow_client.v2 against the local Airflow 3.3: create,
read (the seed objects too), list by pattern and by page, patch (the whole pool, as the server needs; a
variable by mask), delete (then 404), and bulk create/update/delete with per-entity errors."""

from __future__ import annotations

import json

import pytest

from titanium_airflow_client import (
    ApiClient,
    ConflictException,
    NotFoundException,
    UnprocessableEntityException,
    paginate,
)
from titanium_airflow_client.v2 import (
    BulkBodyPoolBody,
    BulkBodyVariableBody,
    BulkCreateActionPoolBody,
    BulkCreateActionVariableBody,
    BulkDeleteActionPoolBody,
    BulkDeleteActionVariableBody,
    BulkUpdateActionPoolBody,
    BulkUpdateActionVariableBody,
    PoolApi,
    PoolBody,
    PoolPatchBody,
    VariableApi,
    VariableBody,
)

from .conftest import delete_all, unique

pytestmark = pytest.mark.integration


# --------------------------------------------------------------------------- pools


async def test_seed_pool_reads_as_seeded(v2_client: ApiClient) -> None:
    pool = await PoolApi(v2_client).get_pool("tit_pool")
    assert (pool.name, pool.slots, pool.description, pool.include_deferred) == (
        "tit_pool",
        3,
        "Titanium seed pool (read only)",
        False,
    )
    assert pool.open_slots is not None and pool.open_slots <= 3


async def test_post_get_list_patch_and_delete_a_pool(v2_client: ApiClient) -> None:
    pools = PoolApi(v2_client)
    name = unique("pool_crud")
    try:
        created = await pools.post_pool(PoolBody(name=name, slots=4, description="by the suite", include_deferred=True))
        assert (created.name, created.slots, created.description, created.include_deferred) == (
            name,
            4,
            "by the suite",
            True,
        )
        assert (created.open_slots, created.occupied_slots, created.running_slots) == (4, 0, 0)
        with pytest.raises(ConflictException):
            await pools.post_pool({"name": name, "slots": 1})

        assert (await pools.get_pool(name)).slots == 4
        listing = await pools.get_pools(pool_name_pattern=name)
        assert [p.name for p in listing.pools] == [name] and listing.total_entries == 1
        by_prefix = await pools.get_pools(pool_name_prefix_pattern=name, order_by=["-name"])
        assert [p.name for p in by_prefix.pools] == [name]
        paged = [p.name async for p in paginate(pools.get_pools)(pool_name_pattern="pool_crud_", limit=1)]
        assert name in paged

        # The override: the server wants pool, slots and include_deferred whatever update_mask names.
        patched = await pools.patch_pool(
            name,
            PoolPatchBody(pool=name, slots=7, include_deferred=True, description="patched"),
            update_mask=["slots", "description"],
        )
        assert (patched.slots, patched.description, patched.open_slots) == (7, "patched", 7)
        masked = await pools.patch_pool(
            name, {"pool": name, "slots": 9, "include_deferred": False, "description": "kept?"}, update_mask=["slots"]
        )
        assert (masked.slots, masked.description, masked.include_deferred) == (9, "patched", True)  # mask: slots only
        assert (await pools.get_pool(name)).slots == 9

        assert await pools.delete_pool(name) is None
        with pytest.raises(NotFoundException):
            await pools.get_pool(name)
        with pytest.raises(NotFoundException):
            await pools.delete_pool(name)
    finally:
        await delete_all(pools.delete_pool, name)


async def test_bulk_create_update_and_delete_pools(v2_client: ApiClient) -> None:
    pools = PoolApi(v2_client)
    first, second = unique("pool_bulk"), unique("pool_bulk")
    try:
        created = await pools.bulk_pools(
            BulkBodyPoolBody(
                actions=[
                    BulkCreateActionPoolBody(
                        entities=[PoolBody(name=first, slots=1), PoolBody(name=second, slots=2, description="two")]
                    )
                ]
            )
        )
        assert created.create is not None and sorted(created.create.success or []) == sorted([first, second])
        assert not created.create.errors
        assert (await pools.get_pool(second)).description == "two"

        # As with patch_pool, the server validates each updated pool whole: include_deferred too, mask or not.
        with pytest.raises(UnprocessableEntityException) as refused:
            await pools.bulk_pools(
                BulkBodyPoolBody(
                    actions=[BulkUpdateActionPoolBody(entities=[PoolBody(name=first, slots=5)], update_mask=["slots"])]
                )
            )
        assert [(e.loc, e.type) for e in refused.value.errors] == [(["include_deferred"], "missing")]
        assert (await pools.get_pool(first)).slots == 1

        changed = await pools.bulk_pools(
            BulkBodyPoolBody(
                actions=[
                    BulkUpdateActionPoolBody(
                        entities=[PoolBody(name=first, slots=5, include_deferred=False)], update_mask=["slots"]
                    ),
                    BulkDeleteActionPoolBody(entities=[second]),
                ]
            )
        )
        assert changed.update is not None and changed.update.success == [first]
        assert changed.delete is not None and changed.delete.success == [second]
        assert (await pools.get_pool(first)).slots == 5
        with pytest.raises(NotFoundException):
            await pools.get_pool(second)

        missing = await pools.bulk_pools({"actions": [{"action": "delete", "entities": [second]}]})
        assert missing.delete is not None and not missing.delete.success
        assert missing.delete.errors and missing.delete.errors[0]["status_code"] == 404
    finally:
        await delete_all(pools.delete_pool, first, second)


# --------------------------------------------------------------------------- variables


async def test_seed_variable_reads_as_seeded(v2_client: ApiClient) -> None:
    variable = await VariableApi(v2_client).get_variable("tit_variable")
    assert (variable.key, variable.description) == ("tit_variable", "Titanium seed variable (read only)")
    assert json.loads(variable.value or "") == {"titanium": True}


async def test_post_get_list_patch_and_delete_a_variable(v2_client: ApiClient) -> None:
    variables = VariableApi(v2_client)
    key = unique("var_crud")
    try:
        created = await variables.post_variable(
            VariableBody(key=key, value={"rows": [1, 2]}, description="by the suite")
        )
        # A JSON value is stored as its text; the answer gives that text back.
        assert (created.key, json.loads(created.value or ""), created.description) == (
            key,
            {"rows": [1, 2]},
            "by the suite",
        )
        with pytest.raises(ConflictException):
            await variables.post_variable({"key": key, "value": "again"})

        read = await variables.get_variable(key)
        assert json.loads(read.value or "") == {"rows": [1, 2]}
        listing = await variables.get_variables(variable_key_pattern=key)
        assert [v.key for v in listing.variables] == [key] and listing.total_entries == 1
        by_prefix = await variables.get_variables(variable_key_prefix_pattern=key, order_by=["key"])
        assert [v.key for v in by_prefix.variables] == [key]
        paged = [v.key async for v in paginate(variables.get_variables)(variable_key_pattern="var_crud_", limit=1)]
        assert key in paged

        masked = await variables.patch_variable(
            key, VariableBody(key=key, value="plain text", description="ignored"), update_mask=["value"]
        )
        assert (masked.value, masked.description) == ("plain text", "by the suite")  # the mask keeps description
        whole = await variables.patch_variable(key, {"key": key, "value": "v2", "description": "new"})
        assert (whole.value, whole.description) == ("v2", "new")
        assert (await variables.get_variable(key)).value == "v2"

        assert await variables.delete_variable(key) is None
        with pytest.raises(NotFoundException):
            await variables.get_variable(key)
        with pytest.raises(NotFoundException):
            await variables.delete_variable(key)
    finally:
        await delete_all(variables.delete_variable, key)


async def test_bulk_create_update_and_delete_variables(v2_client: ApiClient) -> None:
    variables = VariableApi(v2_client)
    first, second = unique("var_bulk"), unique("var_bulk")
    try:
        created = await variables.bulk_variables(
            BulkBodyVariableBody(
                actions=[
                    BulkCreateActionVariableBody(
                        entities=[VariableBody(key=first, value="one"), VariableBody(key=second, value="two")]
                    )
                ]
            )
        )
        assert created.create is not None and sorted(created.create.success or []) == sorted([first, second])

        duplicate = await variables.bulk_variables(
            {"actions": [{"action": "create", "entities": [{"key": first, "value": "x"}]}]}
        )
        assert duplicate.create is not None and not duplicate.create.success
        assert duplicate.create.errors and duplicate.create.errors[0]["status_code"] == 409
        assert (await variables.get_variable(first)).value == "one"  # "fail" (the default) changed nothing

        changed = await variables.bulk_variables(
            BulkBodyVariableBody(
                actions=[
                    BulkUpdateActionVariableBody(entities=[VariableBody(key=first, value="uno")]),
                    BulkDeleteActionVariableBody(entities=[second]),
                ]
            )
        )
        assert changed.update is not None and changed.update.success == [first]
        assert changed.delete is not None and changed.delete.success == [second]
        assert (await variables.get_variable(first)).value == "uno"
        with pytest.raises(NotFoundException):
            await variables.get_variable(second)
    finally:
        await delete_all(variables.delete_variable, first, second)
