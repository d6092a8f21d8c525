"""Tables that fit the terminal: on a terminal no wider than it (the widest columns cut, ending in "…", the
header names kept), elsewhere whole cells; and every command takes ``--json``."""

from __future__ import annotations

import io
import sys
from typing import List

import pytest

from titanium_airflow_client.cli import parser
from titanium_airflow_client.cli.output import Column, Output, cell, cut, fit_widths

from .cli_run import every_command

COLUMNS: List[Column] = [("dag_id", lambda row: row[0]), ("note", lambda row: row[1]), ("state", lambda row: row[2])]
ROWS = [("tit_bash", "a long note that a person wrote about this run, far too long", "success"),
        ("tit_cron_long_name", "short", "failed")]


class Terminal(io.StringIO):
    """A stdout that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def printed(monkeypatch: pytest.MonkeyPatch, stdout: io.StringIO, columns: int = 40) -> List[str]:
    monkeypatch.setenv("COLUMNS", str(columns))  # what shutil.get_terminal_size reads first
    monkeypatch.setattr(sys, "stdout", stdout)
    Output(as_json=False).table(ROWS, COLUMNS)
    return stdout.getvalue().splitlines()


def test_on_a_terminal_the_widest_column_is_cut_to_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = printed(monkeypatch, Terminal(), columns=50)
    assert max(len(line) for line in lines) == 50
    assert lines[0].split() == ["DAG_ID", "NOTE", "STATE"]
    assert lines[1].split()[0] == "tit_bash" and lines[1].split()[-1] == "success"
    assert lines[1].endswith("…  success")
    assert lines[2].split() == ["tit_cron_long_name", "short", "failed"]  # short cells stay whole


def test_the_narrower_columns_keep_their_width_when_one_column_can_give(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = printed(monkeypatch, Terminal(), columns=60)
    assert len(lines[0]) <= 60 and max(len(line) for line in lines) == 60
    assert "tit_cron_long_name" in lines[2] and "…" not in lines[2]


def test_a_wide_terminal_shows_the_table_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = printed(monkeypatch, Terminal(), columns=200)
    assert ROWS[0][1] in lines[1] and "…" not in "".join(lines)


def test_not_a_terminal_prints_whole_cells_whatever_the_width(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = printed(monkeypatch, io.StringIO(), columns=20)
    assert ROWS[0][1] in lines[1] and "…" not in "".join(lines)


def test_a_very_narrow_terminal_cuts_headers_but_never_to_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = printed(monkeypatch, Terminal(), columns=12)
    header = lines[0].split()
    assert header == ["DAG…", "NOTE", "STA…"]  # a header keeps SHORTEST_HEADER characters, "…" included
    assert max(len(line) for line in lines) == 16  # 4 + 2 + 4 + 2 + 4: as narrow as it may be; the terminal wraps


@pytest.mark.parametrize(
    ("widths", "headers", "room", "expected"),
    [
        ([10, 20, 5], [6, 4, 5], 100, [10, 20, 5]),  # fits: unchanged
        ([10, 50, 5], [6, 4, 5], 30, [10, 15, 5]),  # only the widest gives
        ([30, 50, 5], [6, 4, 5], 31, [13, 13, 5]),  # the two widest share what is left
        ([30, 50, 5], [6, 4, 5], 32, [14, 13, 5]),  # the spare character goes to the first
        ([30, 50, 9], [20, 4, 9], 30, [11, 10, 9]),  # headers do not fit whole: may be cut, to 4 at least
        ([30, 50, 9], [20, 10, 9], 5, [4, 4, 4]),  # no room at all: as narrow as allowed
    ],
)
def test_fit_widths(widths: List[int], headers: List[int], room: int, expected: List[int]) -> None:
    assert fit_widths(widths, headers, room) == expected


def test_an_empty_string_is_shown_as_nothing_so_the_columns_stay_in_place() -> None:
    assert cell("") == cell(None) == "-"  # Airflow 2.11 sends git_version ""


def test_cut() -> None:
    assert cut("abcdef", 6) == "abcdef" and cut("abcdef", 4) == "abc…" and cut("", 0) == ""


def test_every_command_takes_json() -> None:
    commands = dict(every_command(parser.build_parser()))
    assert {"xcom list", "xcom get", "import-errors list", "datasets list", "assets list"} <= set(commands)
    without = [name for name, command in commands.items()
               if not any("--json" in action.option_strings for action in command._actions)]
    assert without == []
