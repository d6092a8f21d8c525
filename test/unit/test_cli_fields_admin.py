"""``--fields`` on ``variables``, ``connections`` and ``pools`` (list and get) against a fake Airflow of either
generation: neither API takes a ``fields`` parameter for them (Airflow 2.11 refuses one: 400), so the exact
request carries none and the command keeps the fields asked, in their order, in the table and in ``--json``;
an unknown field is a usage error before anything is sent; a password asked for stays masked."""

from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest

from .cli_run import run
from .cli_servers import base, calls, reply, serve
from .conftest import FakeAirflow

GENERATIONS = pytest.mark.parametrize("v2", [False, True], ids=["airflow2", "airflow3"])

VARIABLE = {"key": "k", "value": "v 1", "description": "d"}
POOL: Dict[str, Any] = {
    "name": "p", "slots": 4, "occupied_slots": 1, "running_slots": 1, "queued_slots": 0, "open_slots": 3,
    "scheduled_slots": 0, "deferred_slots": 0, "description": "a pool", "include_deferred": False,
}
CONNECTION: Dict[str, Any] = {
    "connection_id": "c", "conn_type": "postgres", "host": "db", "port": 5432, "login": "me", "schema": "app",
    "description": None,
}
SECRET = {"password": "s3cret", "extra": json.dumps({"api_key": "k-1", "timeout": 5})}


def listing(v2: bool, path: str, limit: int = 0) -> str:
    """The exact request of a listing: the page size asked, else the API's default; no ``fields``."""
    if v2:
        return f"GET /api/v2/{path}?limit={limit or 50}&offset=0"
    return f"GET /api/v1/{path}?limit={limit or 100}"


def rows(out: str) -> List[List[str]]:
    return [line.split() for line in out.splitlines()]


# --------------------------------------------------------------------------- variables


@GENERATIONS
async def test_variables_list_keeps_the_fields_asked_in_their_order(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], v2: bool
) -> None:
    listed = {"variables": [VARIABLE, {**VARIABLE, "key": "k2", "description": None}], "total_entries": 2}
    connect = serve(fake_airflow, {f"GET {base(v2)}/variables": reply(200, listed)}, v2=v2)
    result = await run(capsys, *connect, "variables", "list", "--fields", "description", "--fields", "key")
    assert result.code == 0 and result.err == "", result
    assert rows(result.out) == [["DESCRIPTION", "KEY"], ["d", "k"], ["-", "k2"]]
    assert calls(fake_airflow) == [listing(v2, "variables")]  # no fields parameter sent

    as_json = await run(capsys, *connect, "variables", "list", "--fields", "key,value", "--json")
    assert json.loads(as_json.out) == {
        "variables": [{"key": "k", "value": "v 1"}, {"key": "k2", "value": "v 1"}], "total_entries": 2,
    }


@GENERATIONS
async def test_variables_get_shows_only_the_fields_asked(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], v2: bool
) -> None:
    connect = serve(fake_airflow, {f"GET {base(v2)}/variables/k": reply(200, VARIABLE)}, v2=v2)
    result = await run(capsys, *connect, "variables", "get", "k", "--fields", "value,key")
    assert result.code == 0 and result.err == "", result
    assert result.out == "value  v 1\nkey    k\n"
    assert calls(fake_airflow) == [f"GET {base(v2)}/variables/k"]

    as_json = await run(capsys, *connect, "variables", "get", "k", "--fields", "description", "--json")
    assert json.loads(as_json.out) == {"description": "d"}


@GENERATIONS
async def test_an_unknown_field_is_a_usage_error_before_any_request(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], v2: bool
) -> None:
    connect = serve(fake_airflow, {}, v2=v2)
    result = await run(capsys, *connect, "variables", "list", "--fields", "key,bogus")
    assert result.code == 2 and result.out == "", result
    known = "key, value, description, is_encrypted, team_name" if v2 else "key, description, value"
    assert result.err == f"titanium-airflow: error: unknown field bogus for --fields; choose from {known}\n"
    for command in (["variables", "get", "k"], ["pools", "list"], ["pools", "get", "p"],
                    ["connections", "list"], ["connections", "get", "c"]):
        refused = await run(capsys, *connect, *command, "--fields", "nope")
        assert refused.code == 2 and refused.out == "", refused
        assert refused.err.startswith("titanium-airflow: error: unknown field nope for --fields; choose from ")
        assert len(refused.err.splitlines()) == 1
    assert calls(fake_airflow) == []


# --------------------------------------------------------------------------- pools


@GENERATIONS
async def test_pools_list_and_get_with_fields(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], v2: bool
) -> None:
    answers = {
        f"GET {base(v2)}/pools": reply(200, {"pools": [POOL], "total_entries": 3}),
        f"GET {base(v2)}/pools/p": reply(200, POOL),
    }
    connect = serve(fake_airflow, answers, v2=v2)
    result = await run(capsys, *connect, "pools", "list", "--fields", "open_slots,name", "--limit", "1")
    assert result.code == 0, result
    assert rows(result.out) == [["OPEN_SLOTS", "NAME"], ["3", "p"]]
    assert result.err == "1 of 3 pools shown; see --limit/--offset, or --all\n"
    as_json = await run(capsys, *connect, "pools", "list", "--fields", "slots,name", "--json")
    assert json.loads(as_json.out) == {"pools": [{"name": "p", "slots": 4}], "total_entries": 3}

    shown = await run(capsys, *connect, "pools", "get", "p", "--fields", "include_deferred,slots", "--json")
    assert json.loads(shown.out) == {"slots": 4, "include_deferred": False}
    table = await run(capsys, *connect, "pools", "get", "p", "--fields", "include_deferred,slots")
    assert table.out == "include_deferred  false\nslots             4\n"
    assert calls(fake_airflow) == [
        listing(v2, "pools", limit=1), listing(v2, "pools"), f"GET {base(v2)}/pools/p",
        f"GET {base(v2)}/pools/p",
    ]


async def test_pools_list_all_keeps_the_fields_on_every_page(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = {"0": [POOL, {**POOL, "name": "q"}], "2": [{**POOL, "name": "r"}]}

    def page(request: Any) -> Any:
        offset = dict(request.query).get("offset", "0")
        return reply(200, {"pools": pages.get(offset, []), "total_entries": 3})

    connect = serve(fake_airflow, {"GET /api/v2/pools": page}, v2=True)
    result = await run(capsys, *connect, "pools", "list", "--all", "--limit", "2", "--fields", "name", "--json")
    assert result.code == 0, result
    assert json.loads(result.out) == {"pools": [{"name": "p"}, {"name": "q"}, {"name": "r"}], "total_entries": 3}


# --------------------------------------------------------------------------- connections


@GENERATIONS
async def test_connections_get_masks_a_password_asked_for_unless_show_secrets(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], v2: bool
) -> None:
    connect = serve(fake_airflow, {f"GET {base(v2)}/connections/c": reply(200, {**CONNECTION, **SECRET})}, v2=v2)
    result = await run(capsys, *connect, "connections", "get", "c", "--fields", "password,schema,extra")
    assert result.code == 0 and result.err == "", result
    assert result.out == 'password  ***\nschema    app\nextra     {"api_key": "***", "timeout": 5}\n'
    as_json = await run(capsys, *connect, "connections", "get", "c", "--fields", "password", "--json")
    assert json.loads(as_json.out) == {"password": "***"}
    revealed = await run(capsys, *connect, "connections", "get", "c", "--fields", "password", "--show-secrets")
    assert revealed.out == "password  s3cret\n"


async def test_connections_get_names_a_field_the_server_did_not_send(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    # Airflow 2 never sends a password back: the field asked is named on stderr rather than left out silently.
    connect = serve(fake_airflow, {"GET /api/v1/connections/c": reply(200, CONNECTION)}, v2=False)
    result = await run(capsys, *connect, "connections", "get", "c", "--fields", "host,password")
    assert result.code == 0, result
    assert result.out == "host  db\n"
    assert result.err == "note: the server sent no password\n"


@GENERATIONS
async def test_connections_list_with_fields(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], v2: bool
) -> None:
    item = {**CONNECTION, **SECRET} if v2 else CONNECTION  # Airflow 2 lists no secrets
    connect = serve(fake_airflow, {f"GET {base(v2)}/connections": reply(200, {"connections": [item],
                                                                                "total_entries": 1})}, v2=v2)
    result = await run(capsys, *connect, "connections", "list", "--fields", "schema,connection_id,port")
    assert result.code == 0 and result.err == "", result
    assert rows(result.out) == [["SCHEMA", "CONNECTION_ID", "PORT"], ["app", "c", "5432"]]
    as_json = await run(capsys, *connect, "connections", "list", "--fields", "schema,connection_id", "--json")
    assert json.loads(as_json.out) == {"connections": [{"connection_id": "c", "schema": "app"}], "total_entries": 1}


async def test_connections_list_masks_a_password_asked_for_on_airflow_3(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = {"connections": [{**CONNECTION, **SECRET}], "total_entries": 1}
    connect = serve(fake_airflow, {"GET /api/v2/connections": reply(200, listed)}, v2=True)
    result = await run(capsys, *connect, "connections", "list", "--fields", "connection_id,password")
    assert rows(result.out) == [["CONNECTION_ID", "PASSWORD"], ["c", "***"]]
    revealed = await run(capsys, *connect, "connections", "list", "--fields", "password", "--show-secrets", "--json")
    assert json.loads(revealed.out) == {"connections": [{"password": "s3cret"}], "total_entries": 1}


async def test_connections_list_on_airflow_2_has_no_password_field(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    connect = serve(fake_airflow, {}, v2=False)
    result = await run(capsys, *connect, "connections", "list", "--fields", "password")
    assert result.code == 2, result
    assert result.err == (
        "titanium-airflow: error: unknown field password for --fields; choose from connection_id, conn_type, "
        "description, host, login, schema, port\n"
    )
