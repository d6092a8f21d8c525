"""``titanium-airflow pools set`` against a fake Airflow of either generation: it looks the pool up, then
posts a new one or patches the fields given of the one there (with the body each server validates whole);
and what it refuses before sending anything."""

from __future__ import annotations

import json
from typing import Any, Dict

import pytest

from .cli_run import run
from .cli_servers import base, calls, not_found, reply, serve
from .conftest import FakeAirflow

GENERATIONS = pytest.mark.parametrize("v2", [False, True], ids=["airflow2", "airflow3"])
POOL: Dict[str, Any] = {
    "name": "p", "slots": 3, "description": "first", "include_deferred": False, "open_slots": 3, "occupied_slots": 0,
}


@GENERATIONS
async def test_set_creates_a_pool_the_server_lacks(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], v2: bool
) -> None:
    api = base(v2)
    connect = serve(fake_airflow, {f"POST {api}/pools": reply(201, POOL)}, v2=v2)
    result = await run(capsys, *connect, "pools", "set", "p", "--slots", "3", "--description", "first")
    assert result.code == 0, result
    assert calls(fake_airflow) == [f"GET {api}/pools/p", f"POST {api}/pools"]
    assert fake_airflow.last.json() == {"name": "p", "slots": 3, "description": "first"}
    assert result.err == "created pool p\n"
    assert result.out.splitlines()[1].split()[:3] == ["p", "3", "3"]


@GENERATIONS
async def test_set_patches_only_the_fields_given_of_an_existing_pool(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], v2: bool
) -> None:
    api = base(v2)
    changed = {**POOL, "slots": 5, "include_deferred": True}
    answers = {f"GET {api}/pools/p": reply(200, POOL), f"PATCH {api}/pools/p": reply(200, changed)}
    connect = serve(fake_airflow, answers, v2=v2)
    result = await run(capsys, *connect, "pools", "set", "p", "--slots", "5", "--include-deferred", "--json")
    assert result.code == 0 and result.err == "", result
    assert json.loads(result.out) == changed
    mask = "update_mask=include_deferred%2Cslots" if not v2 else "update_mask=include_deferred&update_mask=slots"
    assert calls(fake_airflow) == [f"GET {api}/pools/p", f"PATCH {api}/pools/p?{mask}"]
    # The pool as it is, with the changes: Airflow 3 wants slots and include_deferred whatever the mask says.
    assert fake_airflow.last.json() == {
        "pool" if v2 else "name": "p", "slots": 5, "description": "first", "include_deferred": True
    }


async def test_set_without_slots_cannot_create_and_without_anything_sends_nothing(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    connect = serve(fake_airflow, {"GET /api/v1/pools/p": not_found()}, v2=False)
    nothing = await run(capsys, *connect, "pools", "set", "p")
    assert nothing.code == 2 and calls(fake_airflow) == []
    assert nothing.err == (
        "titanium-airflow: error: nothing to set: give --slots, --description or "
        "--include-deferred/--no-include-deferred\n"
    )
    no_slots = await run(capsys, *connect, "pools", "set", "p", "--no-include-deferred")
    assert no_slots.code == 2 and calls(fake_airflow) == ["GET /api/v1/pools/p"]
    assert no_slots.err == "titanium-airflow: error: pool p does not exist; give --slots to create it\n"


async def test_deleting_the_default_pool_is_the_servers_one_line_refusal(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    refusal = reply(400, {"detail": "Default Pool can't be deleted"})
    connect = serve(fake_airflow, {"DELETE /api/v2/pools/default_pool": refusal}, v2=True)
    result = await run(capsys, *connect, "pools", "delete", "default_pool", "--yes")
    assert result.code == 2 and result.out == "", result
    assert result.err == "titanium-airflow: error: pool default_pool: Default Pool can't be deleted (HTTP 400)\n"
