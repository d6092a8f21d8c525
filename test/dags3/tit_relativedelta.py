"""tit_relativedelta: dateutil relativedelta schedule; paused at creation."""

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG
from dateutil.relativedelta import relativedelta

with DAG(
    dag_id="tit_relativedelta",
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    schedule=relativedelta(months=1),
    catchup=False,
    is_paused_upon_creation=True,
    tags=["titanium", "relativedelta"],
    default_args={"owner": "titanium"},
):
    EmptyOperator(task_id="noop")
