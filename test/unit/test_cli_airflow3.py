"""The dags, tasks and runs commands against a fake Airflow 3 (v2 API, JWT login): the same command lines as on
Airflow 2, the requests Airflow 3 takes, its models in the same columns, and its login."""

from __future__ import annotations

import json
from typing import Dict, List, Tuple

import pytest

from titanium_airflow_client.v2.models import DAGCollectionResponse, DAGRunResponse

from .cli_run import Result, run
from .conftest import FakeAirflow, Recorded, Reply
from .scripted_airflow import ScriptedAirflow
from .v2_api import PASSWORD, USERNAME, Airflow3Auth, make_jwt, root_of

DAG_V2 = {
    "dag_id": "tit_bash", "is_paused": False, "is_stale": False, "timetable_summary": "0 3 * * *",
    "next_dagrun_logical_date": "2026-01-02T03:00:00Z", "tags": [{"name": "bash", "dag_id": "tit_bash"}],
    "owners": ["me"], "file_token": "ft",
}
RUN_V2 = {
    "dag_id": "tit_bash", "dag_run_id": "r1", "state": "queued", "run_type": "manual", "logical_date": None,
    "run_after": "2026-01-02T03:04:05Z", "start_date": None, "end_date": None, "conf": {}, "note": None,
}


class Airflow3:
    """A scripted fake Airflow 3 behind its JWT login; ``cli()`` runs a command line against its /api/v2 URL."""

    def __init__(self, fake: FakeAirflow, capsys: pytest.CaptureFixture[str]) -> None:
        self.fake, self.capsys = fake, capsys
        self.script = ScriptedAirflow(fake)
        self.auth = Airflow3Auth()
        scripted = fake.responder
        assert scripted is not None

        def respond(request: Recorded) -> Reply:
            if request.path == "/auth/token" and request.method == "POST":
                return self.auth.login(request)
            refusal = self.auth.refusal(request.path, request.headers)
            return refusal if refusal is not None else scripted(request)

        fake.responder = respond
        self.root = root_of(fake.host)

    async def cli(self, *argv: str, login: Tuple[str, str] = (USERNAME, PASSWORD)) -> Result:
        return await run(self.capsys, "--host", self.root + "/api/v2", "-u", login[0], "-p", login[1], *argv)

    def api_calls(self) -> List[str]:
        """``METHOD path?query`` of each request but the logins."""
        return [f"{r.method} {r.raw_path}" for r in self.fake.requests if r.path != "/auth/token"]

    def last(self) -> Recorded:
        return self.fake.requests[-1]


@pytest.fixture
def airflow3(fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]) -> Airflow3:
    return Airflow3(fake_airflow, capsys)


def fields_of(out: str) -> Dict[str, str]:
    return dict(line.split(None, 1) for line in out.splitlines())


# --------------------------------------------------------------------------- the login


async def test_user_and_password_log_in_then_send_the_token(airflow3: Airflow3) -> None:
    airflow3.script.on("GET", "/api/v2/dags/tit_bash", DAG_V2)
    result = await airflow3.cli("dags", "get", "tit_bash")
    assert result.code == 0, result
    login, call = airflow3.fake.requests
    assert (login.method, login.path, login.json()) == ("POST", "/auth/token",
                                                        {"username": USERNAME, "password": PASSWORD})
    assert "Authorization" not in login.headers
    assert call.path == "/api/v2/dags/tit_bash" and call.headers["Authorization"] == f"Bearer {airflow3.auth.issued[0]}"


async def test_a_token_is_sent_as_it_is_without_a_login(
    airflow3: Airflow3, capsys: pytest.CaptureFixture[str]
) -> None:
    token = make_jwt()
    airflow3.auth.valid.add(token)
    airflow3.script.on("GET", "/api/v2/dags/tit_bash", DAG_V2)
    result = await run(capsys, "--host", airflow3.root + "/api/v2", "--token", token, "dags", "get", "tit_bash")
    assert result.code == 0, result
    assert [r.path for r in airflow3.fake.requests] == ["/api/v2/dags/tit_bash"]
    assert airflow3.last().headers["Authorization"] == f"Bearer {token}"


async def test_a_wrong_password_is_one_line_naming_401_and_not_the_password(airflow3: Airflow3) -> None:
    result = await airflow3.cli("dags", "list", login=(USERNAME, "wrong-Pa55word"))
    assert result.code == 2 and result.out == "", result
    assert len(result.err.splitlines()) == 1 and result.err.startswith("titanium-airflow: error: ")
    assert "HTTP 401" in result.err and "check the credentials" in result.err
    assert "wrong-Pa55word" not in result.err and PASSWORD not in result.err
    assert airflow3.api_calls() == []  # nothing but the refused login went out


# --------------------------------------------------------------------------- dags


async def test_dags_list_shows_airflow_3s_dags_in_the_same_columns(airflow3: Airflow3) -> None:
    stale = {**DAG_V2, "dag_id": "old", "is_stale": True, "is_paused": True, "tags": [], "timetable_summary": None,
             "next_dagrun_logical_date": None}
    airflow3.script.on("GET", "/api/v2/dags", {"dags": [DAG_V2, stale], "total_entries": 3})
    result = await airflow3.cli("dags", "list", "--tag", "bash", "--paused", "--include-inactive",
                                "--order-by", "-dag_id", "--limit", "2")
    assert result.code == 0, result
    assert [line.split() for line in result.out.splitlines()] == [
        ["DAG_ID", "PAUSED", "ACTIVE", "SCHEDULE", "NEXT_RUN", "TAGS", "OWNERS"],
        ["tit_bash", "false", "true", "0", "3", "*", "*", "*", "2026-01-02T03:00:00+00:00", "bash", "me"],
        ["old", "true", "false", "-", "-", "-", "me"],
    ]
    assert result.err == "2 of 3 DAGs shown; see --limit/--offset, or --all\n"
    assert airflow3.last().query == [("limit", "2"), ("offset", "0"), ("tags", "bash"), ("exclude_stale", "false"),
                                     ("paused", "true"), ("order_by", "-dag_id")]
    as_json = await airflow3.cli("dags", "list", "--json")
    assert as_json.out == DAGCollectionResponse.from_json(
        json.dumps({"dags": [DAG_V2, stale], "total_entries": 3})).to_json() + "\n"


async def test_fields_are_applied_by_the_command_on_airflow_3(airflow3: Airflow3) -> None:
    airflow3.script.on("GET", "/api/v2/dags", {"dags": [DAG_V2], "total_entries": 1})
    airflow3.script.on("GET", "/api/v2/dags/tit_bash/details", {**DAG_V2, "catchup": False})
    result = await airflow3.cli("dags", "list", "--fields", "is_paused,dag_id", "--json")
    assert json.loads(result.out) == {"dags": [{"is_paused": False, "dag_id": "tit_bash"}], "total_entries": 1}
    assert ("fields", "is_paused,dag_id") not in airflow3.last().query  # Airflow 3 has no such parameter
    result = await airflow3.cli("dags", "details", "tit_bash", "--fields", "catchup,dag_id")
    assert result.out.splitlines() == ["catchup  false", "dag_id   tit_bash"]
    result = await airflow3.cli("dags", "list", "--fields", "dag_id,schedule_interval")
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("titanium-airflow: error: unknown field schedule_interval for --fields; choose from")


async def test_dags_source_pause_unpause_and_delete(airflow3: Airflow3) -> None:
    airflow3.script.on("GET", "/api/v2/dagSources/tit_bash", {"content": "print('dag')", "dag_id": "tit_bash"})
    airflow3.script.on("PATCH", "/api/v2/dags/tit_bash", {**DAG_V2, "is_paused": True})
    airflow3.script.on("DELETE", "/api/v2/dags/tit_bash", b"", status=204)
    result = await airflow3.cli("dags", "source", "tit_bash")
    assert (result.code, result.out) == (0, "print('dag')\n")
    refused = await airflow3.cli("dags", "source", "--file-token", "ft")
    assert refused.code == 2 and "--file-token is for Airflow 2" in refused.err
    result = await airflow3.cli("dags", "pause", "tit_bash")
    assert result.code == 0 and result.out.splitlines()[1].split()[:3] == ["tit_bash", "true", "true"]
    assert (airflow3.last().query, airflow3.last().json()) == ([("update_mask", "is_paused")], {"is_paused": True})
    await airflow3.cli("dags", "unpause", "tit_bash")
    assert airflow3.last().json() == {"is_paused": False}
    result = await airflow3.cli("dags", "delete", "tit_bash", "--yes")
    assert (result.code, result.err) == (0, "deleted DAG tit_bash\n")


# --------------------------------------------------------------------------- tasks


async def test_tasks_list_and_get_on_airflow_3(airflow3: Airflow3) -> None:
    task = {"task_id": "hello", "operator_name": None, "class_ref": {"class_name": "BashOperator"}, "owner": "me",
            "trigger_rule": "all_success", "retries": 1.0, "downstream_task_ids": ["goodbye"]}
    airflow3.script.on("GET", "/api/v2/dags/tit_bash/tasks", {"tasks": [task], "total_entries": 1})
    airflow3.script.on("GET", "/api/v2/dags/tit_bash/tasks/hello", task)
    result = await airflow3.cli("tasks", "list", "tit_bash")
    assert [line.split() for line in result.out.splitlines()] == [
        ["TASK_ID", "OPERATOR", "OWNER", "TRIGGER_RULE", "RETRIES", "DOWNSTREAM"],
        ["hello", "BashOperator", "me", "all_success", "1", "goodbye"],
    ]
    result = await airflow3.cli("tasks", "get", "tit_bash", "hello", "--json")
    assert json.loads(result.out)["downstream_task_ids"] == ["goodbye"]


# --------------------------------------------------------------------------- runs


async def test_runs_list_sends_airflow_3s_filters(airflow3: Airflow3) -> None:
    airflow3.script.on("GET", "/api/v2/dags/tit_bash/dagRuns", {"dag_runs": [RUN_V2], "total_entries": 1})
    result = await airflow3.cli(
        "runs", "list", "tit_bash", "--state", "queued,failed", "--execution-date-gte", "2026-01-01T00:00:00Z",
        "--start-date-lte", "2026-02-01T00:00:00+01:00", "--order-by", "-start_date",
    )
    assert result.code == 0, result
    assert result.out.splitlines()[1].split() == ["tit_bash", "r1", "queued", "manual", "-", "-", "-"]
    assert airflow3.last().query == [
        ("limit", "50"), ("offset", "0"), ("logical_date_gte", "2026-01-01T00:00:00+00:00"),
        ("start_date_lte", "2026-02-01T00:00:00+01:00"),
        ("state", "queued"), ("state", "failed"), ("order_by", "-start_date"),
    ]


async def test_runs_list_all_pages_by_cursor(airflow3: Airflow3) -> None:
    first = {"dag_runs": [RUN_V2], "total_entries": 2, "next_cursor": "c2"}
    second = {"dag_runs": [{**RUN_V2, "dag_run_id": "r2"}], "total_entries": 2, "next_cursor": None}
    airflow3.script.on("GET", "/api/v2/dags/~/dagRuns", first, second)
    result = await airflow3.cli("runs", "list", "--all", "--json", "--fields", "dag_run_id")
    assert result.code == 0, result
    assert json.loads(result.out) == {"dag_runs": [{"dag_run_id": "r1"}, {"dag_run_id": "r2"}], "total_entries": 2}


async def test_runs_list_all_from_an_offset_pages_by_offset_from_there(airflow3: Airflow3) -> None:
    """A cursor cannot start mid-list: with --offset, --all pages by offset from it, and skips nothing after it."""
    second = {"dag_runs": [{**RUN_V2, "dag_run_id": "r2"}], "total_entries": 3, "next_cursor": "c3"}
    third = {"dag_runs": [{**RUN_V2, "dag_run_id": "r3"}], "total_entries": 3, "next_cursor": None}
    airflow3.script.on("GET", "/api/v2/dags/~/dagRuns", second, third)
    result = await airflow3.cli("runs", "list", "--all", "--offset", "1", "--limit", "1", "--fields", "dag_run_id")
    assert result.code == 0, result
    assert result.out.splitlines() == ["DAG_RUN_ID", "r2", "r3"]
    assert [r.query[:2] for r in airflow3.fake.requests if r.path != "/auth/token"] == [
        [("limit", "1"), ("offset", "1")], [("limit", "1"), ("offset", "2")],
    ]


async def test_runs_get_trigger_note_set_state_clear_delete(airflow3: Airflow3) -> None:
    run_path = "/api/v2/dags/tit_bash/dagRuns/r1"
    airflow3.script.on("GET", run_path, RUN_V2)
    airflow3.script.on("POST", "/api/v2/dags/tit_bash/dagRuns", RUN_V2)
    airflow3.script.on("PATCH", run_path, {**RUN_V2, "note": "seen", "state": "failed"})
    airflow3.script.on("POST", run_path + "/clear", {"task_instances": [
        {"dag_id": "tit_bash", "dag_run_id": "r1", "task_id": "hello"}], "total_entries": 1})
    airflow3.script.on("DELETE", run_path, b"", status=204)

    result = await airflow3.cli("runs", "get", "tit_bash", "r1", "--fields", "state,dag_run_id")
    assert result.out.splitlines() == ["state       queued", "dag_run_id  r1"]
    result = await airflow3.cli("runs", "trigger", "tit_bash", "--run-id", "r1", "--conf", '{"a": 1}', "--json")
    assert result.code == 0 and DAGRunResponse.from_json(result.out).dag_run_id == "r1"
    # Airflow 3 needs logical_date: null means a run without one
    assert airflow3.last().json() == {"logical_date": None, "dag_run_id": "r1", "conf": {"a": 1}}
    await airflow3.cli("runs", "trigger", "tit_bash", "--logical-date", "2026-01-02T03:04:05Z")
    assert airflow3.last().json() == {"logical_date": "2026-01-02T03:04:05+00:00"}
    result = await airflow3.cli("runs", "note", "tit_bash", "r1", "seen")
    assert (airflow3.last().method, airflow3.last().query, airflow3.last().json()) == (
        "PATCH", [("update_mask", "note")], {"note": "seen"})
    assert result.out.splitlines()[1].split() == ["tit_bash", "r1", "failed", "seen"]
    await airflow3.cli("runs", "set-state", "tit_bash", "r1", "failed")
    assert (airflow3.last().query, airflow3.last().json()) == ([("update_mask", "state")], {"state": "failed"})
    result = await airflow3.cli("runs", "clear", "tit_bash", "r1", "--yes")
    assert airflow3.last().json() == {"dry_run": False}  # Airflow 3's own default is a dry run
    assert result.out.splitlines() == ["DAG_ID    DAG_RUN_ID  TASK_ID", "tit_bash  r1          hello"]
    result = await airflow3.cli("runs", "delete", "tit_bash", "r1", "--yes")
    assert (result.code, result.err) == (0, "deleted run r1 of DAG tit_bash\n")


async def test_an_unknown_run_is_one_line_naming_it(airflow3: Airflow3) -> None:
    detail = "The DagRun with dag_id: `tit_bash` and run_id: `nope` was not found"
    airflow3.script.on("GET", "/api/v2/dags/tit_bash/dagRuns/nope", {"detail": detail}, status=404)
    result = await airflow3.cli("runs", "get", "tit_bash", "nope")
    assert (result.code, result.out) == (2, "")
    assert result.err == f"titanium-airflow: error: {detail} (HTTP 404)\n"
