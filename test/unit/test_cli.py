"""The command line, in-process against the local recording server (and as a subprocess where it matters).

``cli.main`` blocks, so it runs in a worker thread while the test's loop serves the fake server.
"""

from __future__ import annotations

import asyncio
import base64
import gc
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

from titanium_airflow_client import DAGCollection, DAGRun, DAGRunCollection, DagState, cli
from titanium_airflow_client.cli import arguments, config, output, parser

from .cli_run import every_command, run
from .conftest import FakeAirflow, Recorded, Reply

DAGS = {
    "dags": [
        {"dag_id": "tit_bash", "is_paused": False, "is_active": True, "tags": [{"name": "bash"}, {"name": "t"}],
         "owners": ["me"], "schedule_interval": None},
        {"dag_id": "tit_cron_long_name", "is_paused": True, "is_active": True, "tags": [],
         "schedule_interval": {"__type": "CronExpression", "value": "0 3 * * *"},
         "next_dagrun": "2026-01-02T03:00:00+00:00"},
    ],
    "total_entries": 5,
}
RUN = {"dag_id": "tit_bash", "dag_run_id": "r1", "state": "queued", "run_type": "manual",
       "logical_date": "2026-01-02T03:04:05+00:00", "conf": {"a": 1}, "note": None}


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.fixture
def env(fake_airflow: FakeAirflow, monkeypatch: pytest.MonkeyPatch) -> FakeAirflow:
    """The fake server as TITANIUM_AIRFLOW_HOST, with admin/s3cret from the environment."""
    monkeypatch.setenv("TITANIUM_AIRFLOW_HOST", fake_airflow.host)
    monkeypatch.setenv("TITANIUM_AIRFLOW_USERNAME", "admin")
    monkeypatch.setenv("TITANIUM_AIRFLOW_PASSWORD", "s3cret")
    return fake_airflow


def reply_json(fake: FakeAirflow, body: Any, status: int = 200) -> None:
    fake.reply(status, body, content_type="application/problem+json" if status >= 400 else "application/json")


# --------------------------------------------------------------------------- parsing


def parse(*argv: str) -> Any:
    return parser.parse_args(list(argv))


def test_options_repeat_split_on_commas_and_parse_dates_with_offsets() -> None:
    args = parse("runs", "list", "tit_bash", "--state", "failed", "--state", "queued,running", "--limit", "5",
                 "--offset", "10", "--order-by", "-start_date", "--start-date-gte", "2026-01-02T03:04:05+05:30",
                 "--end-date-lte", "2026-01-02T00:00:00Z", "--fields", "dag_run_id,state")
    assert args.state == ["failed", "queued", "running"]
    assert (args.limit, args.offset, args.order_by) == (5, 10, "-start_date")
    assert args.start_date_gte.isoformat() == "2026-01-02T03:04:05+05:30"
    assert args.end_date_lte.isoformat() == "2026-01-02T00:00:00+00:00"
    assert args.fields == ["dag_run_id", "state"]
    assert parse("runs", "list").dag_id == "~"


def test_connection_and_output_options_go_before_or_after_the_command() -> None:
    before = parse("--json", "--host", "http://h/api/v1", "dags", "list")
    after = parse("dags", "list", "--json", "--host", "http://h/api/v1", "--debug")
    assert before.json and after.json and before.host == after.host == "http://h/api/v1"
    assert not before.debug and after.debug
    assert parse("dags", "list").json is False


def test_paused_and_unpaused_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    assert parse("dags", "list", "--paused").paused is True
    assert parse("dags", "list", "--unpaused").paused is False
    assert parse("dags", "list").paused is None
    assert cli.main(["dags", "list", "--paused", "--unpaused"]) == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_conf_from_json_a_file_or_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conf_file = tmp_path / "conf.json"
    conf_file.write_text('{"from": "file"}')
    assert parse("runs", "trigger", "d", "--conf", '{"a": [1]}').conf == {"a": [1]}
    assert parse("runs", "trigger", "d", "--conf", f"@{conf_file}").conf == {"from": "file"}
    for bad, message in (
        ("[1]", "argument --conf: must be a JSON object {...}, not an array"),
        ("{x", "argument --conf: not JSON: Expecting property name"),
        (f"@{tmp_path / 'nonexistent'}", "argument --conf: cannot read"),
    ):
        assert cli.main(["runs", "trigger", "d", "--conf", bad]) == 2
        err = capsys.readouterr().err
        assert err.splitlines()[-1].startswith(f"titanium-airflow: error: {message}"), err
        assert err.count("error:") == 1 and err.count("--conf") == 2  # in the usage line, and said once
    conf_file.write_text("[]")
    assert cli.main(["runs", "trigger", "d", "--conf", f"@{conf_file}"]) == 2
    assert f"argument --conf: {conf_file} must hold a JSON object {{...}}, not an array" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["runs", "list", "--start-date-gte", "yesterday"],
        ["runs", "list", "--limit", "0"],
        ["runs", "set-state", "d", "r", "running"],
        ["dags"],
        ["nope"],
        [],
    ],
)
def test_usage_errors_exit_2(argv: List[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: titanium-airflow")
    assert err.splitlines()[-1].startswith("titanium-airflow: error: ")  # also for a command's own usage error
    assert err.count("error:") == 1


def _all_commands() -> Iterator[List[str]]:
    yield []
    for group, commands in {
        "dags": ["list", "get", "details", "source", "pause", "unpause", "delete"],
        "tasks": ["list", "get"],
        "runs": ["list", "get", "trigger", "note", "set-state", "clear", "delete"],
    }.items():
        yield [group]
        for command in commands:
            yield [group, command]


@pytest.mark.parametrize("command", list(_all_commands()), ids=lambda c: " ".join(c) or "top")
def test_help_on_every_command(command: List[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: titanium-airflow {' '.join(command)}".rstrip())
    if not command:  # the shared text is on top, once
        shared = ("exit status:", "130", "TITANIUM_AIRFLOW_HOST", "--token", "--debug", "titanium-airflow: error:")
        assert all(text in out for text in shared)
        return
    # A command's help is about the command; it points to the top for the rest.
    assert "exit status:" not in out and "TITANIUM_AIRFLOW_HOST" not in out and "--token TOKEN" not in out
    assert "`titanium-airflow --help` describes" in out
    assert len(out.splitlines()) <= (45 if command == ["runs", "list"] else 30), out  # runs list: 8 date filters


def test_tasks_get_help_is_short_and_describes_its_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["tasks", "get", "--help"]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) <= 15, out
    assert "DAG_ID      the DAG's id (dag_id)" in out and "TASK_ID     the task's id (task_id)" in out


def test_only_the_groups_a_command_line_names_get_their_commands() -> None:
    import argparse

    top = parser.build_parser({"runs", "get", "d", "r"})
    groups = next(action for action in top._actions if isinstance(action, argparse._SubParsersAction)).choices
    assert {"dags", "runs", "health", "version"} <= set(groups)  # every group is listed, for --help
    assert {"list", "get", "trigger"} <= {name.split()[0] for name, _ in every_command(groups["runs"])}
    assert list(every_command(groups["dags"])) == []  # listed, not built
    assert parser.parse_args(["runs", "get", "d", "r"]).dag_run_id == "r"


def test_every_positional_argument_is_described() -> None:
    import argparse

    commands = dict(every_command(parser.build_parser()))
    assert {"dags list", "tasks get", "runs trigger", "health", "version"} <= set(commands)
    positionals = [
        (name, action.metavar, action.help)
        for name, command in commands.items()
        for action in command._actions
        if not action.option_strings and not isinstance(action, argparse._SubParsersAction)
    ]
    assert {"DAG_ID", "TASK_ID", "RUN_ID", "TEXT", "STATE"} <= {metavar for _, metavar, _ in positionals}
    assert [(name, metavar) for name, metavar, text in positionals if not text] == []


def test_python_dash_m_help_in_a_subprocess() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "titanium_airflow_client", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: titanium-airflow")
    assert "runs" in done.stdout and "exit status:" in done.stdout


# --------------------------------------------------------------------------- output


async def test_table_is_aligned_with_sensible_columns(env: FakeAirflow, capsys: pytest.CaptureFixture[str]) -> None:
    reply_json(env, DAGS)
    result = await run(capsys, "dags", "list", "--tag", "t", "--paused")
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert lines[0].split() == ["DAG_ID", "PAUSED", "ACTIVE", "SCHEDULE", "NEXT_RUN", "TAGS", "OWNERS"]
    assert lines[1].split() == ["tit_bash", "false", "true", "-", "-", "bash,t", "me"]
    assert lines[2].split() == ["tit_cron_long_name", "true", "true", "0", "3", "*", "*", "*",
                                "2026-01-02T03:00:00+00:00", "-", "-"]
    assert lines[0].index("PAUSED") == lines[1].index("false") == lines[2].index("true")
    assert all(line == line.rstrip() for line in lines)
    assert result.err == "2 of 5 DAGs shown; see --limit/--offset, or --all\n"
    # Only what was given is sent; the API method's defaults apply to the rest.
    assert env.last.query == [("limit", "100"), ("tags", "t"), ("only_active", "true"), ("paused", "true")]


async def test_json_is_exactly_the_model_json(env: FakeAirflow, capsys: pytest.CaptureFixture[str]) -> None:
    reply_json(env, DAGS)
    result = await run(capsys, "dags", "list", "--json")
    assert result.code == 0 and result.err == ""
    assert result.out == DAGCollection.from_json(json.dumps(DAGS)).to_json() + "\n"
    reply_json(env, RUN)
    result = await run(capsys, "--json", "runs", "get", "tit_bash", "r1")
    assert result.out == DAGRun.from_json(json.dumps(RUN)).to_json() + "\n"


async def test_get_shows_every_field_one_per_line(env: FakeAirflow, capsys: pytest.CaptureFixture[str]) -> None:
    reply_json(env, {**RUN, "extra_from_newer_server": 7})
    result = await run(capsys, "runs", "get", "tit_bash", "scheduled__2026-01-01T00:00:00+00:00", "--fields", "state")
    assert result.code == 0
    rows = [line.split(None, 1) for line in result.out.splitlines()]
    # The fields asked for first, then the others the server sent anyway, in the model's order.
    assert rows[:4] == [["state", "queued"], ["dag_run_id", "r1"], ["dag_id", "tit_bash"],
                        ["logical_date", "2026-01-02T03:04:05+00:00"]]
    assert ["conf", '{"a":1}'] in rows and ["note", "-"] in rows and ["extra_from_newer_server", "7"] in rows
    assert env.last.path == "/api/v1/dags/tit_bash/dagRuns/scheduled__2026-01-01T00%3A00%3A00%2B00%3A00"
    assert env.last.query == [("fields", "state")]


async def test_fields_become_the_table_columns(env: FakeAirflow, capsys: pytest.CaptureFixture[str]) -> None:
    reply_json(env, {"dag_runs": [{"dag_run_id": "r1", "state": "success"}], "total_entries": 1})
    result = await run(capsys, "runs", "list", "--fields", "dag_run_id,state")
    assert result.out.splitlines() == ["DAG_RUN_ID  STATE", "r1          success"]
    assert env.last.path == "/api/v1/dags/~/dagRuns"


async def test_runs_list_all_pages_through_everything(env: FakeAirflow, capsys: pytest.CaptureFixture[str]) -> None:
    def respond(request: Recorded) -> Reply:
        query = dict(request.query)
        offset, limit = int(query.get("offset", 0)), min(int(query["limit"]), 40)
        runs = [{"dag_id": "d", "dag_run_id": f"r{i:03d}"} for i in range(offset, min(offset + limit, 95))]
        return Reply(body=json.dumps({"dag_runs": runs, "total_entries": 95}).encode())

    env.responder = respond
    result = await run(capsys, "runs", "list", "~", "--all", "--json", "--state", "success")
    assert result.code == 0, result
    collection = DAGRunCollection.from_json(result.out)
    assert [r.dag_run_id for r in collection.dag_runs or []] == [f"r{i:03d}" for i in range(95)]
    assert collection.total_entries == 95
    assert sorted(int(dict(r.query)["offset"]) for r in env.requests) == [0, 40, 80]
    assert all(("state", "success") in r.query for r in env.requests)
    result = await run(capsys, "runs", "list", "--all")
    assert len(result.out.splitlines()) == 96 and result.err == ""


async def test_dags_source_prints_the_file(env: FakeAirflow, capsys: pytest.CaptureFixture[str]) -> None:
    reply_json(env, {"dag_id": "d", "file_token": "tok.en"})
    reply_json(env, {"content": "print('hi')\n"})
    result = await run(capsys, "dags", "source", "d")
    assert result.out == "print('hi')\n"
    assert [r.path for r in env.requests] == ["/api/v1/dags/d", "/api/v1/dagSources/tok.en"]


# --------------------------------------------------------------------------- commands send the right requests


async def test_pause_unpause_note_set_state_clear(env: FakeAirflow, capsys: pytest.CaptureFixture[str]) -> None:
    env.responder = lambda request: Reply(body=json.dumps({**RUN, "dag_id": "d", "is_paused": True}).encode())
    assert (await run(capsys, "dags", "pause", "d")).code == 0
    assert (env.last.method, env.last.query, env.last.json()) == ("PATCH", [("update_mask", "is_paused")],
                                                                  {"is_paused": True})
    assert (await run(capsys, "dags", "unpause", "d")).code == 0
    assert env.last.json() == {"is_paused": False}
    result = await run(capsys, "runs", "note", "d", "r1", "looked at it")
    assert (env.last.method, env.last.path, env.last.json()) == ("PATCH", "/api/v1/dags/d/dagRuns/r1/setNote",
                                                                 {"note": "looked at it"})
    assert result.out.splitlines()[0].split() == ["DAG_ID", "DAG_RUN_ID", "STATE", "NOTE"]
    assert (await run(capsys, "runs", "set-state", "d", "r1", "failed")).code == 0
    assert (env.last.method, env.last.json()) == ("PATCH", {"state": "failed"})
    sent = len(env.requests)
    refused = await run(capsys, "runs", "clear", "d", "r1")  # a real clear needs --yes without a terminal
    assert refused.code == 2 and "not without --yes" in refused.err and len(env.requests) == sent
    assert (await run(capsys, "runs", "clear", "d", "r1", "--yes")).code == 0
    assert (env.last.path, env.last.json()) == ("/api/v1/dags/d/dagRuns/r1/clear", {"dry_run": False})
    env.responder = lambda request: Reply(body=json.dumps(
        {"task_instances": [{"dag_id": "d", "dag_run_id": "r1", "task_id": "t1"}]}).encode())
    result = await run(capsys, "runs", "clear", "d", "r1", "--dry-run")
    assert env.last.json() == {"dry_run": True}
    assert result.out.splitlines() == ["DAG_ID  DAG_RUN_ID  TASK_ID", "d       r1          t1"]
    assert "dry run" in result.err


async def test_delete_asks_for_yes_when_not_on_a_terminal(env: FakeAirflow, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    result = await run(capsys, "runs", "delete", "d", "r1")
    assert result.code == 2 and "--yes" in result.err and env.requests == []
    env.reply(204)
    result = await run(capsys, "runs", "delete", "d", "r1", "--yes")
    assert result.code == 0 and (env.last.method, env.last.path) == ("DELETE", "/api/v1/dags/d/dagRuns/r1")
    env.reply(204)
    assert (await run(capsys, "dags", "delete", "d", "-y", "--json")).out == ""


async def test_trigger_sends_the_run(env: FakeAirflow, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    reply_json(env, RUN)
    result = await run(capsys, "runs", "trigger", "tit_bash", "--run-id", "r1", "--conf", '{"a": 1}',
                       "--note", "hi", "--logical-date", "2026-01-02T08:34:05+05:30")
    assert result.code == 0, result
    assert env.last.json() == {"dag_run_id": "r1", "conf": {"a": 1}, "note": "hi",
                               "logical_date": "2026-01-02T08:34:05+05:30"}
    assert result.out.splitlines()[1].split()[:4] == ["tit_bash", "r1", "queued", "manual"]
    reply_json(env, {"dag_id": "tit_bash"})
    await run(capsys, "runs", "trigger", "tit_bash")
    assert env.last.json() == {}


# --------------------------------------------------------------------------- connection settings


async def test_flags_win_over_the_environment(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TITANIUM_AIRFLOW_HOST", "http://127.0.0.1:1/api/v1")
    monkeypatch.setenv("TITANIUM_AIRFLOW_USERNAME", "env-user")
    monkeypatch.setenv("TITANIUM_AIRFLOW_PASSWORD", "env-pass")
    result = await run(capsys, "--host", fake_airflow.host, "--password", "flag-pass", "dags", "list")
    assert result.code == 0, result
    assert fake_airflow.last.headers["Authorization"] == basic("env-user", "flag-pass")
    await run(capsys, "dags", "list", "--host", fake_airflow.host, "-u", "flag-user", "-p", "x")
    assert fake_airflow.last.headers["Authorization"] == basic("flag-user", "x")
    # A token flag replaces the environment's user and password.
    await run(capsys, "dags", "list", "--host", fake_airflow.host, "--token", "t0k")
    assert fake_airflow.last.headers["Authorization"] == "Bearer t0k"


async def test_environment_alone(env: FakeAirflow, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    assert (await run(capsys, "dags", "list")).code == 0
    assert env.last.headers["Authorization"] == basic("admin", "s3cret")
    monkeypatch.delenv("TITANIUM_AIRFLOW_USERNAME")
    monkeypatch.delenv("TITANIUM_AIRFLOW_PASSWORD")
    monkeypatch.setenv("TITANIUM_AIRFLOW_TOKEN", "tok")
    assert (await run(capsys, "dags", "list")).code == 0
    assert env.last.headers["Authorization"] == "Bearer tok"


@pytest.mark.parametrize(
    ("environ", "argv", "message"),
    [
        ({"TITANIUM_AIRFLOW_TOKEN": "t", "TITANIUM_AIRFLOW_USERNAME": "u", "TITANIUM_AIRFLOW_PASSWORD": "p"}, [],
         "both TITANIUM_AIRFLOW_TOKEN"),
        ({}, ["--token", "t", "--username", "u"], "not both"),
        ({"TITANIUM_AIRFLOW_USERNAME": "u"}, [], "no password for u"),
        ({}, ["--password", "p"], "needs a user name"),
        ({"TITANIUM_AIRFLOW_HOST": "ftp://x"}, [], "host must be an http"),
    ],
)
def test_bad_connection_settings_exit_2_with_one_line(
    environ: Dict[str, str], argv: List[str], message: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    assert cli.main([*argv, "dags", "list"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1 and message in captured.err


def test_default_host_is_the_configuration_default() -> None:
    configuration = config.configuration(parse("dags", "list"), environ={})
    assert configuration.host == "http://localhost:8080" and configuration.auth_header() is None


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("status", "problem", "expected"),
    [
        # The server's text names the DAG: it is all that is said.
        (404, {"title": "DAG not found", "detail": "The DAG with dag_id: nope was not found", "status": 404},
         "titanium-airflow: error: DAG not found: The DAG with dag_id: nope was not found (HTTP 404)"),
        # It does not: the line names what was asked for.
        (403, {"title": "Forbidden", "detail": None, "status": 403},
         "titanium-airflow: error: DAG nope: Forbidden (HTTP 403); check the credentials"),
        (409, {"title": "Conflict", "detail": "DAGRun with\nDAG ID exists", "status": 409},
         "titanium-airflow: error: DAG nope: Conflict: DAGRun with DAG ID exists (HTTP 409)"),
    ],
)
async def test_server_errors_are_one_line_with_title_and_detail(
    env: FakeAirflow, capsys: pytest.CaptureFixture[str], status: int, problem: Dict[str, Any], expected: str
) -> None:
    reply_json(env, problem, status)
    result = await run(capsys, "dags", "get", "nope")
    assert result.code == 2 and result.out == ""
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith(expected)


async def test_html_answer_hints_at_the_host(env: FakeAirflow, capsys: pytest.CaptureFixture[str]) -> None:
    env.reply(404, body=b"<!DOCTYPE html>\n<html>Airflow 404</html>", content_type="text/html")
    result = await run(capsys, "dags", "list")
    assert result.code == 2 and len(result.err.splitlines()) == 1
    assert "not an API answer" in result.err and "/api/v1" in result.err


def test_connection_refused_says_so_in_plain_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--host", "http://127.0.0.1:1/api/v1", "dags", "list"]) == 2
    assert capsys.readouterr().err == (
        "titanium-airflow: error: cannot connect to 127.0.0.1:1 (connection refused);"
        " is the server running and --host right?\n"
    )
    # --debug keeps the transport's own words.
    assert cli.main(["--host", "http://127.0.0.1:1/api/v1", "dags", "list", "--debug"]) == 2
    err = capsys.readouterr().err
    assert "ClientConnectorError" in err and "GET http://127.0.0.1:1/api/v1/dags" in err
    assert err.splitlines()[-1].startswith("titanium-airflow: error: cannot connect to 127.0.0.1:1")


async def test_an_untrusted_certificate_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    import ssl

    import trustme

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(context)  # a CA this machine does not trust

    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0, ssl=context)
    port = server.sockets[0].getsockname()[1]
    try:
        result = await run(capsys, "--host", f"https://127.0.0.1:{port}/api/v1", "dags", "list")
    finally:
        server.close()
        await server.wait_closed()
    assert result.code == 2
    assert result.err == (
        f"titanium-airflow: error: TLS failure with 127.0.0.1:{port}: unable to get local issuer certificate\n"
    )


def test_an_unknown_host_name_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--host", "http://no-such-host.invalid/api/v1", "dags", "list"]) == 2
    assert capsys.readouterr().err == (
        "titanium-airflow: error: cannot resolve the host name no-such-host.invalid; is --host right?\n"
    )


async def test_debug_logs_requests_without_credentials(env: FakeAirflow, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TITANIUM_AIRFLOW_USERNAME", "some-user")
    monkeypatch.setenv("TITANIUM_AIRFLOW_PASSWORD", "very-s3cret")
    result = await run(capsys, "dags", "list", "--debug")
    assert result.code == 0
    assert f"GET {env.host}/dags?limit=100&only_active=true -> 200" in result.err
    assert "authentication: user and password" in result.err
    assert "some-user" not in result.err  # as the README says: no credentials, the user name included
    assert "very-s3cret" not in result.err and basic("some-user", "very-s3cret") not in result.err
    result = await run(capsys, "dags", "list")
    assert "debug:" not in result.err  # the handler is gone after the command


def test_unquoted_tilde_expanded_by_the_shell_means_all_dags(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/someone")
    assert arguments.dag_id_or_all("/home/someone") == "~"
    assert arguments.dag_id_or_all(None) == "~" and arguments.dag_id_or_all("tit_bash") == "tit_bash"


def test_cells() -> None:
    from datetime import datetime, timezone

    from titanium_airflow_client import DagState, Tag, TimeDelta

    values: List[Tuple[Any, str]] = [
        (None, "-"), (True, "true"), (DagState.SUCCESS, "success"), ([Tag(name="a"), Tag(name="b")], "a,b"),
        (datetime(2026, 1, 2, 3, 4, 5, 123, tzinfo=timezone.utc), "2026-01-02T03:04:05+00:00"),
        (TimeDelta(days=1, seconds=60), "1 day, 0:01:00"), ({"k": [1]}, '{"k":[1]}'), ("a\nb", "a b"), ([], "-"),
        ("", "-"),
    ]
    for value, text in values:
        assert output.cell(value) == text


def test_what_parsing_repeats_of_the_library_agrees_with_it() -> None:
    from titanium_airflow_client.cli.errors import DEFAULT_HOST
    from titanium_airflow_client.configuration import DEFAULT_HOST as LIBRARY_DEFAULT_HOST

    assert DEFAULT_HOST + "/api/v1" == LIBRARY_DEFAULT_HOST
    assert tuple(state.value for state in DagState) == arguments.DAG_RUN_STATES


# --------------------------------------------------------------------------- instant start


HEAVY_MODULES = ("aiohttp", "pydantic", "yarl", "multidict", "dateutil", "titanium_airflow_client.models",
                 "titanium_airflow_client.sync", "titanium_airflow_client.configuration", "logging")


@pytest.mark.parametrize(
    "argv", [["--help"], ["--version"], ["runs", "trigger", "--help"], ["runs", "list", "--state", "bogus"]],
    ids=" ".join,
)
def test_parsing_imports_nothing_heavy(argv: List[str]) -> None:
    """--help, --version and usage errors answer before the library (aiohttp, pydantic, models) is imported."""
    script = (
        "import contextlib, io, sys\n"
        "from titanium_airflow_client.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    code = main({argv!r})\n"
        f"heavy = [name for name in {HEAVY_MODULES!r} if name in sys.modules]\n"
        "print(code, heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split(" ", 1)[1].strip() == "[]", done.stdout
    assert done.stdout.split(" ", 1)[0] in ("0", "2")


def test_a_parsed_command_line_has_imported_nothing_heavy() -> None:
    script = (
        "import sys\n"
        "from titanium_airflow_client.cli.parser import parse_args\n"
        "args = parse_args(['runs', 'trigger', 'd', '--conf', '{}', '--logical-date', '2026-01-02T00:00:00Z'])\n"
        f"print([name for name in {HEAVY_MODULES!r} if name in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, "[]"), done.stderr


def test_what_a_command_imports_leaves_dateutils_parser_out() -> None:
    """The client imports dateutil's parser (20-50 ms) only for a datetime given as text, which commands never pass."""
    script = (
        "import sys\n"
        "import titanium_airflow_client.sync as t\n"
        "t.ApiClient, t.DAGApi, t.DAGRunApi, t.DAGRun, t.Configuration\n"
        "print('dateutil.parser' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, "False"), done.stderr


@pytest.mark.parametrize(("given", "kept"), [(None, "__all__"), ("some_plugin", "some_plugin")])
async def test_a_command_skips_pydantic_plugin_discovery_unless_told_otherwise(
    env: FakeAirflow,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    given: Optional[str],
    kept: str,
) -> None:
    """pydantic reads every installed distribution's entry points for plugins when it builds its first
    validator; a command has no use for them. A setting of the user's own stays."""
    if given is not None:
        monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", given)
    reply_json(env, RUN)
    result = await run(capsys, "runs", "get", "tit_bash", "r1")
    assert result.code == 0, result
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == kept


async def test_the_program_runs_the_command_with_the_collector_resumed_and_start_up_frozen(
    env: FakeAirflow, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """run() (the console script) pauses the garbage collector for start-up; the command itself, which may
    follow a run for hours, runs with it on, and what start-up built set aside."""
    from titanium_airflow_client.cli.commands import runs

    seen: List[Tuple[bool, int]] = []
    show_run = runs.show_run

    def observed(ctx: Any) -> int:
        seen.append((gc.isenabled(), gc.get_freeze_count()))
        return show_run(ctx)

    monkeypatch.setattr(runs, "show_run", observed)
    monkeypatch.setattr(sys, "argv", ["titanium-airflow", "runs", "get", "tit_bash", "r1"])
    reply_json(env, RUN)
    try:
        with pytest.raises(SystemExit) as exited:
            await asyncio.to_thread(cli.run)
    finally:
        gc.unfreeze()
        gc.enable()
    assert exited.value.code == 0, capsys.readouterr()
    assert len(seen) == 1 and seen[0][0] is True and seen[0][1] > 10_000, seen
    assert "r1" in capsys.readouterr().out


# --------------------------------------------------------------------------- rough edges


def test_a_relativedelta_schedule_is_shown_as_dateutil_writes_it() -> None:
    from titanium_airflow_client import RelativeDelta

    monthly = RelativeDelta.from_dict({"__type": "RelativeDelta", "years": 0, "months": 1, "days": 0, "leapdays": 0,
                                       "hours": 0, "minutes": 0, "seconds": 0, "microseconds": 0, "year": None,
                                       "month": None, "day": None, "hour": None, "minute": None, "second": None,
                                       "microsecond": None})
    assert output.cell(monthly) == "relativedelta(months=+1)"
    assert output.cell(RelativeDelta(days=1, hour=3)) == "relativedelta(days=+1, hour=3)"
    assert output.cell(RelativeDelta(months=-1, day=31, minute=0)) == "relativedelta(months=-1, day=31, minute=0)"


async def test_dags_list_and_details_show_a_relativedelta_schedule_compactly(
    env: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    schedule = {"__type": "RelativeDelta", "years": 0, "months": 1, "days": 0, "leapdays": 0, "hours": 0,
                "minutes": 0, "seconds": 0, "microseconds": 0, "year": None, "month": None, "day": None,
                "hour": 3, "minute": None, "second": None, "microsecond": None}
    reply_json(env, {"dags": [{"dag_id": "monthly", "schedule_interval": schedule}], "total_entries": 1})
    result = await run(capsys, "dags", "list", "--fields", "dag_id,schedule_interval")
    assert result.out.splitlines() == ["DAG_ID   SCHEDULE_INTERVAL", "monthly  relativedelta(months=+1, hour=3)"]
    reply_json(env, {"dag_id": "monthly", "schedule_interval": schedule})
    result = await run(capsys, "dags", "details", "monthly")
    assert "schedule_interval  relativedelta(months=+1, hour=3)" in result.out.splitlines()


async def test_runs_list_of_an_unknown_dag_is_an_error(env: FakeAirflow, capsys: pytest.CaptureFixture[str]) -> None:
    reply_json(env, {"dag_runs": [], "total_entries": 0})  # what Airflow answers for a DAG it does not know
    reply_json(env, {"title": "DAG not found", "detail": "The DAG with dag_id: nope was not found", "status": 404},
               404)
    result = await run(capsys, "runs", "list", "nope")
    assert (result.code, result.out) == (2, "")
    assert result.err == ("titanium-airflow: error: DAG not found: The DAG with dag_id: nope was not found"
                          " (HTTP 404)\n")
    assert [r.path for r in env.requests] == ["/api/v1/dags/nope/dagRuns", "/api/v1/dags/nope"]


async def test_an_empty_runs_list_says_so(env: FakeAirflow, capsys: pytest.CaptureFixture[str]) -> None:
    reply_json(env, {"dag_runs": [], "total_entries": 0})
    reply_json(env, {"dag_id": "tit_bash"})  # the DAG exists: it has no such runs
    result = await run(capsys, "runs", "list", "tit_bash", "--state", "failed")
    assert (result.code, result.out, result.err) == (0, "", "no DAG runs match\n")
    reply_json(env, {"dag_runs": [], "total_entries": 0})
    result = await run(capsys, "runs", "list", "~", "--json")  # every DAG: nothing to check
    assert (result.code, result.err) == (0, "")  # JSON for programs: its total_entries says it
    assert DAGRunCollection.from_json(result.out).total_entries == 0
    assert [r.path for r in env.requests] == ["/api/v1/dags/tit_bash/dagRuns", "/api/v1/dags/tit_bash",
                                              "/api/v1/dags/~/dagRuns"]


async def test_unknown_run_states_are_refused_before_sending(
    env: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    result = await run(capsys, "runs", "list", "tit_bash", "--state", "success,bogus")
    assert result.code == 2 and env.requests == []
    assert result.err.splitlines()[-1] == ("titanium-airflow: error: argument --state: unknown DAG run state 'bogus';"
                                           " choose from queued, running, success, failed")


async def test_fields_keep_the_order_asked(env: FakeAirflow, capsys: pytest.CaptureFixture[str]) -> None:
    reply_json(env, {"dag_runs": [{"dag_run_id": "r1", "state": "success", "end_date": "2026-01-02T00:00:00+00:00"}],
                     "total_entries": 1})
    result = await run(capsys, "runs", "list", "--fields", "state,end_date", "--fields", "dag_run_id")
    assert result.out.splitlines()[0].split() == ["STATE", "END_DATE", "DAG_RUN_ID"]
    assert env.last.query[-3:] == [("fields", "state"), ("fields", "end_date"), ("fields", "dag_run_id")]
    reply_json(env, {"dag_run_id": "r1", "state": "success", "end_date": "2026-01-02T00:00:00+00:00"})
    result = await run(capsys, "runs", "get", "d", "r1", "--fields", "state,end_date,dag_run_id")
    assert [line.split()[0] for line in result.out.splitlines()] == ["state", "end_date", "dag_run_id"]
    reply_json(env, {"dag_id": "d", "is_paused": True, "tags": []})
    result = await run(capsys, "dags", "get", "d", "--fields", "is_paused,dag_id")
    assert [line.split()[0] for line in result.out.splitlines()][:2] == ["is_paused", "dag_id"]


@pytest.mark.parametrize(
    ("argv", "problem", "expected"),
    [
        (["tasks", "list", "nope"], {"title": "DAG not found", "detail": None, "status": 404},
         "titanium-airflow: error: DAG nope: DAG not found (HTTP 404)"),
        (["tasks", "get", "tit_bash", "nope"], {"title": "Task not found", "detail": None, "status": 404},
         "titanium-airflow: error: task nope of DAG tit_bash: Task not found (HTTP 404)"),
        (["tasks", "get", "tit_bash", "nope"], {"title": "Task not found", "detail": "No task nope", "status": 404},
         "titanium-airflow: error: task nope of DAG tit_bash: Task not found: No task nope (HTTP 404)"),
        (["runs", "get", "d", "r1"],
         {"title": "DAGRun not found", "detail": "DAGRun with DAG ID: 'd' and DagRun ID: 'r1' not found",
          "status": 404},
         "titanium-airflow: error: DAGRun not found: DAGRun with DAG ID: 'd' and DagRun ID: 'r1' not found (HTTP 404)"),
    ],
)
async def test_not_found_shows_the_servers_detail_and_names_the_ids(
    env: FakeAirflow, capsys: pytest.CaptureFixture[str], argv: List[str], problem: Dict[str, Any], expected: str
) -> None:
    reply_json(env, problem, 404)
    result = await run(capsys, *argv)
    assert (result.code, result.out, result.err) == (2, "", expected + "\n")


async def test_every_error_has_one_form(env: FakeAirflow, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """argparse's errors, our own checks, the library's refusals and the server's answers alike."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    reply_json(env, {"title": "Bad", "detail": "bad", "status": 400}, 400)
    lines = []
    for argv in (["dags", "list", "--limit", "x"], ["runs", "delete", "d", "r"], ["dags", "get", "a/b"],
                 ["dags", "get", "d"], ["nope"], ["--host", "ftp://x", "dags", "list"]):
        result = await run(capsys, *argv)
        assert result.code == 2, result
        lines.append(result.err.splitlines()[-1])
    assert all(line.startswith("titanium-airflow: error: ") for line in lines), lines
    assert all(line.count("error:") == 1 for line in lines), lines
