"""The main job: trigger a DAG run on the local Airflow and follow it to its end.

Usage: python scripts/demo.py [DAG_ID]   (default: tit_bash)
Connection from TITANIUM_AIRFLOW_HOST / _USERNAME / _PASSWORD, defaulting to
the local server that `scripts/airflow-local.sh up` starts. Exit status 0 when
the run succeeds, 1 when it fails, 2 when the client cannot reach the server.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from datetime import datetime, timezone

from titanium_airflow_client import ApiClient, Configuration, DAGApi, DAGRun, DAGRunApi, DagState, OpenApiException

FINAL_STATES = {DagState.SUCCESS, DagState.FAILED}
POLL_SECONDS = 1.0
GIVE_UP_SECONDS = 600


async def follow_run(dag_id: str) -> bool:
    configuration = Configuration(
        host=os.environ.get("TITANIUM_AIRFLOW_HOST", "http://127.0.0.1:28080/api/v1"),
        username=os.environ.get("TITANIUM_AIRFLOW_USERNAME", "admin"),
        password=os.environ.get("TITANIUM_AIRFLOW_PASSWORD", "admin"),
    )
    async with ApiClient(configuration) as client:
        dags, runs = DAGApi(client), DAGRunApi(client)
        dag = await dags.get_dag(dag_id)
        if dag.is_paused:
            await dags.patch_dag(dag_id, {"is_paused": False}, update_mask=["is_paused"])
            print(f"unpaused {dag_id}")
        run_id = f"demo__{datetime.now(timezone.utc):%Y%m%dT%H%M%S%f}"
        run = await runs.post_dag_run(dag_id, DAGRun(dag_run_id=run_id, note="started by the demo"))
        print(f"triggered {dag_id} run {run.dag_run_id}: {run.state}")
        started = time.monotonic()
        last_state = run.state
        while run.state not in FINAL_STATES:
            if time.monotonic() - started > GIVE_UP_SECONDS:
                print(f"gave up after {GIVE_UP_SECONDS}s in state {run.state}")
                return False
            await asyncio.sleep(POLL_SECONDS)
            run = await runs.get_dag_run(dag_id, run_id)
            if run.state != last_state:
                print(f"{time.monotonic() - started:6.1f}s  {run.state}")
                last_state = run.state
        print(f"run {run_id} finished {run.state} in {time.monotonic() - started:.1f}s")
        return run.state == DagState.SUCCESS


def main() -> int:
    dag_id = sys.argv[1] if len(sys.argv) > 1 else "tit_bash"
    try:
        return 0 if asyncio.run(follow_run(dag_id)) else 1
    except OpenApiException as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
