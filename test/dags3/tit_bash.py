"""tit_bash: tiny bash DAG, not paused, triggered manually by tests."""

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG(
    dag_id="tit_bash",
    description="Titanium test DAG: two quick bash tasks",
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    schedule=None,
    catchup=False,
    is_paused_upon_creation=False,
    tags=["titanium", "bash"],
    default_args={"owner": "titanium", "retries": 0},
):
    hello = BashOperator(task_id="hello", bash_command='echo "hello from {{ run_id }}"')
    goodbye = BashOperator(task_id="goodbye", bash_command="echo goodbye")
    hello >> goodbye
