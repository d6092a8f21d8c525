"""UserApi against the real server: a user created, read, used to log in, patched (update_mask), listed
and deleted."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List

import pytest

from titanium_airflow_client import (
    ApiClient,
    BadRequestException,
    ConflictException,
    DAGApi,
    ForbiddenException,
    NotFoundException,
    User,
    UserApi,
    UserCollectionItem,
    paginate,
)

from .conftest import Cleanup, make_client, sync_paginate, unique_name


@pytest.fixture
def user_api(api_client: ApiClient) -> UserApi:
    return UserApi(api_client)


def profile(user: UserCollectionItem) -> Dict[str, Any]:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "roles": sorted(role.name or "" for role in user.roles or []),
    }


def new_user(username: str, password: str = "first-password", roles: List[str] = ["Viewer"]) -> User:  # noqa: B006
    return User(
        username=username,
        first_name="Tit",
        last_name="Anium",
        email=f"{username}@example.com",
        password=password,
        roles=[{"name": role} for role in roles],
    )


async def create(user_api: UserApi, cleanup: Cleanup, user: User) -> User:
    assert user.username is not None
    username = user.username
    cleanup.add(f"user {username!r}", lambda: user_api.delete_user(username))
    return await user_api.post_user(user)


async def can_log_in(username: str, password: str) -> bool:
    """Whether these credentials read a DAG (this server answers bad credentials 403: it has a public role)."""
    async with make_client((username, password), retries=0) as client:
        try:
            return (await DAGApi(client).get_dag("tit_bash")).dag_id == "tit_bash"
        except ForbiddenException:
            return False


async def test_the_seed_users_read_back(user_api: UserApi) -> None:
    admin = await user_api.get_user("admin")
    assert profile(admin) == {
        "username": "admin", "first_name": "Admin", "last_name": "Titanium", "email": "admin@example.com",
        "roles": ["Admin"],
    }
    assert admin.active is True and admin.login_count is not None and admin.login_count > 0
    assert admin.last_login is not None and admin.created_on is not None


async def test_user_round_trip(user_api: UserApi, cleanup: Cleanup) -> None:
    username = unique_name("user")
    created = await user_api.post_user_with_http_info(new_user(username))
    cleanup.add(f"user {username!r}", lambda: user_api.delete_user(username))
    raw = json.loads(created.raw_data)
    assert "password" not in raw  # write-only
    user = created.data
    assert profile(user) == {
        "username": username, "first_name": "Tit", "last_name": "Anium", "email": f"{username}@example.com",
        "roles": ["Viewer"],
    }
    assert user.active is True and user.password is None
    assert (user.login_count, user.fail_login_count, user.last_login) == (None, None, None)  # never logged in
    assert user.created_on is not None and user.created_on.tzinfo is None  # FAB's naive timestamps

    read = await user_api.get_user(username)
    assert read.to_dict() == user.model_dump(exclude={"password"}, exclude_unset=True, by_alias=True)

    # The server keeps the login statistics.
    assert await can_log_in(username, "first-password")
    assert not await can_log_in(username, "wrong-password")
    after = await user_api.get_user(username)
    assert (after.login_count, after.fail_login_count) == (1, 1) and after.last_login is not None

    # update_mask=first_name,last_name: only those change, though the body must carry username,
    # first_name, last_name and email (the server loads the whole body first).
    patched = await user_api.patch_user(
        username,
        User(username=username, first_name="New", last_name="Name", email="ignored@example.com"),
        update_mask=["first_name", "last_name"],
    )
    assert (patched.first_name, patched.last_name, patched.email) == ("New", "Name", f"{username}@example.com")
    assert profile(await user_api.get_user(username))["first_name"] == "New"

    # update_mask=roles replaces them; update_mask=password sets a new one.
    body = {"username": username, "first_name": "New", "last_name": "Name", "email": f"{username}@example.com"}
    patched = await user_api.patch_user(username, {**body, "roles": [{"name": "Op"}]}, update_mask=["roles"])
    assert profile(patched)["roles"] == ["Op"] and profile(await user_api.get_user(username))["roles"] == ["Op"]
    await user_api.patch_user(username, {**body, "password": "second-password"}, update_mask=["password"])
    assert await can_log_in(username, "second-password")
    assert not await can_log_in(username, "first-password")

    # Listed (by id, the default order), async and blocking.
    listed = [u async for u in paginate(user_api.get_users)(limit=2, order_by="id")]
    names = [u.username for u in listed]
    assert names[:2] == ["admin", "viewer"] and len(names) == len(set(names)) and username in names
    assert profile(next(u for u in listed if u.username == username))["roles"] == ["Op"]
    blocking = await asyncio.to_thread(sync_paginate, "UserApi", "get_users", limit=3)
    assert [u.first_name for u in blocking if u.username == username] == ["New"]

    await user_api.delete_user(username)
    with pytest.raises(NotFoundException) as caught:
        await user_api.get_user(username)
    assert caught.value.problem is not None
    assert caught.value.problem.detail == f"The User with username `{username}` was not found"
    with pytest.raises(NotFoundException):
        await user_api.delete_user(username)
    assert not await can_log_in(username, "second-password")


async def test_a_user_without_roles_or_password(user_api: UserApi, cleanup: Cleanup) -> None:
    """roles and password may be left out: the user gets FAB's registration role and cannot log in."""
    username = unique_name("user-bare")
    bare = User(username=username, first_name="Bare", last_name="User", email=f"{username}@example.com")
    created = await create(user_api, cleanup, bare)
    assert created.username == username and [r.name for r in created.roles or []] == ["Public"]
    assert not await can_log_in(username, "")


async def test_user_conflicts_and_refusals(user_api: UserApi, cleanup: Cleanup) -> None:
    username = unique_name("user-dup")
    await create(user_api, cleanup, new_user(username))
    with pytest.raises(ConflictException) as same_name:
        await user_api.post_user(new_user(username))
    assert same_name.value.problem is not None
    assert same_name.value.problem.detail == f"Username `{username}` already exists. Use PATCH to update."
    other = unique_name("user-other")
    with pytest.raises(ConflictException) as same_email:
        await create(user_api, cleanup, User(**{**new_user(other).to_dict(), "email": f"{username}@example.com"}))
    assert same_email.value.problem is not None
    assert same_email.value.problem.detail == f"The email `{username}@example.com` is already taken."
    with pytest.raises(BadRequestException) as unknown_role:
        await create(user_api, cleanup, new_user(other, roles=["No such role"]))
    assert unknown_role.value.problem is not None
    assert unknown_role.value.problem.detail == "Unknown roles: 'No such role'"
    with pytest.raises(BadRequestException) as bad_mask:
        await user_api.patch_user(username, new_user(username), update_mask=["no_such_field"])
    assert bad_mask.value.problem is not None
    assert bad_mask.value.problem.detail == "Unknown update masks: 'no_such_field'"
    with pytest.raises(NotFoundException):
        await user_api.get_user(other)
    assert profile(await user_api.get_user(username))["first_name"] == "Tit"
