"""tit_deferrable: a deferrable sensor, so the triggerer is exercised; not paused.

Triggered by tests. Its task "wait" (WaitSensor, deferrable=True) defers at once to a trigger that fires
5 seconds later (state "deferred" meanwhile, GET /api/v2/... shows its trigger and the triggerer), then
resumes on a worker and succeeds; "done" follows. A run takes about 10 seconds.
(Not shorter: Airflow 3.3.2 fails a task that resumes before the executor has reported the exit of its
deferring try, about 1 s after it; see tit_hitl.)
"""

from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.sensors.time_delta import WaitSensor
from airflow.sdk import DAG

with DAG(
    dag_id="tit_deferrable",
    description="Titanium test DAG: a deferrable sensor (the triggerer)",
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    schedule=None,
    catchup=False,
    is_paused_upon_creation=False,
    tags=["titanium", "deferrable"],
    default_args={"owner": "titanium", "retries": 0},
):
    wait = WaitSensor(task_id="wait", time_to_wait=timedelta(seconds=5), deferrable=True)
    done = BashOperator(task_id="done", bash_command="echo TITANIUM-DEFERRED-DONE")
    wait >> done
