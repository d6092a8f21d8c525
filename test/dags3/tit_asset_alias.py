"""tit_asset_alias: declares an AssetAlias, for GET /api/v2/assets/aliases; paused, so its runs never execute.

Its task "emit" has the outlets ALIAS (an AssetAlias named "tit_alias", group "titanium") and STATE_ASSET (name
"tit_state_asset", uri "file:///tmp/titanium/state_asset"). The DAG processor records the alias when it
parses this file, so the alias endpoints have one to list and read; the asset is a private one for the asset
state-store endpoints (no DAG is scheduled on it, so writing its state affects nothing else). Tests also
trigger runs of it: they stay queued (the DAG is paused) with the task instance "emit" in place, which the
task state-store endpoints need; and materializing tit_state_asset makes such a run.
"""

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, Asset, AssetAlias

ALIAS = AssetAlias(name="tit_alias", group="titanium")
STATE_ASSET = Asset(name="tit_state_asset", uri="file:///tmp/titanium/state_asset", group="titanium")

with DAG(
    dag_id="tit_asset_alias",
    description="Titanium test DAG: declares an asset alias",
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    schedule=None,
    catchup=False,
    is_paused_upon_creation=True,
    tags=["titanium", "asset"],
    default_args={"owner": "titanium", "retries": 0},
):
    EmptyOperator(task_id="emit", outlets=[ALIAS, STATE_ASSET])
