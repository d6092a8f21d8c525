"""A canned Airflow-shaped server for the benchmark: its own process, loopback only.

Answers ``GET /api/v1/dags/{dag_id}/dagRuns/{run_id}`` and
``GET /api/v1/dags/{dag_id}/dagRuns?limit=&offset=`` with DAG-run JSON as
Airflow 2.11 writes it (sorted keys, two-space indent). Bodies are rendered
once, so the server spends little CPU per request. Prints its port, then serves
until killed.

    python bench/canned_server.py --runs 100000
"""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import datetime, timedelta, timezone

from aiohttp import web

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def dag_run(index: int) -> dict[str, object]:
    """One DAG run as Airflow 2.11's DAGRunSchema dumps it."""
    logical = START + timedelta(minutes=index)
    iso = logical.isoformat()
    return {
        "conf": {"batch": index % 7, "source": "bench"},
        "dag_id": "bench_dag",
        "dag_run_id": f"scheduled__{iso}",
        "data_interval_end": (logical + timedelta(minutes=1)).isoformat(),
        "data_interval_start": iso,
        "end_date": (logical + timedelta(seconds=42, microseconds=123456)).isoformat(),
        "execution_date": iso,
        "external_trigger": False,
        "last_scheduling_decision": (logical + timedelta(seconds=41, microseconds=654321)).isoformat(),
        "logical_date": iso,
        "note": None,
        "run_type": "scheduled",
        "start_date": (logical + timedelta(seconds=1, microseconds=250000)).isoformat(),
        "state": "success",
    }


def render(value: object) -> str:
    return json.dumps(value, indent=2, sort_keys=True)


def build_app(total_runs: int) -> web.Application:
    runs = [render(dag_run(i)) for i in range(total_runs)]
    single = render(dag_run(0)).encode()

    async def get_dag_run(request: web.Request) -> web.Response:
        return web.Response(body=single, content_type="application/json")

    async def get_dag_runs(request: web.Request) -> web.Response:
        limit = int(request.query.get("limit", "100"))
        offset = int(request.query.get("offset", "0"))
        page = ",\n".join(runs[offset : offset + limit])
        body = f'{{\n  "dag_runs": [\n{page}\n  ],\n  "total_entries": {total_runs}\n}}\n'
        return web.Response(body=body.encode(), content_type="application/json")

    app = web.Application()
    app.router.add_get("/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}", get_dag_run)
    app.router.add_get("/api/v1/dags/{dag_id}/dagRuns", get_dag_runs)
    return app


async def serve(total_runs: int) -> None:
    runner = web.AppRunner(build_app(total_runs), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(port, flush=True)  # the parent reads the port from the first line
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=100_000, help="DAG runs in the listing")
    asyncio.run(serve(parser.parse_args().runs))


if __name__ == "__main__":
    main()
