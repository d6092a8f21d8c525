"""tit_dataset_producer -> tit_dataset_consumer via a Dataset; both not paused."""

from datetime import datetime, timezone

from airflow import DAG
from airflow.datasets import Dataset
from airflow.operators.bash import BashOperator
from airflow.operators.empty import EmptyOperator

DS1 = Dataset("file:///tmp/titanium/ds1")
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

with DAG(
    dag_id="tit_dataset_producer",
    start_date=START,
    schedule=None,
    catchup=False,
    is_paused_upon_creation=False,
    tags=["titanium", "dataset"],
    default_args={"owner": "titanium", "retries": 0},
):
    BashOperator(task_id="produce", bash_command="echo produced", outlets=[DS1])

with DAG(
    dag_id="tit_dataset_consumer",
    start_date=START,
    schedule=[DS1],
    catchup=False,
    is_paused_upon_creation=False,
    tags=["titanium", "dataset"],
    default_args={"owner": "titanium", "retries": 0},
):
    EmptyOperator(task_id="consume")
