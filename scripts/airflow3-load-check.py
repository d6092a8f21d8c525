"""Load check for the local Airflow 3 (scripts/airflow3-local.sh): are writes steady while tasks run?

Triggers RUNS runs of tit_bash, tit_xcom and tit_mapped (in turn) and, at the same time, makes WRITES
API writes from CONCURRENCY workers (PATCH a variable, POST + DELETE a pool, PATCH a DAG's is_paused),
then waits for the runs to end. Prints every status code counted, the bodies of any 5xx, and the runs'
final states; exits 1 on any 5xx or any run that did not succeed.

    .venv/bin/python scripts/airflow3-load-check.py [--runs 10] [--writes 200] [--concurrency 4]

For the numbers in the README run it with both cores busy:
    for i in 1 2; do python3 -c 'while True: pass' & done   # then kill those two pids
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import secrets
import sys
import time
from typing import Any, Dict, List, Optional, Tuple

import aiohttp

BASE_URL = f"http://127.0.0.1:{os.environ.get('TITANIUM_AIRFLOW3_PORT') or '28180'}"
API = BASE_URL + "/api/v2"
DAGS = ("tit_bash", "tit_xcom", "tit_mapped")
PAUSE_DAG = "tit_sandbox_b"


class Checker:
    def __init__(self, session: aiohttp.ClientSession, token: str) -> None:
        self.session = session
        self.headers = {"Authorization": f"Bearer {token}"}
        self.codes: Dict[Tuple[str, int], int] = collections.Counter()
        self.errors: List[str] = []

    async def call(self, label: str, method: str, path: str, body: Optional[Any] = None) -> Tuple[int, Any]:
        async with self.session.request(method, API + path, json=body, headers=self.headers) as response:
            text = await response.text()
        self.codes[(label, response.status)] += 1
        if response.status >= 500:
            self.errors.append(f"{method} {path} -> {response.status}: {text[:500]}")
        try:
            return response.status, json.loads(text) if text else None
        except ValueError:
            return response.status, text


async def login(session: aiohttp.ClientSession) -> str:
    async with session.post(BASE_URL + "/auth/token", json={"username": "admin", "password": "admin"}) as response:
        assert response.status == 201, response.status
        return str((await response.json())["access_token"])


async def writer(checker: Checker, prefix: str, worker: int, count: int) -> None:
    variable = f"{prefix}-var-{worker}"
    await checker.call("variable POST", "POST", "/variables", {"key": variable, "value": "0"})
    for i in range(count):
        kind = i % 3
        if kind == 0:
            await checker.call("variable PATCH", "PATCH", f"/variables/{variable}", {"key": variable, "value": str(i)})
        elif kind == 1:
            pool = f"{prefix}-pool-{worker}-{i}"
            await checker.call("pool POST", "POST", "/pools", {"name": pool, "slots": 1})
            await checker.call("pool DELETE", "DELETE", f"/pools/{pool}")
        else:
            await checker.call("dag PATCH", "PATCH", f"/dags/{PAUSE_DAG}", {"is_paused": i % 2 == 0})
    await checker.call("variable DELETE", "DELETE", f"/variables/{variable}")


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--writes", type=int, default=200, help="write operations in all (a pool is 2 requests)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    prefix = "load-" + secrets.token_hex(3)
    t0 = time.monotonic()
    async with aiohttp.ClientSession() as session:
        checker = Checker(session, await login(session))
        for dag_id in DAGS:
            await checker.call("dag PATCH", "PATCH", f"/dags/{dag_id}", {"is_paused": False})
        runs: List[Tuple[str, str]] = []

        async def trigger_all() -> None:
            for i in range(args.runs):
                dag_id = DAGS[i % len(DAGS)]
                run_id = f"{prefix}-{i}"
                status, _ = await checker.call(
                    "run POST", "POST", f"/dags/{dag_id}/dagRuns", {"dag_run_id": run_id, "logical_date": None}
                )
                if status == 200:
                    runs.append((dag_id, run_id))
                await asyncio.sleep(0.2)

        per_worker = args.writes // args.concurrency
        await asyncio.gather(trigger_all(), *(writer(checker, prefix, w, per_worker) for w in range(args.concurrency)))
        writes_done = time.monotonic() - t0

        states: Dict[Tuple[str, str], str] = {}
        deadline = time.monotonic() + args.timeout
        while len(states) < len(runs) and time.monotonic() < deadline:
            for dag_id, run_id in runs:
                if (dag_id, run_id) in states:
                    continue
                status, body = await checker.call("run GET", "GET", f"/dags/{dag_id}/dagRuns/{run_id}")
                if status == 200 and body["state"] in ("success", "failed"):
                    states[(dag_id, run_id)] = body["state"]
            await asyncio.sleep(1)
        runs_done = time.monotonic() - t0
        for dag_id, run_id in runs:
            await checker.call("run DELETE", "DELETE", f"/dags/{dag_id}/dagRuns/{run_id}")
        await checker.call("dag PATCH", "PATCH", f"/dags/{PAUSE_DAG}", {"is_paused": True})

    print(f"writes finished after {writes_done:.1f}s, runs after {runs_done:.1f}s")
    for (label, code), n in sorted(checker.codes.items()):
        print(f"  {label:16} {code}: {n}")
    final = collections.Counter(states.values())
    print(f"runs: {len(runs)} triggered, final states {dict(final)}, unfinished {len(runs) - len(states)}")
    for error in checker.errors:
        print("  5xx:", error)
    ok = not checker.errors and final.get("success", 0) == len(runs)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
