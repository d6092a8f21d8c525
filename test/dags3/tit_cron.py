"""tit_cron: cron-scheduled DAG with params and docs; paused at creation."""

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, task

with DAG(
    dag_id="tit_cron",
    description="Titanium test DAG on a cron schedule",
    doc_md="# tit_cron\n\nA **cron** scheduled DAG used by titanium_airflow_client tests.",
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    schedule="0 3 * * *",
    catchup=False,
    is_paused_upon_creation=True,
    tags=["titanium", "cron"],
    params={"greeting": "hello", "count": 3},
    default_args={"owner": "titanium", "retries": 0},
):

    @task(task_id="compute")
    def compute(params=None):
        return {"greeting": params["greeting"], "count": params["count"]}

    start = EmptyOperator(task_id="start")
    extract = BashOperator(task_id="extract", bash_command="echo {{ params.greeting }}")
    end = EmptyOperator(task_id="end")
    start >> [extract, compute()] >> end
