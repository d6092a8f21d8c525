"""tit_dataset_queue: scheduled on two datasets that no task produces, for queued dataset events; not paused.

A dataset event for one of them (POST /datasets/events with dataset_uri QUEUE_A) leaves a queued
event for this DAG, which get_dag_dataset_queued_event(s) and get_dataset_queued_events list and
the delete_*_queued_event(s) operations remove. It runs only once both datasets have an event.
Not paused: Airflow queues events only for DAGs that are not paused.
"""

from datetime import datetime, timezone

from airflow import DAG
from airflow.datasets import Dataset
from airflow.operators.empty import EmptyOperator

QUEUE_A = Dataset("file:///tmp/titanium/queue_a")
QUEUE_B = Dataset("file:///tmp/titanium/queue_b")

with DAG(
    dag_id="tit_dataset_queue",
    description="Titanium test DAG: waits for two datasets, so events queue up",
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    schedule=[QUEUE_A, QUEUE_B],
    catchup=False,
    is_paused_upon_creation=False,
    tags=["titanium", "dataset"],
    default_args={"owner": "titanium", "retries": 0},
):
    EmptyOperator(task_id="consume")
