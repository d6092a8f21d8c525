"""``--fields`` on ``variables``, ``connections`` and ``pools`` (list and get) end to end, one scenario per
function, for the integration suites of both generations (each suite's module calls them with its ``Server``):
the table's columns and ``--json``'s keys are the fields asked, in their order, and an unknown field is one
error line naming it (exit 2).

Everything a scenario creates has a name unique to it and is deleted at its end, passed or not.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List

from .cli_admin_scenarios import Server, fields
from .cli_process import one_error_line, table


def variables_with_fields(server: Server) -> None:
    key = server.unique("cli_fields_var")
    try:
        server.ok("variables", "set", key, "42", "--description", "by-fields")
        listed = server.ok("variables", "list", "--all", "--fields", "description", "--fields", "key")
        assert table(listed.stdout)[0] == ["DESCRIPTION", "KEY"]
        assert ["by-fields", key] in table(listed.stdout)
        collection = json.loads(server.ok("variables", "list", "--all", "--fields", "key,value", "--json").stdout)
        assert {"key": key, "value": "42"} in collection["variables"]
        assert all(set(item) <= {"key", "value"} for item in collection["variables"])
        assert collection["total_entries"] == len(collection["variables"])

        shown = server.ok("variables", "get", key, "--fields", "value,key")
        assert (shown.stdout, shown.stderr) == (f"value  42\nkey    {key}\n", "")
        as_json = server.ok("variables", "get", key, "--fields", "description", "--json")
        assert json.loads(as_json.stdout) == {"description": "by-fields"}
    finally:
        server.cli("variables", "delete", key, "--yes")


def pools_with_fields(server: Server) -> None:
    name = server.unique("cli_fields_pool")
    try:
        server.ok("pools", "set", name, "--slots", "3", "--description", "by-fields")
        listed = server.ok("pools", "list", "--all", "--fields", "slots,name,description")
        assert table(listed.stdout)[0] == ["SLOTS", "NAME", "DESCRIPTION"]
        assert ["3", name, "by-fields"] in table(listed.stdout)
        collection = json.loads(server.ok("pools", "list", "--all", "--fields", "name,open_slots", "--json").stdout)
        assert {"name": name, "open_slots": 3} in collection["pools"]
        assert all(set(pool) <= {"name", "open_slots"} for pool in collection["pools"])

        shown = server.ok("pools", "get", name, "--fields", "open_slots,name")
        assert shown.stdout == f"open_slots  3\nname        {name}\n"
        as_json = server.ok("pools", "get", name, "--fields", "slots,description", "--json")
        assert json.loads(as_json.stdout) == {"slots": 3, "description": "by-fields"}
    finally:
        server.cli("pools", "delete", name, "--yes")


def connections_with_fields(server: Server, sends_passwords: bool) -> None:
    """``sends_passwords``: whether the server sends a saved password back at all (Airflow 3, masked or
    not); Airflow 2 never does, and ``get`` then names the password asked on stderr."""
    connection_id = server.unique("cli_fields_conn")
    try:
        server.ok("connections", "add", connection_id, "--conn-type", "http", "--conn-host", "example.invalid",
                  "--conn-password", "s3cret-fields", "--schema", "https", "--port", "8443")
        listed = server.ok("connections", "list", "--all", "--fields", "schema,connection_id,port")
        assert table(listed.stdout)[0] == ["SCHEMA", "CONNECTION_ID", "PORT"]
        assert ["https", connection_id, "8443"] in table(listed.stdout)
        collection = json.loads(
            server.ok("connections", "list", "--all", "--fields", "connection_id,schema", "--json").stdout
        )
        assert {"connection_id": connection_id, "schema": "https"} in collection["connections"]
        assert all(set(item) <= {"connection_id", "schema"} for item in collection["connections"])

        shown = server.ok("connections", "get", connection_id, "--fields", "schema,host,password")
        as_json: Dict[str, Any] = json.loads(
            server.ok("connections", "get", connection_id, "--fields", "host,password", "--json").stdout
        )
        assert "s3cret-fields" not in shown.stdout + shown.stderr
        if sends_passwords:
            assert list(fields(shown.stdout).items()) == [("schema", "https"), ("host", "example.invalid"),
                                                          ("password", "***")]
            assert as_json == {"host": "example.invalid", "password": "***"}
        else:
            assert list(fields(shown.stdout).items()) == [("schema", "https"), ("host", "example.invalid")]
            assert shown.stderr == "note: the server sent no password\n"
            assert as_json == {"host": "example.invalid"}
    finally:
        server.cli("connections", "delete", connection_id, "--yes")


def unknown_fields_are_refused(server: Server) -> None:
    commands: List[List[str]] = [
        ["variables", "list"], ["variables", "get", "any"], ["connections", "list"],
        ["connections", "get", "any"], ["pools", "list"], ["pools", "get", "default_pool"],
    ]
    for command in commands:
        done = server.cli(*command, "--fields", "bogus_field")
        assert done.returncode == 2, (command, done.stderr)
        assert one_error_line(done).startswith(
            "titanium-airflow: error: unknown field bogus_field for --fields; choose from "
        ), command
    line = one_error_line(server.cli("pools", "list", "--fields", "slots", "--fields", "bogus_field"))
    assert line.startswith("titanium-airflow: error: unknown field bogus_field for --fields; choose from name, slots")
    line = one_error_line(server.cli("variables", "get", "any", "--fields", "key,nope"))
    assert line.startswith("titanium-airflow: error: unknown field nope for --fields; choose from key, ")
