"""``titanium-airflow connections`` against a fake Airflow that does not mask: the command line masks the
password and extra's secret-looking values in tables and --json unless --show-secrets; add sends the
--conn-* options as the connection's fields; test exits 0 or 1 as the server's verdict says, and with
--on-worker queues the test and reads its outcome until it is over."""

from __future__ import annotations

import io
import json
from typing import Any, Dict, Tuple

import pytest

from titanium_airflow_client.cli.masking import is_secret_key, masked_extra

from .cli_run import run
from .cli_servers import base, calls, reply, serve
from .conftest import FakeAirflow, Recorded, Reply

GENERATIONS = pytest.mark.parametrize("v2", [False, True], ids=["airflow2", "airflow3"])
EXTRA = {"timeout": 5, "api_key": "k-1", "nested": {"Private-Key": "pk", "hosts": [{"token": "t-2"}]}}
UNMASKED: Dict[str, Any] = {
    "connection_id": "c", "conn_type": "postgres", "host": "db", "port": 5432, "login": "me",
    "password": "s3cret", "extra": json.dumps(EXTRA),
}
MASKED_EXTRA = {"timeout": 5, "api_key": "***", "nested": {"Private-Key": "***", "hosts": [{"token": "***"}]}}


@GENERATIONS
async def test_get_masks_secrets_in_fields_and_json_unless_asked(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], v2: bool
) -> None:
    connect = serve(fake_airflow, {f"GET {base(v2)}/connections/c": reply(200, UNMASKED)}, v2=v2)
    shown = await run(capsys, *connect, "connections", "get", "c")
    assert shown.code == 0, shown
    fields = dict(line.split(None, 1) for line in shown.out.splitlines())
    assert fields["password"] == "***" and json.loads(fields["extra"]) == MASKED_EXTRA
    assert list(fields)[:2] == ["connection_id", "conn_type"]

    as_json = await run(capsys, *connect, "connections", "get", "c", "--json")
    answer = json.loads(as_json.out)
    assert answer["password"] == "***" and json.loads(answer["extra"]) == MASKED_EXTRA
    assert {key: answer[key] for key in ("host", "port", "login")} == {"host": "db", "port": 5432, "login": "me"}

    revealed = await run(capsys, *connect, "connections", "get", "c", "--json", "--show-secrets")
    assert json.loads(revealed.out) == UNMASKED  # exactly what the server sent


async def test_list_masks_every_connection_of_the_collection(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    other = {**UNMASKED, "connection_id": "d", "extra": "not json"}
    collection = {"connections": [UNMASKED, other], "total_entries": 2}
    connect = serve(fake_airflow, {"GET /api/v2/connections": reply(200, collection)}, v2=True)
    result = await run(capsys, *connect, "connections", "list", "--json")
    assert result.code == 0, result
    listed = json.loads(result.out)["connections"]
    assert [c["password"] for c in listed] == ["***", "***"]
    assert json.loads(listed[0]["extra"]) == MASKED_EXTRA and listed[1]["extra"] == "not json"
    table = await run(capsys, *connect, "connections", "list")
    header = ["CONNECTION_ID", "CONN_TYPE", "HOST", "PORT", "LOGIN", "SCHEMA", "DESCRIPTION"]
    assert table.out.splitlines()[0].split() == header
    assert "s3cret" not in table.out and "k-1" not in table.out


@GENERATIONS
async def test_add_sends_the_conn_options_as_the_connections_fields(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, v2: bool
) -> None:
    connect = serve(fake_airflow, {f"POST {base(v2)}/connections": lambda request: reply(201, request.json())}, v2=v2)
    monkeypatch.setattr("sys.stdin", io.StringIO("from-stdin\nignored\n"))
    result = await run(
        capsys, *connect, "connections", "add", "c", "--conn-type", "postgres", "--conn-host", "db",
        "--port", "5432", "--conn-login", "me", "--conn-password", "-", "--schema", "app",
        "--extra", json.dumps(EXTRA), "--description", "d",
    )
    assert result.code == 0, result
    assert fake_airflow.last.json() == {
        "connection_id": "c", "conn_type": "postgres", "host": "db", "port": 5432, "login": "me",
        "password": "from-stdin", "schema": "app", "extra": json.dumps(EXTRA), "description": "d",
    }
    assert result.out.split()[7:] == ["c", "postgres", "db", "5432", "me", "app", "d"]
    assert result.err == "added connection c\n"


async def test_a_bad_extra_is_a_usage_error_before_any_request(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    connect = serve(fake_airflow, {}, v2=False)
    result = await run(capsys, *connect, "connections", "add", "c", "--conn-type", "http", "--extra", "[1]")
    assert result.code == 2 and calls(fake_airflow) == []
    assert result.err.splitlines()[-1] == (
        "titanium-airflow: error: argument --conn-extra/--extra: must be a JSON object {...}, not an array"
    )


async def test_testing_a_saved_connection_on_airflow_3_lets_the_server_merge_its_secrets(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    verdict = {"status": False, "message": "could not connect"}
    connect = serve(fake_airflow, {
        "GET /api/v2/connections/c": reply(200, {**UNMASKED, "password": "***"}),
        "POST /api/v2/connections/test": reply(200, verdict),
    }, v2=True)
    result = await run(capsys, *connect, "connections", "test", "c", "--port", "6543")
    assert result.code == 1, result
    assert [line.split(None, 1) for line in result.out.splitlines()] == [
        ["connection_id", "c"], ["status", "failed"], ["message", "could not connect"]
    ]
    assert result.err == ""
    assert fake_airflow.last.json() == {"connection_id": "c", "conn_type": "postgres", "port": 6543}
    as_json = await run(capsys, *connect, "connections", "test", "c", "--json")
    assert as_json.code == 1 and json.loads(as_json.out) == verdict


async def test_testing_a_saved_connection_on_airflow_2_sends_what_it_has_and_says_why_a_failure_may_be(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = {key: value for key, value in UNMASKED.items() if key != "password"}  # Airflow 2 never sends it
    connect = serve(fake_airflow, {
        "GET /api/v1/connections/c": reply(200, saved),
        "POST /api/v1/connections/test": reply(200, {"status": False, "message": "password authentication failed"}),
    }, v2=False)
    result = await run(capsys, *connect, "connections", "test", "c")
    assert result.code == 1, result
    assert fake_airflow.last.json() == saved
    assert result.err.startswith("note: Airflow 2 never sends a saved password back")


@GENERATIONS
async def test_testing_given_options_saves_and_fetches_nothing(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], v2: bool
) -> None:
    api = base(v2)
    passed = reply(200, {"status": True, "message": "ok"})
    connect = serve(fake_airflow, {f"POST {api}/connections/test": passed}, v2=v2)
    result = await run(capsys, *connect, "connections", "test", "new", "--conn-type", "http", "--conn-host", "h")
    assert result.code == 0, result
    assert calls(fake_airflow) == [f"POST {api}/connections/test"]
    assert fake_airflow.last.json() == {"connection_id": "new", "conn_type": "http", "host": "h"}
    assert result.out.split() == ["connection_id", "new", "status", "passed", "message", "ok"]


QUEUED_TEST = "/api/v2/connections/enqueue-test"
AIRFLOW_3_3 = {"GET /api/v2/version": reply(200, {"version": "3.3.2", "git_version": None})}


def worker_outcomes(*states: str, message: str = "ok") -> Any:
    """Answers a queued test's polls with ``states`` in turn, the last one from then on."""
    left = list(states)

    def answer(request: Recorded) -> Reply:
        assert request.headers["Airflow-Connection-Test-Token"] == "tok-1"
        state = left.pop(0) if len(left) > 1 else left[0]
        return reply(200, {
            "token": "tok-1", "connection_id": "new", "state": state, "created_at": "2026-11-30T10:00:00Z",
            "result_message": None if state in ("pending", "queued", "running") else message,
        })

    return answer


def enqueued(fake: FakeAirflow) -> Any:
    """What the last queued test sent."""
    return [r for r in fake.requests if r.method == "POST" and r.path == QUEUED_TEST][-1].json()


ENQUEUED = reply(202, {"token": "tok-1", "connection_id": "new", "state": "pending"})
ON_WORKER = ("connections", "test", "new", "--conn-type", "http", "--conn-host", "h", "--on-worker",
             "--poll-interval", "0.01")


async def test_on_a_worker_the_options_are_queued_and_the_outcome_polled_until_final(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    connect = serve(fake_airflow, {
        **AIRFLOW_3_3, f"POST {QUEUED_TEST}": ENQUEUED,
        f"GET {QUEUED_TEST}": worker_outcomes("pending", "queued", "running", "success", message="reached h"),
    }, v2=True)
    result = await run(capsys, *connect, *ON_WORKER, "--queue", "q1", "--executor", "LocalExecutor",
                       "--save-if-passed")
    assert result.code == 0, result
    assert result.out.split() == ["connection_id", "new", "status", "passed", "message", "reached", "h"]
    assert result.err == "saved connection new\n"
    assert enqueued(fake_airflow) == {"connection_id": "new", "conn_type": "http", "host": "h", "queue": "q1",
                              "executor": "LocalExecutor", "commit_on_success": True}
    polls = [call for call in calls(fake_airflow) if call == f"GET {QUEUED_TEST}"]
    assert len(polls) == 4  # pending, queued, running, then the final answer
    assert "POST /api/v2/connections/test" not in calls(fake_airflow)  # not the API server's own test


async def test_a_failed_test_on_a_worker_exits_1_and_json_is_the_servers_outcome(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    connect = serve(fake_airflow, {
        **AIRFLOW_3_3, f"POST {QUEUED_TEST}": ENQUEUED,
        f"GET {QUEUED_TEST}": worker_outcomes("running", "failed", message="Connection refused"),
    }, v2=True)
    table = await run(capsys, *connect, *ON_WORKER, "--save-if-passed")
    assert table.code == 1, table
    assert table.out.split() == ["connection_id", "new", "status", "failed", "message", "Connection", "refused"]
    assert table.err == ""  # nothing saved, nothing said
    assert enqueued(fake_airflow)["commit_on_success"] is True

    as_json = await run(capsys, *connect, *ON_WORKER, "--json")
    assert as_json.code == 1, as_json
    assert json.loads(as_json.out) == {
        "token": "tok-1", "connection_id": "new", "state": "failed", "result_message": "Connection refused",
        "created_at": "2026-11-30T10:00:00+00:00",
    }


async def test_waiting_for_a_worker_gives_up_after_the_timeout_with_exit_3(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    connect = serve(fake_airflow, {
        **AIRFLOW_3_3, f"POST {QUEUED_TEST}": ENQUEUED, f"GET {QUEUED_TEST}": worker_outcomes("queued"),
    }, v2=True)
    result = await run(capsys, *connect, *ON_WORKER, "--timeout", "0.2")
    assert result.code == 3, result
    assert result.out == ""
    assert result.err.splitlines()[-1] == (
        "gave up waiting after 0.2s: the test of connection new is queued and goes on in Airflow"
    )


async def test_a_test_on_a_worker_is_refused_before_sending_by_airflow_2_and_3_0(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    connect = serve(fake_airflow, {}, v2=False)
    on_2 = await run(capsys, *connect, *ON_WORKER)
    assert on_2.code == 2 and calls(fake_airflow) == []
    assert on_2.err.splitlines()[-1] == (
        "titanium-airflow: error: --on-worker needs Airflow 3.3 or later, and the server is Airflow 2; nothing was sent"
    )

    connect = serve(fake_airflow, {"GET /api/v2/version": reply(200, {"version": "3.0.6"})}, v2=True)
    on_3_0 = await run(capsys, *connect, *ON_WORKER)
    assert on_3_0.code == 2, on_3_0
    assert on_3_0.err.splitlines()[-1] == (
        "titanium-airflow: error: --on-worker needs Airflow 3.3 or later, and the server is Airflow 3.0.6;"
        " nothing was sent"
    )
    assert [call for call in calls(fake_airflow) if call.startswith("POST")] == []


@pytest.mark.parametrize(
    ("options", "error"),
    [(("--on-worker",), "--on-worker needs --conn-type"),
     (("--queue", "q", "--timeout", "5"), "--queue and --timeout need --on-worker"),
     (("--conn-type", "http", "--save-if-passed"), "--save-if-passed needs --on-worker")],
)
async def test_on_worker_options_are_checked_before_anything_is_sent(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], options: Tuple[str, ...], error: str
) -> None:
    connect = serve(fake_airflow, {}, v2=True)
    result = await run(capsys, *connect, "connections", "test", "c", *options)
    assert result.code == 2 and fake_airflow.requests == []
    assert result.err.splitlines()[-1] == f"titanium-airflow: error: {error}"


@pytest.mark.parametrize(
    ("key", "secret"),
    [("password", True), ("API-Key", True), ("my_token_file", True), ("private key", True), ("timeout", False),
     ("host", False), ("keyfile_dict", True), ("", False)],
)
def test_secret_looking_keys_follow_airflows_rule(key: str, secret: bool) -> None:
    assert is_secret_key(key) is secret


def test_an_extra_without_secrets_or_not_an_object_is_left_as_it_was() -> None:
    assert masked_extra('{"a":1,  "b": [1]}') == '{"a":1,  "b": [1]}'
    assert masked_extra("password=abc") == "password=abc"  # not JSON: Airflow masks none of it either
    assert masked_extra('["password"]') == '["password"]'
    assert json.loads(masked_extra('{"password": null, "token": ""}')) == {"password": None, "token": ""}
