"""tit_asset_queue: scheduled on two assets that no task produces, for queued asset events; not paused.

An asset event for one of them (POST /api/v2/assets/events with the asset_id of "tit_queue_a") leaves a
queued event for this DAG, which the queued-event endpoints (GET/DELETE /dags/{dag_id}/assets/queuedEvents,
/assets/{asset_id}/queuedEvents, ...) list and remove. It runs only once both assets have an event.
Not paused: Airflow queues events only for DAGs that are not paused.
"""

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, Asset

QUEUE_A = Asset(name="tit_queue_a", uri="file:///tmp/titanium/queue_a", group="titanium")
QUEUE_B = Asset(name="tit_queue_b", uri="file:///tmp/titanium/queue_b", group="titanium")

with DAG(
    dag_id="tit_asset_queue",
    description="Titanium test DAG: waits for two assets, so events queue up",
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    schedule=[QUEUE_A, QUEUE_B],
    catchup=False,
    is_paused_upon_creation=False,
    tags=["titanium", "asset"],
    default_args={"owner": "titanium", "retries": 0},
):
    EmptyOperator(task_id="consume")
