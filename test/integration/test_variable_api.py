"""VariableApi against the real server: create, read, patch (update_mask), list, delete, and keys with '/'."""

from __future__ import annotations

import asyncio
from typing import List

import pytest

from titanium_airflow_client import (
    ApiClient,
    ApiValueError,
    BadRequestException,
    NotFoundException,
    Variable,
    VariableApi,
    paginate,
)
from titanium_airflow_client.endpoint import encode_path_segment

from .conftest import Cleanup, raw_request, sync_paginate, unique_name


@pytest.fixture
def variable_api(api_client: ApiClient) -> VariableApi:
    return VariableApi(api_client)


async def create(variable_api: VariableApi, cleanup: Cleanup, key: str, value: str, **fields: str) -> Variable:
    cleanup.add(f"variable {key!r}", lambda: variable_api.delete_variable(key))
    return await variable_api.post_variables(Variable(key=key, value=value, **fields))


async def test_seed_variable_reads_back(variable_api: VariableApi) -> None:
    seed = await variable_api.get_variable("tit_variable")
    assert seed.key == "tit_variable"
    assert seed.value == '{"titanium": true}'  # values are text; the server never parses them
    assert seed.description == "Titanium seed variable (read only)"


async def test_variable_round_trip(variable_api: VariableApi, cleanup: Cleanup) -> None:
    key = unique_name("var")
    created = await create(variable_api, cleanup, key, "v1", description="first")
    assert (created.key, created.value, created.description) == (key, "v1", "first")

    read = await variable_api.get_variable(key)
    assert read.to_dict() == {"key": key, "value": "v1", "description": "first"}

    # update_mask=description: only the description changes, though the body must still carry key and
    # value (the server loads the whole body first); the value sent is ignored.
    patched = await variable_api.patch_variable(
        key, Variable(key=key, value="ignored", description="second"), update_mask=["description"]
    )
    assert (patched.value, patched.description) == ("v1", "second")
    assert (await variable_api.get_variable(key)).to_dict() == {"key": key, "value": "v1", "description": "second"}

    # Without update_mask every field in the body is written.
    patched = await variable_api.patch_variable(key, {"key": key, "value": "v2", "description": "third"})
    assert (patched.value, patched.description) == ("v2", "third")
    assert (await variable_api.get_variable(key)).value == "v2"

    # Listed, with its value (the spec's list items have none; the server sends it), async and blocking.
    listed = [v async for v in paginate(variable_api.get_variables)(limit=2, order_by="key")]
    keys = [v.key for v in listed]
    assert keys == sorted(keys) and len(keys) == len(set(keys)) and key in keys
    assert next(v for v in listed if v.key == key).value == "v2"
    blocking = await asyncio.to_thread(sync_paginate, "VariableApi", "get_variables", limit=3)
    assert [v.value for v in blocking if v.key == key] == ["v2"]

    await variable_api.delete_variable(key)
    with pytest.raises(NotFoundException) as caught:
        await variable_api.get_variable(key)
    assert caught.value.status == 404 and caught.value.problem is not None
    assert caught.value.problem.title == "Variable not found"
    with pytest.raises(NotFoundException):
        await variable_api.delete_variable(key)
    assert key not in [v.key async for v in paginate(variable_api.get_variables)()]


async def test_update_mask_value_is_refused_by_the_server(variable_api: VariableApi, cleanup: Cleanup) -> None:
    """Server quirk: the mask is checked against the loaded body, where the value is named 'val', so
    update_mask=["value"] is always a 400; only "description" can be masked."""
    key = unique_name("var-mask")
    await create(variable_api, cleanup, key, "kept")
    with pytest.raises(BadRequestException) as caught:
        await variable_api.patch_variable(key, Variable(key=key, value="new"), update_mask=["value"])
    assert caught.value.problem is not None
    assert caught.value.problem.detail == "'value' is unknown or cannot be updated."
    with pytest.raises(BadRequestException) as caught:
        await variable_api.patch_variable(key, Variable(key=key, value="new"), update_mask=["key"])
    assert caught.value.problem is not None and caught.value.problem.detail == "'key' is unknown or cannot be updated."
    assert (await variable_api.get_variable(key)).value == "kept"


async def test_variable_conflicts_and_mismatched_keys(variable_api: VariableApi, cleanup: Cleanup) -> None:
    key = unique_name("var-dup")
    await create(variable_api, cleanup, key, "one")
    # post_variables on an existing key overwrites it (Variable.set), it is no conflict.
    again = await variable_api.post_variables(Variable(key=key, value="two"))
    assert again.value == "two" and (await variable_api.get_variable(key)).value == "two"
    with pytest.raises(BadRequestException) as caught:
        await variable_api.patch_variable(key, Variable(key=key + "-other", value="three"))
    assert caught.value.problem is not None
    assert caught.value.problem.detail == "key from request body doesn't match uri parameter"
    assert (await variable_api.get_variable(key)).value == "two"
    with pytest.raises(NotFoundException):
        await variable_api.patch_variable(key + "-missing", Variable(key=key + "-missing", value="x"))


@pytest.mark.parametrize(
    "suffix",
    ["/a/b", "/a b?c#d%41+;&=", "/trailing/", "/double//slash", "/dots/../x", "/ünï✓", "/~tilde", "/%2F"],
)
async def test_a_key_with_slashes_and_odd_characters_round_trips(
    variable_api: VariableApi, cleanup: Cleanup, suffix: str
) -> None:
    """variable_key is `format: path`: its '/' reach the server percent-encoded and come back as they were."""
    key = unique_name("var") + suffix
    await create(variable_api, cleanup, key, "slashed")
    assert (await variable_api.get_variable(key)).key == key
    patched = await variable_api.patch_variable(
        key, Variable(key=key, value="x", description="patched"), update_mask=["description"]
    )
    assert patched.key == key and patched.description == "patched"
    listed: List[str] = [v.key or "" async for v in paginate(variable_api.get_variables)()]
    assert key in listed
    await variable_api.delete_variable(key)
    with pytest.raises(NotFoundException):
        await variable_api.get_variable(key)


async def test_a_leading_slash_would_reach_another_variable_so_it_is_refused(
    variable_api: VariableApi, cleanup: Cleanup
) -> None:
    """The server turns the leading '/' into '//' in the path, merges it and redirects (308) to the key
    without it: followed, get/patch/delete_variable("/x") would act on the variable "x". The client refuses."""
    key = unique_name("var-victim")
    await create(variable_api, cleanup, key, "victim")
    answer = await raw_request("DELETE", "/variables/" + encode_path_segment("/" + key))
    assert answer.status == 308
    assert answer.location is not None and answer.location.endswith("/api/v1/variables/" + key)
    for call in (
        variable_api.get_variable("/" + key),
        variable_api.delete_variable("/" + key),
        variable_api.patch_variable("/" + key, Variable(key="/" + key, value="x")),
    ):
        with pytest.raises(ApiValueError, match="parameter 'variable_key' must not start with '/'"):
            await call
    assert (await variable_api.get_variable(key)).value == "victim"  # untouched
