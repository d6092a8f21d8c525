"""RoleApi and PermissionApi against the real server: permissions, and a role created, read, patched
(update_mask), renamed, listed and deleted."""

from __future__ import annotations

import asyncio
import json
from typing import Iterable, Set, Tuple

import pytest

from titanium_airflow_client import (
    Action,
    ActionResource,
    ApiClient,
    BadRequestException,
    ConflictException,
    ForbiddenException,
    NotFoundException,
    PermissionApi,
    Resource,
    Role,
    RoleApi,
    paginate,
)

from .conftest import Cleanup, sync_paginate, unique_name

ACTIONS = {"can_create", "can_read", "can_edit", "can_delete", "menu_access"}


@pytest.fixture
def role_api(api_client: ApiClient) -> RoleApi:
    return RoleApi(api_client)


def grant(action: str, resource: str) -> ActionResource:
    return ActionResource(action=Action(name=action), resource=Resource(name=resource))


def pairs(actions: Iterable[ActionResource]) -> Set[Tuple[str, str]]:
    return {(a.action.name or "", a.resource.name or "") for a in actions if a.action and a.resource}


def track(role_api: RoleApi, cleanup: Cleanup, name: str) -> None:
    cleanup.add(f"role {name!r}", lambda: role_api.delete_role(name))


async def test_get_permissions_lists_every_action(api_client: ApiClient) -> None:
    permissions = PermissionApi(api_client)
    page = await permissions.get_permissions()
    assert {a.name for a in page.actions or []} == ACTIONS and page.total_entries == len(ACTIONS)
    paged = [a.name async for a in paginate(permissions.get_permissions)(limit=2)]
    assert sorted(paged) == sorted(ACTIONS)  # three pages, none lost or doubled
    blocking = await asyncio.to_thread(sync_paginate, "PermissionApi", "get_permissions", limit=3)
    assert sorted(a.name for a in blocking) == sorted(ACTIONS)


async def test_the_seed_roles_read_back(role_api: RoleApi) -> None:
    viewer = await role_api.get_role("Viewer")
    assert viewer.name == "Viewer"
    assert ("can_read", "DAGs") in pairs(viewer.actions or [])
    assert not any(action == "can_edit" and resource == "DAGs" for action, resource in pairs(viewer.actions or []))
    admin = await role_api.get_role("Admin")
    assert pairs(viewer.actions or []) < pairs(admin.actions or [])


async def test_role_round_trip(role_api: RoleApi, cleanup: Cleanup) -> None:
    name = unique_name("role")
    track(role_api, cleanup, name)
    created = await role_api.post_role_with_http_info(Role(name=name, actions=[grant("can_read", "DAGs")]))
    # Server quirk: post_role answers 200 with an empty object, not the role; read it back.
    assert created.status_code == 200 and json.loads(created.raw_data) == {}
    assert created.data.model_fields_set == set() and created.data.name is None

    read = await role_api.get_role(name)
    assert read.name == name and pairs(read.actions or []) == {("can_read", "DAGs")}

    # Server quirk: patching actions adds them to the role's own, it never removes one.
    patched = await role_api.patch_role(
        name, Role(name=name, actions=[grant("can_read", "Pools"), grant("can_edit", "DAGs")]), update_mask=["actions"]
    )
    expected = {("can_read", "DAGs"), ("can_read", "Pools"), ("can_edit", "DAGs")}
    assert patched.name == name and pairs(patched.actions or []) == expected
    assert pairs((await role_api.get_role(name)).actions or []) == expected

    # Listed (by name; the default order), async and blocking.
    listed = [r async for r in paginate(role_api.get_roles)(limit=2, order_by="name")]
    names = [r.name for r in listed]
    assert len(names) == len(set(names)) and {"Admin", "Viewer", name} <= set(names)
    assert pairs(next(r for r in listed if r.name == name).actions or []) == expected
    blocking = await asyncio.to_thread(sync_paginate, "RoleApi", "get_roles", limit=3)
    assert [pairs(r.actions or []) for r in blocking if r.name == name] == [expected]

    await role_api.delete_role(name)
    with pytest.raises(NotFoundException) as caught:
        await role_api.get_role(name)
    assert caught.value.problem is not None and caught.value.problem.detail == f"Role with name {name!r} was not found"
    with pytest.raises(NotFoundException):
        await role_api.delete_role(name)


async def test_rename_a_role_with_update_mask_name(role_api: RoleApi, cleanup: Cleanup) -> None:
    old, new = unique_name("role-old"), unique_name("role-new")
    track(role_api, cleanup, old)
    track(role_api, cleanup, new)
    await role_api.post_role(Role(name=old, actions=[grant("can_read", "Pools")]))
    renamed = await role_api.patch_role(old, Role(name=new), update_mask=["name"])
    assert renamed.name == new and pairs(renamed.actions or []) == {("can_read", "Pools")}
    assert (await role_api.get_role(new)).name == new
    with pytest.raises(NotFoundException):
        await role_api.get_role(old)


async def test_role_conflicts_and_refusals(role_api: RoleApi, cleanup: Cleanup) -> None:
    name = unique_name("role-dup")
    track(role_api, cleanup, name)
    await role_api.post_role(Role(name=name, actions=[]))
    assert (await role_api.get_role(name)).actions == []
    with pytest.raises(ConflictException) as conflict:
        await role_api.post_role(Role(name=name, actions=[]))
    assert conflict.value.problem is not None
    assert conflict.value.problem.detail == (
        f"Role with name {name!r} already exists; please update with the PATCH endpoint"
    )
    with pytest.raises(BadRequestException) as unknown_resource:
        await role_api.patch_role(name, Role(name=name, actions=[grant("can_read", "No such resource")]))
    assert unknown_resource.value.problem is not None
    assert unknown_resource.value.problem.detail == "The specified resource: 'No such resource' was not found"
    with pytest.raises(BadRequestException) as bad_mask:
        await role_api.patch_role(name, Role(name=name), update_mask=["permissions"])
    assert bad_mask.value.problem is not None
    assert bad_mask.value.problem.detail == "'permissions' in update_mask is unknown"
    assert (await role_api.get_role(name)).actions == []


async def test_roles_order_by_a_reversed_name_is_refused(role_api: RoleApi) -> None:
    """Server quirk: get_roles accepts order_by "name" and "role_id" only, not "-name" (the spec's '-' prefix)."""
    with pytest.raises(BadRequestException) as caught:
        await role_api.get_roles(order_by="-name")
    assert caught.value.problem is not None
    assert caught.value.problem.detail == (
        "Ordering with '-name' is disallowed or the attribute does not exist on the model"
    )
    by_id = await role_api.get_roles(order_by="role_id", limit=100)
    assert (by_id.roles or [])[0].name == "Admin"  # the first role FAB creates


async def test_a_viewer_may_not_list_roles(viewer_client: ApiClient) -> None:
    with pytest.raises(ForbiddenException):
        await RoleApi(viewer_client).get_roles()
