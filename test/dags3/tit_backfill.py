"""tit_backfill: a daily DAG for create_backfill and its dry run; not paused.

schedule "@daily" from 2024-01-01, catchup=False: the scheduler itself creates only the latest day's run
(run_type "scheduled", then one a day), so every other day from 2024-01-01 on is there for a backfill
to create (POST /api/v2/backfills with dag_id "tit_backfill", from_date/to_date; POST
/api/v2/backfills/dry_run lists the logical dates it would run). Its only task is an EmptyOperator,
which the scheduler finishes without the executor, so backfill runs end within seconds.
Not paused, because the runs of a backfill stay queued while their DAG is paused. The scheduler marks
a backfill completed (completed_at) up to 30 s after its last run ends.
DAGs with schedule=None (tit_bash, tit_sandbox_*) cannot be backfilled: 422
"<dag_id> has a non-periodic schedule that does not support backfills".
"""

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG

with DAG(
    dag_id="tit_backfill",
    description="Titanium test DAG: daily, for backfills",
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    schedule="@daily",
    catchup=False,
    max_active_runs=3,
    is_paused_upon_creation=False,
    tags=["titanium", "backfill"],
    default_args={"owner": "titanium", "retries": 0},
):
    EmptyOperator(task_id="noop")
