"""``titanium-airflow health`` and ``version``: the server's components and its Airflow version."""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

from titanium_airflow_client.cli.commands.group import Commands
from titanium_airflow_client.cli.context import Context
from titanium_airflow_client.cli.errors import EXIT_OK, EXIT_UNHEALTHY
from titanium_airflow_client.cli.output import Column, cell

# Airflow 2.11 and 3 report the same components; each component but the database has a heartbeat.
COMPONENTS = ("metadatabase", "scheduler", "triggerer", "dag_processor")
HEALTH_COLUMNS: List[Column] = [
    ("component", lambda row: row[0]),
    ("status", lambda row: row[1]),
    ("latest_heartbeat", lambda row: row[2]),
]


def register(commands: Commands) -> None:
    commands.command(
        "health", show_health, "the health of the server's components (get_health); exit 1 when one is unhealthy"
    )
    commands.command("version", show_version, "the server's Airflow version and API (get_version)")


def show_health(ctx: Context) -> int:
    if ctx.v2:
        from titanium_airflow_client.v2.sync import MonitorApi

        health: Any = MonitorApi(ctx.client).get_health()
    else:
        from titanium_airflow_client.sync import MonitoringApi

        health = MonitoringApi(ctx.client).get_health()
    rows = [row for row in (_component(name, getattr(health, name, None)) for name in COMPONENTS) if row]
    if ctx.out.as_json:
        ctx.out.json_text(health.to_json())
    else:
        ctx.out.table(rows, HEALTH_COLUMNS)
    unhealthy = [name for name, status, _ in rows if status == "unhealthy"]  # "-": the server does not know
    if unhealthy:
        ctx.out.note(f"not healthy: {', '.join(unhealthy)}")
        return EXIT_UNHEALTHY
    return EXIT_OK


def _component(name: str, status: Any) -> Optional[Tuple[str, str, str]]:
    """``(component, status, latest heartbeat)``; None for a component this server does not report."""
    if status is None:
        return None
    heartbeat = next((value for key, value in vars(status).items() if key.startswith("latest_")), None)
    return name, cell(status.status), cell(heartbeat)


def show_version(ctx: Context) -> int:
    if ctx.v2:
        from titanium_airflow_client.v2.sync import VersionApi

        info: Any = VersionApi(ctx.client).get_version()
    else:
        from titanium_airflow_client.sync import MonitoringApi

        info = MonitoringApi(ctx.client).get_version()
    if ctx.out.as_json:
        ctx.out.json_text(info.to_json())
    else:
        api = f"/api/{ctx.api}"
        ctx.out.pairs([("version", cell(info.version)), ("git_version", cell(info.git_version)), ("api", api)])
    return EXIT_OK
