"""tit_pool_warning: a DAG with a DAG warning, for GET /api/v2/dagWarnings; paused.

Airflow 3.3's DAG processor no longer records "non-existent pool" warnings (its task still uses the
pool "tit_no_such_pool", which must never be created, so never run it). What it does record is a
"runtime varying value" warning for a DAG whose constructor arguments call e.g. random.choice():
on each parse, dag_id "tit_pool_warning", warning_type "runtime varying value", and a message that
starts with "This Dag uses runtime-variable values in Dag construction.". The call below always
returns the same description, so the DAG's version does not change from one parse to the next.
"""

import random
from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG

with DAG(
    dag_id="tit_pool_warning",
    description=random.choice(["Titanium test DAG: a DAG warning (and a pool that does not exist)"]),
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    schedule=None,
    catchup=False,
    is_paused_upon_creation=True,
    tags=["titanium", "warning"],
    default_args={"owner": "titanium"},
):
    EmptyOperator(task_id="noop", pool="tit_no_such_pool")
