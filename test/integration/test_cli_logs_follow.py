"""``logs --follow --timeout`` against the real Airflow 2.11, run as a user runs it (cli_log_follow_scenario)."""

from __future__ import annotations

from .. import cli_log_follow_scenario as scenario
from .cli_admin_server import SERVER
from .conftest import RunRegistry, new_run_id

PRINTS = ("TITANIUM-FOLLOW try=1 waiting", "TITANIUM-FOLLOW try=1 released", "TITANIUM-FOLLOW try=2")


def test_follow_gives_up_after_the_timeout_then_follows_to_the_end(run_registry: RunRegistry) -> None:
    run_id = new_run_id("cli-follow-timeout")
    run_registry.add(scenario.DAG, run_id)
    scenario.follow_gives_up_then_follows_to_the_end(SERVER, run_id, PRINTS)
