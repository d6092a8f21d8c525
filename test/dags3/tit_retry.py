"""tit_retry: a task that fails on try 1 and succeeds on try 2 (retries=1, 1 s apart); not paused.

Triggered by tests. Its task "flaky" decides by {{ ti.try_number }}, so a run always ends in
success with two tries: get_task_instance_tries lists try 1 (failed) and try 2 (success), and
the try details and logs answer for each. Each try logs "TITANIUM-RETRY try=<n>".
"""

from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

with DAG(
    dag_id="tit_retry",
    description="Titanium test DAG: fails once, then succeeds on its retry",
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    schedule=None,
    catchup=False,
    is_paused_upon_creation=False,
    tags=["titanium", "retry"],
    default_args={"owner": "titanium"},
):
    BashOperator(
        task_id="flaky",
        bash_command='echo "TITANIUM-RETRY try={{ ti.try_number }}"; test {{ ti.try_number }} -ge 2',
        retries=1,
        retry_delay=timedelta(seconds=1),
    )
