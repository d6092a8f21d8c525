"""tit_pool_warning: a DAG whose task uses a pool that does not exist, for GET /dagWarnings; paused.

The scheduler's DAG file processor records, on each parse of this file, the warning
(dag_id "tit_pool_warning", warning_type "non-existent pool")
"Dag 'tit_pool_warning' references non-existent pools: ['tit_no_such_pool']".
Never run it: its task could not get a pool slot. Never create the pool "tit_no_such_pool".
"""

from datetime import datetime, timezone

from airflow import DAG
from airflow.operators.empty import EmptyOperator

with DAG(
    dag_id="tit_pool_warning",
    description="Titanium test DAG: uses a pool that does not exist (a DAG warning)",
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    schedule=None,
    catchup=False,
    is_paused_upon_creation=True,
    tags=["titanium", "warning"],
    default_args={"owner": "titanium"},
):
    EmptyOperator(task_id="noop", pool="tit_no_such_pool")
