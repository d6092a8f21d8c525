"""tit_log_follow: a task whose log grows while a test reads it, then goes on in a retry; not paused.

Triggered by the tests of follow_log. Its task "follow" (retries=1, 1 s apart):
- try 1 logs "TITANIUM-FOLLOW try=1 waiting", then waits until the Airflow Variable
  "tit_log_follow_release_<run_id>" exists (checked every 0.5 s, for at most RELEASE_TIMEOUT seconds),
  logs "TITANIUM-FOLLOW try=1 released" and fails;
- try 2 logs "TITANIUM-FOLLOW try=2" and succeeds.
A test that creates the variable only once it has read the first line knows that the line was read while the
log was still growing, with no timing involved. Tests delete the variable afterwards.
"""

import time
from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG, Variable, get_current_context, task

RELEASE_PREFIX = "tit_log_follow_release_"
RELEASE_TIMEOUT = 120.0  # a test that never releases holds a worker slot this long at most

with DAG(
    dag_id="tit_log_follow",
    description="Titanium test DAG: a log that grows while it is followed, and a retry",
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    schedule=None,
    catchup=False,
    is_paused_upon_creation=False,
    tags=["titanium", "log"],
    default_args={"owner": "titanium"},
):

    @task(retries=1, retry_delay=timedelta(seconds=1))
    def follow() -> None:
        context = get_current_context()
        try_number = context["ti"].try_number
        if try_number >= 2:
            print(f"TITANIUM-FOLLOW try={try_number}", flush=True)
            return
        print(f"TITANIUM-FOLLOW try={try_number} waiting", flush=True)
        release = RELEASE_PREFIX + context["run_id"]
        deadline = time.monotonic() + RELEASE_TIMEOUT
        while Variable.get(release, default=None) is None and time.monotonic() < deadline:
            time.sleep(0.5)
        print(f"TITANIUM-FOLLOW try={try_number} released", flush=True)
        raise RuntimeError("TITANIUM-FOLLOW fails on purpose: the retry follows")

    follow()
