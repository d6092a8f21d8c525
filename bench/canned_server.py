"""A canned Airflow-shaped server for the benchmark: its own process, loopback only.

Answers ``GET /api/v1/dags/{dag_id}/dagRuns/{run_id}`` and
``GET /api/v1/dags/{dag_id}/dagRuns?limit=&offset=`` with DAG-run JSON as
Airflow 2.11 writes it (sorted keys, two-space indent), and Airflow 3's
``GET /api/v2/dags/{dag_id}/dagRuns/{run_id}`` as 3.3 writes it (compact), with
``POST /auth/token`` handing out a JWT that expires in a day. Bodies are rendered
once, so the server spends little CPU per request. Prints its port, then serves
until killed.

    python bench/canned_server.py --runs 100000
"""

from __future__ import annotations

import argparse
import asyncio
import base64
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


def dag_run_v2(index: int) -> dict[str, object]:
    """One DAG run as Airflow 3.3's DAGRunResponse dumps it (field order as the server's)."""
    logical = START + timedelta(minutes=index)
    iso = logical.isoformat().replace("+00:00", "Z")
    end = (logical + timedelta(seconds=42, microseconds=123456)).isoformat().replace("+00:00", "Z")
    return {
        "dag_run_id": f"scheduled__{logical.isoformat()}",
        "dag_id": "bench_dag",
        "logical_date": iso,
        "queued_at": iso,
        "start_date": iso,
        "end_date": end,
        "duration": 42.123456,
        "data_interval_start": iso,
        "data_interval_end": iso,
        "run_after": iso,
        "last_scheduling_decision": end,
        "run_type": "scheduled",
        "state": "success",
        "triggered_by": "timetable",
        "triggering_user_name": None,
        "conf": {"batch": index % 7, "source": "bench"},
        "note": None,
        "dag_versions": [
            {
                "id": "0199c0de-0000-7000-8000-000000000001",
                "version_number": 1,
                "dag_id": "bench_dag",
                "bundle_name": "dags-folder",
                "bundle_version": None,
                "created_at": iso,
                "dag_display_name": "bench_dag",
                "bundle_url": None,
            }
        ],
        "bundle_version": None,
        "dag_display_name": "bench_dag",
        "partition_key": None,
        "partition_date": None,
    }


def jwt(lifetime: int) -> str:
    """An unsigned-looking JWT whose payload has iat and exp (the client reads them, never checks the signature)."""
    now = int(datetime.now(timezone.utc).timestamp())
    parts = [{"alg": "HS512", "typ": "JWT"}, {"sub": "admin", "iat": now, "exp": now + lifetime}]
    encoded = [base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode() for part in parts]
    return ".".join([*encoded, "c2lnbmF0dXJl"])


def render(value: object) -> str:
    return json.dumps(value, indent=2, sort_keys=True)


def build_app(total_runs: int) -> web.Application:
    runs = [render(dag_run(i)) for i in range(total_runs)]
    single = render(dag_run(0)).encode()

    async def get_dag_run(request: web.Request) -> web.Response:
        return web.Response(body=single, content_type="application/json")

    single_v2 = json.dumps(dag_run_v2(0), separators=(",", ":")).encode()

    async def get_dag_run_v2(request: web.Request) -> web.Response:
        return web.Response(body=single_v2, content_type="application/json")

    async def token(request: web.Request) -> web.Response:
        return web.json_response({"access_token": jwt(86400)}, status=201)

    async def get_dag_runs(request: web.Request) -> web.Response:
        limit = int(request.query.get("limit", "100"))
        offset = int(request.query.get("offset", "0"))
        page = ",\n".join(runs[offset : offset + limit])
        body = f'{{\n  "dag_runs": [\n{page}\n  ],\n  "total_entries": {total_runs}\n}}\n'
        return web.Response(body=body.encode(), content_type="application/json")

    app = web.Application()
    app.router.add_get("/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}", get_dag_run)
    app.router.add_get("/api/v1/dags/{dag_id}/dagRuns", get_dag_runs)
    app.router.add_get("/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}", get_dag_run_v2)
    app.router.add_post("/auth/token", token)
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
