"""tit_timedelta: timedelta schedule; paused at creation."""

from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG

with DAG(
    dag_id="tit_timedelta",
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    schedule=timedelta(hours=6),
    catchup=False,
    is_paused_upon_creation=True,
    tags=["titanium", "timedelta"],
    default_args={"owner": "titanium"},
):
    EmptyOperator(task_id="noop")
