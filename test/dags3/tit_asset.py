"""tit_asset_producer -> tit_asset_consumer via an Asset; both not paused.

The producer's task "produce" has the outlet ASSET (name "tit_asset", uri "file:///tmp/titanium/asset1"),
so each successful producer run records an asset event, and the scheduler then creates an
"asset_triggered" run of tit_asset_consumer for it.
"""

from datetime import datetime, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, Asset

ASSET = Asset(name="tit_asset", uri="file:///tmp/titanium/asset1", group="titanium")
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

with DAG(
    dag_id="tit_asset_producer",
    start_date=START,
    schedule=None,
    catchup=False,
    is_paused_upon_creation=False,
    tags=["titanium", "asset"],
    default_args={"owner": "titanium", "retries": 0},
):
    BashOperator(task_id="produce", bash_command="echo produced", outlets=[ASSET])

with DAG(
    dag_id="tit_asset_consumer",
    start_date=START,
    schedule=[ASSET],
    catchup=False,
    is_paused_upon_creation=False,
    tags=["titanium", "asset"],
    default_args={"owner": "titanium", "retries": 0},
):
    EmptyOperator(task_id="consume")
