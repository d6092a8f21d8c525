"""``logs --follow --timeout`` against the real Airflow 3.3, run as a user runs it (cli_log_follow_scenario)."""

from __future__ import annotations

from .. import cli_log_follow_scenario as scenario
from .cli_admin_server import SERVER
from .conftest import unique

# The task's prints, as Airflow 3's messages read as text.
PRINTS = tuple(f"TITANIUM-FOLLOW {text} source=task.stdout" for text in ("try=1 waiting", "try=1 released", "try=2"))


def test_follow_gives_up_after_the_timeout_then_follows_to_the_end() -> None:
    run_id = unique("cli_follow_timeout")
    try:
        scenario.follow_gives_up_then_follows_to_the_end(SERVER, run_id, PRINTS)
    finally:
        SERVER.cli("runs", "delete", scenario.DAG, run_id, "--yes")
