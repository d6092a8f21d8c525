"""Connections on Airflow 3, through titanium_airflow_client.v2 against the local Airflow 3.3: create, read,
list by pattern, patch with and without a mask, delete (then 404); bulk create/update/delete; the default
connections; a connection test run in the api-server and one enqueued for a worker, polled by its token."""

from __future__ import annotations

import json
import uuid
from typing import Optional

import pytest

from titanium_airflow_client import ApiClient, ConflictException, NotFoundException, paginate
from titanium_airflow_client.v2 import (
    AsyncConnectionTestResponse,
    BulkBodyConnectionBody,
    BulkCreateActionConnectionBody,
    BulkDeleteActionConnectionBody,
    BulkUpdateActionConnectionBody,
    ConnectionApi,
    ConnectionBody,
    ConnectionTestRequestBody,
)

from .conftest import delete_all, unique
from .test_dag_run_api import eventually

pytestmark = pytest.mark.integration

# The FS hook (standard provider) tests a connection by whether its path exists: true and false are both
# reachable on a local server, which has no HTTP provider ("Unknown hook type").
EXISTING_PATH = "/tmp"


async def test_post_get_list_patch_and_delete_a_connection(v2_client: ApiClient) -> None:
    connections = ConnectionApi(v2_client)
    name = unique("conn_crud")
    try:
        created = await connections.post_connection(
            ConnectionBody(
                connection_id=name,
                conn_type="fs",
                description="made by the suite",
                host="db.example",
                login="someone",
                password="s3cret",
                port=5432,
                extra=json.dumps({"path": EXISTING_PATH}),
            )
        )
        assert (created.connection_id, created.conn_type, created.host, created.port) == (
            name,
            "fs",
            "db.example",
            5432,
        )
        assert created.password == "***"  # masked in every answer
        assert json.loads(created.extra or "") == {"path": EXISTING_PATH}

        with pytest.raises(ConflictException):
            await connections.post_connection({"connection_id": name, "conn_type": "fs"})

        read = await connections.get_connection(name)
        assert (read.description, read.login, read.port) == ("made by the suite", "someone", 5432)

        listing = await connections.get_connections(connection_id_pattern=name)
        assert [c.connection_id for c in listing.connections] == [name] and listing.total_entries == 1
        prefix_listing = await connections.get_connections(connection_id_prefix_pattern=name[:-3], limit=5)
        assert name in [c.connection_id for c in prefix_listing.connections]
        walked = [
            c.connection_id
            async for c in paginate(connections.get_connections)(connection_id_pattern="conn_crud_", limit=1)
        ]
        assert name in walked

        masked = await connections.patch_connection(
            name, ConnectionBody(connection_id=name, conn_type="fs", port=6543, host="ignored"), update_mask=["port"]
        )
        assert (masked.port, masked.host) == (6543, "db.example")  # the mask keeps host as it was
        whole = await connections.patch_connection(name, {"connection_id": name, "conn_type": "fs", "host": "other"})
        assert (whole.host, whole.port) == ("other", 6543)  # without a mask: the fields sent, the rest kept
        assert (await connections.get_connection(name)).host == "other"

        assert await connections.delete_connection(name) is None
        with pytest.raises(NotFoundException):
            await connections.get_connection(name)
        with pytest.raises(NotFoundException):
            await connections.delete_connection(name)
    finally:
        await delete_all(connections.delete_connection, name)


async def test_bulk_create_update_and_delete_connections(v2_client: ApiClient) -> None:
    connections = ConnectionApi(v2_client)
    first, second = unique("conn_bulk"), unique("conn_bulk")
    try:
        created = await connections.bulk_connections(
            BulkBodyConnectionBody(
                actions=[
                    BulkCreateActionConnectionBody(
                        entities=[
                            ConnectionBody(connection_id=first, conn_type="fs", host="one"),
                            ConnectionBody(connection_id=second, conn_type="fs", host="two"),
                        ]
                    )
                ]
            )
        )
        assert created.create is not None and sorted(created.create.success or []) == sorted([first, second])
        assert not created.create.errors and created.update is None and created.delete is None

        again = await connections.bulk_connections(
            {"actions": [{"action": "create", "entities": [{"connection_id": first, "conn_type": "fs"}]}]}
        )
        assert again.create is not None and not again.create.success
        assert again.create.errors and "already exist" in json.dumps(again.create.errors)

        updated = await connections.bulk_connections(
            BulkBodyConnectionBody(
                actions=[
                    BulkUpdateActionConnectionBody(
                        entities=[ConnectionBody(connection_id=first, conn_type="fs", host="uno", port=1)]
                    ),
                    BulkDeleteActionConnectionBody(entities=[second]),
                ]
            )
        )
        assert updated.update is not None and updated.update.success == [first]
        assert updated.delete is not None and updated.delete.success == [second]
        after = await connections.get_connection(first)
        assert (after.host, after.port) == ("uno", 1)
        with pytest.raises(NotFoundException):
            await connections.get_connection(second)
    finally:
        await delete_all(connections.delete_connection, first, second)


async def test_create_default_connections(v2_client: ApiClient) -> None:
    # It creates the providers' default connections that are missing and keeps those that exist, so it is
    # safe to call while others work; the defaults are the server's, not this test's, and are left in place.
    connections = ConnectionApi(v2_client)
    answer = await connections.create_default_connections_with_http_info()
    assert (answer.status_code, answer.data) == (204, None)
    default = await connections.get_connection("fs_default")
    assert default.conn_type == "fs"
    postgres = await connections.get_connection("postgres_default")
    assert postgres.conn_type == "postgres"
    assert await connections.create_default_connections() is None  # a second call is no conflict


async def test_test_connection_in_the_api_server(v2_client: ApiClient) -> None:
    connections = ConnectionApi(v2_client)
    name = unique("conn_test")
    good = await connections.test_connection(
        ConnectionBody(connection_id=name, conn_type="fs", extra=json.dumps({"path": EXISTING_PATH}))
    )
    assert (good.status, good.message) == (True, f"Path {EXISTING_PATH} is existing.")
    missing = f"/nonexistent_{uuid.uuid4().hex[:8]}"
    bad = await connections.test_connection(
        {"connection_id": name, "conn_type": "fs", "extra": json.dumps({"path": missing})}
    )
    assert (bad.status, bad.message) == (False, f"Path {missing} does not exist.")
    with pytest.raises(NotFoundException):  # a test saves nothing
        await connections.get_connection(name)


async def test_enqueue_a_connection_test_and_poll_it_by_token(v2_client: ApiClient) -> None:
    connections = ConnectionApi(v2_client)
    name = unique("conn_queued")
    try:
        queued = await connections.enqueue_connection_test_with_http_info(
            ConnectionTestRequestBody(
                connection_id=name, conn_type="fs", extra=json.dumps({"path": EXISTING_PATH}), commit_on_success=True
            )
        )
        assert queued.status_code == 202
        assert queued.data.connection_id == name and queued.data.state == "pending" and queued.data.token
        token = queued.data.token

        async def outcome() -> Optional[AsyncConnectionTestResponse]:
            answer = await connections.get_connection_test(token)
            assert answer.token == token and answer.connection_id == name
            return answer if answer.state not in ("pending", "queued", "running") else None

        done = await eventually(outcome, f"the queued test of {name} finishes")
        assert (done.state, done.result_message) == ("success", f"Path {EXISTING_PATH} is existing.")
        assert done.created_at is not None
        saved = await connections.get_connection(name)  # commit_on_success: a passing test saves the connection
        assert saved.conn_type == "fs" and json.loads(saved.extra or "") == {"path": EXISTING_PATH}

        with pytest.raises(NotFoundException) as refused:
            await connections.get_connection_test("no-such-token")
        assert refused.value.detail == "No connection test found for token: `no-such-token`"
    finally:
        await delete_all(connections.delete_connection, name)
