"""``titanium-airflow variables`` against a fake Airflow of either generation: the exact requests of set
(patch, else post), import (one per variable on Airflow 2, one bulk on Airflow 3) and export, the report
and exit status of an import that partly fails, and the import file's checks."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from titanium_airflow_client.cli.errors import UsageError
from titanium_airflow_client.cli.variable_file import Entry, read_variables

from .cli_run import run
from .cli_servers import base, calls, not_found, reply, serve
from .conftest import FakeAirflow, Recorded, Reply

GONE = "The Variable with key: `bad` went away"
GENERATIONS = pytest.mark.parametrize("v2", [False, True], ids=["airflow2", "airflow3"])


@GENERATIONS
async def test_set_posts_a_variable_the_server_lacks(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], v2: bool
) -> None:
    api = base(v2)
    created = {"key": "k", "value": '{"a": 1}', "description": None}
    post = f"POST {api}/variables"
    connect = serve(fake_airflow, {f"PATCH {api}/variables/k": not_found(), post: reply(201, created)}, v2=v2)
    result = await run(capsys, *connect, "variables", "set", "k", '{"a": 1}')
    assert result.code == 0, result
    assert result.out.split() == ["KEY", "VALUE", "DESCRIPTION", "k", '{"a":', "1}", "-"]
    assert result.err == "created variable k\n"
    patch, posted = [r for r in fake_airflow.requests if r.path != "/auth/token"]
    # The value is sent as the string given, on both (Airflow 3 would store a JSON object as its text anyway).
    assert patch.json() == posted.json() == {"key": "k", "value": '{"a": 1}'}
    assert calls(fake_airflow)[-1] == post


async def test_set_updates_the_value_and_keeps_the_description_on_airflow_3(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    updated = {"key": "k", "value": "v", "description": "kept", "is_encrypted": True}
    connect = serve(fake_airflow, {"PATCH /api/v2/variables/k": reply(200, updated)}, v2=True)
    result = await run(capsys, *connect, "variables", "set", "k", "v", "--json")
    assert result.code == 0 and result.err == "", result
    assert json.loads(result.out) == updated
    assert calls(fake_airflow) == ["PATCH /api/v2/variables/k?update_mask=value"]
    assert fake_airflow.last.json() == {"key": "k", "value": "v"}

    await run(capsys, *connect, "variables", "set", "k", "v", "--description", "new")
    assert calls(fake_airflow)[-1] == "PATCH /api/v2/variables/k?update_mask=description&update_mask=value"


async def test_set_on_airflow_2_sends_no_mask_which_it_refuses_for_the_value(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    connect = serve(fake_airflow, {"PATCH /api/v1/variables/k": reply(200, {"key": "k", "value": "v"})}, v2=False)
    result = await run(capsys, *connect, "variables", "set", "k", "v")
    assert result.code == 0 and result.err == "updated variable k\n", result
    assert calls(fake_airflow) == ["PATCH /api/v1/variables/k"]


async def test_import_on_airflow_3_is_one_bulk_request_and_a_partial_failure_exits_2(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "vars.json"
    source.write_text(json.dumps({"old": "1", "new": {"value": 2, "description": "d"}, "bad": "x"}))
    listed = {"variables": [{"key": "old", "value": "0"}, {"key": "bad", "value": "0"}], "total_entries": 2}
    bulk = {
        "create": {"success": ["new"], "errors": []},
        "update": {"success": ["old"], "errors": [{"error": GONE, "status_code": 404}]},
    }
    answers = {"GET /api/v2/variables": reply(200, listed), "PATCH /api/v2/variables": reply(200, bulk)}
    connect = serve(fake_airflow, answers, v2=True)
    result = await run(capsys, *connect, "variables", "import", str(source))
    assert result.code == 2, result
    assert [line.split(None, 1) for line in result.out.splitlines()] == [
        ["KEY", "RESULT"], ["old", "updated"], ["new", "created"], ["bad", f"failed: {GONE}"]
    ]
    assert result.err.splitlines() == [
        "1 created, 1 updated, 1 failed", "titanium-airflow: error: 1 of 3 variables not imported: bad"
    ]
    assert fake_airflow.last.json() == {
        "actions": [
            {
                "action": "create", "action_on_existence": "fail",
                "entities": [{"key": "new", "value": "2", "description": "d"}],
            },
            {
                "action": "update", "action_on_non_existence": "fail", "update_mask": ["value"],
                "entities": [{"key": "old", "value": "1"}, {"key": "bad", "value": "x"}],
            },
        ]
    }

    as_json = await run(capsys, *connect, "variables", "import", str(source), "--json")
    assert as_json.code == 2
    assert json.loads(as_json.out) == {
        "created": ["new"], "updated": ["old"], "failed": {"bad": GONE}
    }


async def test_import_on_airflow_2_sets_each_and_goes_on_after_a_refusal(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "vars.json"
    source.write_text(json.dumps({"a": "1", "b": "2", "c": "3"}))
    refused = reply(403, {"title": "Forbidden", "detail": "no b for you", "status": 403})
    connect = serve(fake_airflow, {
        "PATCH /api/v1/variables/a": not_found(),
        "POST /api/v1/variables": lambda request: reply(200, request.json()),
        "PATCH /api/v1/variables/b": refused,
        "PATCH /api/v1/variables/c": lambda request: reply(200, request.json()),
    }, v2=False)
    result = await run(capsys, *connect, "variables", "import", str(source), "--json")
    assert result.code == 2, result
    answer = json.loads(result.out)
    assert (answer["created"], answer["updated"]) == (["a"], ["c"])
    assert answer["failed"]["b"].startswith("Forbidden: no b for you (HTTP 403); check the credentials")
    assert result.err == "titanium-airflow: error: 1 of 3 variables not imported: b\n"
    assert calls(fake_airflow) == [
        "PATCH /api/v1/variables/a", "POST /api/v1/variables", "PATCH /api/v1/variables/b", "PATCH /api/v1/variables/c"
    ]


@GENERATIONS
async def test_export_writes_every_variable_to_a_private_file(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], tmp_path: Path, v2: bool
) -> None:
    api = base(v2)
    pages = [
        {"variables": [{"key": "b", "value": "2", "description": "about b"}], "total_entries": 2},
        {"variables": [{"key": "a", "value": "{\"x\": 1}"}], "total_entries": 2},
    ]

    def page(request: Recorded) -> Reply:
        return reply(200, pages[int(dict(request.query).get("offset", "0"))])

    connect = serve(fake_airflow, {f"GET {api}/variables": page}, v2=v2)
    target = tmp_path / "out.json"
    result = await run(capsys, *connect, "variables", "export", str(target))
    assert result.code == 0, result
    assert result.out == "" and result.err == f"exported 2 variables to {target}\n"
    assert json.loads(target.read_text()) == {"a": '{"x": 1}', "b": {"value": "2", "description": "about b"}}
    assert list(json.loads(target.read_text())) == ["a", "b"]  # sorted by key
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


async def test_export_asks_airflow_2_for_values_its_listing_leaves_out_and_warns_of_masked_ones(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    connect = serve(fake_airflow, {
        "GET /api/v1/variables": reply(200, {"variables": [{"key": "api_secret"}], "total_entries": 1}),
        "GET /api/v1/variables/api_secret": reply(200, {"key": "api_secret", "value": "***"}),
    }, v2=False)
    result = await run(capsys, *connect, "variables", "export")
    assert result.code == 0, result
    assert json.loads(result.out) == {"api_secret": "***"}
    assert result.err == "warning: the server masked the secrets of api_secret (***): the file holds them masked\n"


async def test_delete_needs_yes_without_a_terminal(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    connect = serve(fake_airflow, {"DELETE /api/v1/variables/k": Reply(204, b"")}, v2=False)
    refused = await run(capsys, *connect, "variables", "delete", "k")
    assert refused.code == 2 and calls(fake_airflow) == []
    assert refused.err == "titanium-airflow: error: Delete variable k: not without --yes (stdin is not a terminal)\n"
    done = await run(capsys, *connect, "variables", "delete", "k", "--yes")
    assert done.code == 0 and done.err == "deleted variable k\n"
    assert calls(fake_airflow) == ["DELETE /api/v1/variables/k"]


# --------------------------------------------------------------------------- the import file


def test_the_import_file_takes_strings_airflows_object_form_and_json_values(tmp_path: Path) -> None:
    source = tmp_path / "vars.json"
    source.write_text(json.dumps({
        "plain": "text", "looks_like_json": '{"a": 1}', "described": {"value": "v", "description": "d"},
        "no_description": {"value": "v"}, "number": 3, "list": [1, "x"], "object": {"a": 1},
    }))
    assert read_variables(str(source)) == [
        Entry("plain", "text", None),
        Entry("looks_like_json", '{"a": 1}', None),
        Entry("described", "v", "d"),
        Entry("no_description", "v", None),
        Entry("number", "3", None),
        Entry("list", '[1, "x"]', None),
        Entry("object", '{"a": 1}', None),  # not {"value": ...}: a JSON value, stored as its text
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{nope", "is not JSON: Expecting property name"),
        ("[1]", 'must hold a JSON object {"key": "value", ...}, not an array'),
        ('{"k": null}', "variable 'k' has no value (null); Airflow stores a string"),
        ('{"k": {"value": "v", "description": 1}}', "variable 'k': the description must be a string, not a number"),
        ('{"k": "1", "k": "2"}', "the key 'k' appears twice in one object"),
        ('{" ": "v"}', "a variable's key is empty"),
    ],
)
def test_a_bad_import_file_is_refused_whole(tmp_path: Path, text: str, problem: str) -> None:
    source = tmp_path / "vars.json"
    source.write_text(text)
    with pytest.raises(UsageError) as refused:
        read_variables(str(source))
    assert problem in str(refused.value) and str(source) in str(refused.value)
