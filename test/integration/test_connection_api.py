"""ConnectionApi against the real server: create, read, patch (update_mask), list, delete, test; secrets."""

from __future__ import annotations

import asyncio
import json

import pytest

from titanium_airflow_client import (
    ApiClient,
    BadRequestException,
    ConflictException,
    Connection,
    ConnectionApi,
    NotFoundException,
    paginate,
)

from .conftest import Cleanup, sync_paginate, unique_name

EXTRA = {"timeout": 5, "password": "extra-secret", "api_key": "k-123", "nested": {"token": "t-456", "keep": 1}}
REDACTED = {"timeout": 5, "password": "***", "api_key": "***", "nested": {"token": "***", "keep": 1}}


@pytest.fixture
def connection_api(api_client: ApiClient) -> ConnectionApi:
    return ConnectionApi(api_client)


def track(connection_api: ConnectionApi, cleanup: Cleanup, connection_id: str) -> None:
    cleanup.add(f"connection {connection_id!r}", lambda: connection_api.delete_connection(connection_id))


def visible(connection: Connection) -> dict:
    """The fields the server sends back (the password never is)."""
    return connection.model_dump(exclude={"password"}, by_alias=True)


async def test_seed_connection_reads_back(connection_api: ConnectionApi) -> None:
    seed = await connection_api.get_connection("tit_connection")
    assert (seed.connection_id, seed.conn_type, seed.host, seed.port, seed.login, seed.schema_) == (
        "tit_connection", "http", "127.0.0.1", 9, "titanium", "http",
    )
    assert seed.description == "Titanium seed connection (read only)"
    assert seed.extra == '{"titanium": true}' and seed.password is None


async def test_connection_round_trip(connection_api: ConnectionApi, cleanup: Cleanup) -> None:
    connection_id = unique_name("conn")
    track(connection_api, cleanup, connection_id)
    sent = Connection(
        connection_id=connection_id,
        conn_type="http",
        description="first",
        host="example.invalid",
        login="someone",
        schema="https",
        port=8443,
        password="conn-secret",
        extra=json.dumps(EXTRA),
    )
    created = await connection_api.post_connection_with_http_info(sent)
    raw = json.loads(created.raw_data)
    # Secrets: the password is write-only (never sent back); extra comes back with sensitive keys masked.
    assert "password" not in raw and created.data.password is None
    assert json.loads(created.data.extra or "") == REDACTED
    expected = {**visible(sent), "extra": created.data.extra}
    assert visible(created.data) == expected

    read = await connection_api.get_connection_with_http_info(connection_id)
    assert "password" not in json.loads(read.raw_data)
    assert visible(read.data) == expected

    # update_mask=host,port: a body with those alone will do; the rest (password, extra) is kept.
    patched = await connection_api.patch_connection(
        connection_id, Connection(host="other.invalid", port=9443), update_mask=["host", "port"]
    )
    assert (patched.host, patched.port, patched.login, patched.description) == (
        "other.invalid", 9443, "someone", "first",
    )
    read_again = await connection_api.get_connection(connection_id)
    assert visible(read_again) == {**expected, "host": "other.invalid", "port": 9443}

    # Without update_mask only the fields in the body are written.
    patched = await connection_api.patch_connection(connection_id, {"description": "second"})
    assert (patched.description, patched.host) == ("second", "other.invalid")
    assert (await connection_api.get_connection(connection_id)).description == "second"

    # Listed without extra and password (the list items have neither), async and blocking.
    listed = [c async for c in paginate(connection_api.get_connections)(limit=2, order_by="connection_id")]
    ids = [c.connection_id for c in listed]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) and {"tit_connection", connection_id} <= set(ids)
    mine = next(c for c in listed if c.connection_id == connection_id)
    assert (mine.host, mine.port, mine.description) == ("other.invalid", 9443, "second")
    assert mine.to_dict().keys() == {"connection_id", "conn_type", "description", "host", "login", "schema", "port"}
    blocking = await asyncio.to_thread(sync_paginate, "ConnectionApi", "get_connections", limit=3)
    assert [c.host for c in blocking if c.connection_id == connection_id] == ["other.invalid"]

    await connection_api.delete_connection(connection_id)
    with pytest.raises(NotFoundException) as caught:
        await connection_api.get_connection(connection_id)
    assert caught.value.problem is not None
    assert caught.value.problem.detail == f"The Connection with connection_id: `{connection_id}` was not found"
    with pytest.raises(NotFoundException):
        await connection_api.delete_connection(connection_id)


async def test_an_extra_that_is_not_json_comes_back_unmasked(connection_api: ConnectionApi, cleanup: Cleanup) -> None:
    connection_id = unique_name("conn-text")
    track(connection_api, cleanup, connection_id)
    await connection_api.post_connection(
        Connection(connection_id=connection_id, conn_type="http", extra="password=plain-text")
    )
    assert (await connection_api.get_connection(connection_id)).extra == "password=plain-text"


async def test_connection_conflicts_and_refusals(connection_api: ConnectionApi, cleanup: Cleanup) -> None:
    connection_id = unique_name("conn-dup")
    track(connection_api, cleanup, connection_id)
    await connection_api.post_connection(Connection(connection_id=connection_id, conn_type="http", host="h"))
    with pytest.raises(ConflictException) as conflict:
        await connection_api.post_connection(Connection(connection_id=connection_id, conn_type="http"))
    assert conflict.value.problem is not None
    assert conflict.value.problem.detail == f"Connection already exist. ID: {connection_id}"
    with pytest.raises(BadRequestException) as renamed:
        await connection_api.patch_connection(connection_id, Connection(connection_id=connection_id + "-x"))
    assert renamed.value.problem is not None and renamed.value.problem.detail == "The connection_id cannot be updated."
    with pytest.raises(BadRequestException) as masked_id:
        await connection_api.patch_connection(
            connection_id, Connection(connection_id=connection_id), update_mask=["connection_id"]
        )
    assert masked_id.value.problem is not None
    assert masked_id.value.problem.detail == "'connection_id' is unknown or cannot be updated."
    with pytest.raises(BadRequestException) as bad_id:
        await connection_api.post_connection(Connection(connection_id="no spaces allowed", conn_type="http"))
    assert bad_id.value.status == 400
    assert (await connection_api.get_connection(connection_id)).host == "h"


async def test_test_connection_reports_without_storing(connection_api: ConnectionApi) -> None:
    connection_id = unique_name("conn-test")
    works = await connection_api.test_connection(
        Connection(connection_id=connection_id, conn_type="sqlite", host=":memory:")
    )
    assert works.status is True and works.message == "Connection successfully tested"
    refused = await connection_api.test_connection(
        Connection(connection_id=connection_id, conn_type="http", host="127.0.0.1", port=9)
    )
    assert refused.status is False and refused.message is not None and "Connection refused" in refused.message
    unknown = await connection_api.test_connection(Connection(connection_id=connection_id, conn_type="no_such_type"))
    assert unknown.status is False and unknown.message == 'Unknown hook type "no_such_type"'
    with pytest.raises(NotFoundException):  # a test stores nothing
        await connection_api.get_connection(connection_id)
