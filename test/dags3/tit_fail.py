"""tit_fail: its only task fails at once (no retries); not paused."""

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG(
    dag_id="tit_fail",
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    schedule=None,
    catchup=False,
    is_paused_upon_creation=False,
    tags=["titanium", "fail"],
    default_args={"owner": "titanium", "retries": 0},
):
    BashOperator(task_id="fail", bash_command="echo failing; exit 1", retries=0)
