"""The ``variables``, ``connections`` and ``pools`` commands end to end, one scenario per function, for the
integration suites of both generations: each suite's module calls them with its ``Server``.

Everything a scenario creates has a name unique to it and is deleted at its end, passed or not.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from .cli_process import one_error_line, run_cli, table

Done = subprocess.CompletedProcess


@dataclass(frozen=True)
class Server:
    """One local Airflow as the scenarios see it."""

    host: str
    admin: Tuple[str, str]
    viewer: Tuple[str, str]
    unique: Callable[[str], str]  # a name no other test uses (letters, digits, _ and - only)
    # connections test: the options of a connection whose test passes, its message; one that fails, its message
    passing: Sequence[str]
    passed_message: str
    failing: Sequence[str]
    failed_message: str

    def cli(self, *args: str, user: Optional[Tuple[str, str]] = None) -> Done[str]:
        return run_cli(self.host, *args, user=user or self.admin)

    def ok(self, *args: str) -> Done[str]:
        done = self.cli(*args)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done


def fields(text: str) -> Dict[str, str]:
    """What ``get`` prints: one ``name  value`` pair a line."""
    pairs = (line.split(None, 1) for line in text.splitlines())
    return {pair[0]: pair[1] if len(pair) > 1 else "" for pair in pairs}


def rows_by_first(text: str) -> Dict[str, List[str]]:
    return {row[0]: row for row in table(text)[1:] if row}


# --------------------------------------------------------------------------- variables


def variable_round_trip(server: Server) -> None:
    key = server.unique("cli_var")
    try:
        created = server.ok("variables", "set", key, "42", "--description", "by-the-suite")
        assert table(created.stdout) == [["KEY", "VALUE", "DESCRIPTION"], [key, "42", "by-the-suite"]]
        assert created.stderr == f"created variable {key}\n"

        # An update without --description keeps it; a value that looks like JSON stays a string.
        updated = server.ok("variables", "set", key, "[1, 2]", "--json")
        assert updated.stderr == ""
        answer = json.loads(updated.stdout)
        assert (answer["key"], answer["value"], answer["description"]) == (key, "[1, 2]", "by-the-suite")

        shown = fields(server.ok("variables", "get", key).stdout)
        assert (shown["key"], shown["value"], shown["description"]) == (key, "[1, 2]", "by-the-suite")
        assert json.loads(server.ok("variables", "get", key, "--json").stdout)["value"] == "[1, 2]"

        listed = rows_by_first(server.ok("variables", "list", "--all").stdout)
        assert listed[key] == [key, "[1,", "2]", "by-the-suite"]
        collection = json.loads(server.ok("variables", "list", "--all", "--json").stdout)
        assert collection["total_entries"] == len(collection["variables"])
        assert {"key": key, "value": "[1, 2]"}.items() <= next(
            v for v in collection["variables"] if v["key"] == key
        ).items()
        page = json.loads(server.ok("variables", "list", "--limit", "1", "--json").stdout)
        assert len(page["variables"]) == 1 and page["total_entries"] >= 2

        refused = server.cli("variables", "delete", key)  # stdin is not a terminal: --yes is needed
        assert refused.returncode == 2 and "not without --yes" in one_error_line(refused)
        deleted = server.ok("variables", "delete", key, "--yes")
        assert (deleted.stdout, deleted.stderr) == ("", f"deleted variable {key}\n")
        missing = server.cli("variables", "get", key)
        assert missing.returncode == 2
        line = one_error_line(missing)
        assert key in line and line.endswith("(HTTP 404)")
        again = server.cli("variables", "delete", key, "--yes")
        assert again.returncode == 2 and key in one_error_line(again)
    finally:
        server.cli("variables", "delete", key, "--yes")


def variable_import_and_export(server: Server, tmp_path: Path) -> None:
    old, new, listed = (server.unique(label) for label in ("cli_old", "cli_new", "cli_list"))
    try:
        server.ok("variables", "set", old, "before", "--description", "kept")
        source = tmp_path / "variables.json"
        source.write_text(json.dumps({
            old: "after",  # exists: updated, its description kept
            new: {"value": '{"n": 1}', "description": "described"},  # airflow's form with a description
            listed: [1, 2],  # not a string: stored as its JSON text
        }))
        done = server.ok("variables", "import", str(source))
        assert table(done.stdout) == [["KEY", "RESULT"], [old, "updated"], [new, "created"], [listed, "created"]]
        assert done.stderr == "2 created, 1 updated, 0 failed\n"
        again = server.ok("variables", "import", str(source), "--json")
        assert json.loads(again.stdout) == {"created": [], "updated": [old, new, listed], "failed": {}}

        exported = tmp_path / "out" / "export.json"
        exported.parent.mkdir()
        written = server.ok("variables", "export", str(exported))
        assert written.stdout == "" and written.stderr.startswith("exported ")
        assert stat.S_IMODE(os.stat(exported).st_mode) == 0o600  # variables hold secrets
        document = json.loads(exported.read_text())
        assert document[old] == {"value": "after", "description": "kept"}
        assert document[new] == {"value": '{"n": 1}', "description": "described"}
        assert document[listed] == "[1, 2]"
        to_stdout = json.loads(server.ok("variables", "export").stdout)
        assert {key: to_stdout[key] for key in (old, new, listed)} == {key: document[key] for key in (old, new, listed)}

        # What export wrote, import reads back unchanged.
        round_trip = server.ok("variables", "import", str(exported), "--json")
        assert json.loads(round_trip.stdout)["failed"] == {}
        assert fields(server.ok("variables", "get", new).stdout)["value"] == '{"n": 1}'
    finally:
        for key in (old, new, listed):
            server.cli("variables", "delete", key, "--yes")


def variable_import_refusals(server: Server, tmp_path: Path) -> None:
    key = server.unique("cli_refused")
    source = tmp_path / "one.json"
    source.write_text(json.dumps({key: "value"}))
    try:
        as_viewer = server.cli("variables", "import", str(source), user=server.viewer)
        assert as_viewer.returncode == 2
        assert as_viewer.stderr.splitlines()[-1].startswith("titanium-airflow: error: ")
        assert "(HTTP 403)" in as_viewer.stdout + as_viewer.stderr
        if server.host.endswith("/api/v1"):  # one request per variable: a result each, the failed ones named
            assert table(as_viewer.stdout)[1][:2] == [key, "failed:"]
            assert as_viewer.stderr.splitlines()[-1] == f"titanium-airflow: error: 1 of 1 variables not imported: {key}"
        else:  # one bulk request, refused whole
            assert as_viewer.stdout == "" and as_viewer.stderr.splitlines()[0] == "nothing was imported"
        assert server.cli("variables", "get", key).returncode == 2  # nothing was created

        for text, problem in (
            ("{not json", "is not JSON"),
            ('["a", "b"]', "must hold a JSON object"),
            (json.dumps({key: None}), "has no value (null)"),
            ('{"a": "1", "a": "2"}', "appears twice"),
        ):
            source.write_text(text)
            done = server.cli("variables", "import", str(source))
            assert done.returncode == 2 and problem in one_error_line(done), (text, done.stderr)
        unreadable = server.cli("variables", "import", str(tmp_path / "missing.json"))
        assert unreadable.returncode == 2 and "cannot read" in one_error_line(unreadable)
    finally:
        server.cli("variables", "delete", key, "--yes")


# --------------------------------------------------------------------------- connections


def connection_round_trip(server: Server) -> None:
    conn = server.unique("cli_conn")
    extra = {"timeout": 5, "api_key": "k-123", "nested": {"token": "t-456"}}
    try:
        added = server.ok(
            "connections", "add", conn, *server.passing, "--login", "me", "--conn-password", "s3cret",
            "--port", "5432", "--description", "by-the-suite", "--extra", json.dumps({**_extra_of(server), **extra}),
        )
        assert added.stderr == f"added connection {conn}\n"
        row = table(added.stdout)
        assert row[0] == ["CONNECTION_ID", "CONN_TYPE", "HOST", "PORT", "LOGIN", "SCHEMA", "DESCRIPTION"]
        assert row[1][:2] == [conn, server.passing[1]] and row[1][-4:] == ["5432", "me", "-", "by-the-suite"]

        for args in (("get", conn), ("get", conn, "--json"), ("list", "--all"), ("list", "--all", "--json")):
            shown = server.ok("connections", *args).stdout
            assert "s3cret" not in shown and "k-123" not in shown and "t-456" not in shown, args
        got = fields(server.ok("connections", "get", conn).stdout)
        assert (got["connection_id"], got["login"], got["port"]) == (conn, "me", "5432")
        masked = json.loads(json.loads(server.ok("connections", "get", conn, "--json").stdout)["extra"])
        assert (masked["api_key"], masked["nested"], masked["timeout"]) == ("***", {"token": "***"}, 5)
        assert conn in rows_by_first(server.ok("connections", "list", "--all").stdout)
        listed = json.loads(server.ok("connections", "list", "--all", "--json").stdout)
        assert conn in [c["connection_id"] for c in listed["connections"]]

        tested = server.ok("connections", "test", conn)
        assert fields(tested.stdout) == {"connection_id": conn, "status": "passed", "message": server.passed_message}
        assert json.loads(server.ok("connections", "test", conn, "--json").stdout) == {
            "status": True, "message": server.passed_message
        }

        duplicate = server.cli("connections", "add", conn, "--conn-type", "fs")
        assert duplicate.returncode == 2 and one_error_line(duplicate).endswith("(HTTP 409)")
        refused = server.cli("connections", "delete", conn)
        assert refused.returncode == 2 and "not without --yes" in one_error_line(refused)
        deleted = server.ok("connections", "delete", conn, "--yes")
        assert deleted.stderr == f"deleted connection {conn}\n"
        missing = server.cli("connections", "get", conn)
        assert missing.returncode == 2 and conn in one_error_line(missing) and "(HTTP 404)" in missing.stderr
    finally:
        server.cli("connections", "delete", conn, "--yes")


def _extra_of(server: Server) -> Dict[str, object]:
    """The extra the passing options give (--extra JSON), merged into the round trip's own."""
    options = list(server.passing)
    if "--extra" in options:
        parsed: Dict[str, object] = json.loads(options[options.index("--extra") + 1])
        return parsed
    return {}


def connection_test_without_saving(server: Server) -> None:
    conn = server.unique("cli_untested")
    passed = server.ok("connections", "test", conn, *server.passing)
    assert fields(passed.stdout)["status"] == "passed"
    failed = server.cli("connections", "test", conn, *server.failing)
    assert failed.returncode == 1, failed.stderr
    assert fields(failed.stdout) == {"connection_id": conn, "status": "failed", "message": server.failed_message}
    as_json = server.cli("connections", "test", conn, *server.failing, "--json")
    assert as_json.returncode == 1 and json.loads(as_json.stdout) == {"status": False, "message": server.failed_message}
    missing = server.cli("connections", "get", conn)  # a test saves nothing
    assert missing.returncode == 2 and "(HTTP 404)" in one_error_line(missing)
    unknown = server.cli("connections", "test", conn)  # no --conn-type: the saved one, which there is not
    assert unknown.returncode == 2 and conn in one_error_line(unknown)


# --------------------------------------------------------------------------- pools


def pool_round_trip(server: Server) -> None:
    name = server.unique("cli_pool")
    try:
        nothing = server.cli("pools", "set", name)
        assert nothing.returncode == 2 and "nothing to set" in one_error_line(nothing)
        no_slots = server.cli("pools", "set", name, "--description", "x")
        assert no_slots.returncode == 2 and f"pool {name} does not exist; give --slots" in one_error_line(no_slots)

        created = server.ok("pools", "set", name, "--slots", "3", "--description", "by-the-suite")
        assert created.stderr == f"created pool {name}\n"
        rows = table(created.stdout)
        assert rows[0][:3] == ["NAME", "SLOTS", "OPEN_SLOTS"] and rows[0][-2:] == ["INCLUDE_DEFERRED", "DESCRIPTION"]
        assert rows[1][:3] == [name, "3", "3"] and rows[1][-2:] == ["false", "by-the-suite"]

        updated = json.loads(server.ok("pools", "set", name, "--slots", "5", "--include-deferred", "--json").stdout)
        assert (updated["slots"], updated["include_deferred"], updated["description"]) == (5, True, "by-the-suite")
        back = server.ok("pools", "set", name, "--no-include-deferred")
        assert back.stderr == f"updated pool {name}\n" and table(back.stdout)[1][1] == "5"

        shown = fields(server.ok("pools", "get", name).stdout)
        assert (shown["name"], shown["slots"], shown["include_deferred"]) == (name, "5", "false")
        assert json.loads(server.ok("pools", "get", name, "--json").stdout)["slots"] == 5
        assert rows_by_first(server.ok("pools", "list", "--all").stdout)[name][1] == "5"
        collection = json.loads(server.ok("pools", "list", "--all", "--json").stdout)
        assert {"default_pool", name} <= {pool["name"] for pool in collection["pools"]}

        default = server.cli("pools", "delete", "default_pool", "--yes")
        assert default.returncode == 2
        line = one_error_line(default)
        assert "Default Pool can't be deleted" in line and line.endswith("(HTTP 400)")
        refused = server.cli("pools", "delete", name)
        assert refused.returncode == 2 and "not without --yes" in one_error_line(refused)
        assert server.ok("pools", "delete", name, "--yes").stderr == f"deleted pool {name}\n"
        missing = server.cli("pools", "get", name)
        assert missing.returncode == 2 and name in one_error_line(missing) and "(HTTP 404)" in missing.stderr
    finally:
        server.cli("pools", "delete", name, "--yes")
