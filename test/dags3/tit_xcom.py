"""tit_xcom: one task that pushes known XComs, logs a known line and has an extra link; not paused.

Triggered by tests. Its task "push" (a TitaniumXComOperator of test/plugins3/titanium_plugin.py):
- returns RETURN_VALUE, "titanium-return-value" (XCom key "return_value");
- pushes XCOM_DICT under the key XCOM_KEY, "titanium_dict";
- logs "TITANIUM-LOG-MARKER dag=tit_xcom task=push run=<run_id> try=<try_number>";
- has the extra link "Titanium" (GET .../taskInstances/push/links).
"""

from datetime import datetime, timezone

from airflow.sdk import DAG
from titanium_plugin import TitaniumXComOperator  # test/plugins3: Airflow's plugins folder is on sys.path

XCOM_KEY = "titanium_dict"
XCOM_DICT = {"answer": 42, "items": [1, "two", 3.5, None, True], "nested": {"ok": True}, "text": "héllo ✓"}
RETURN_VALUE = "titanium-return-value"

with DAG(
    dag_id="tit_xcom",
    description="Titanium test DAG: XComs, a log marker and an extra link",
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    schedule=None,
    catchup=False,
    is_paused_upon_creation=False,
    tags=["titanium", "xcom"],
    default_args={"owner": "titanium", "retries": 0},
):
    TitaniumXComOperator(task_id="push", xcom_key=XCOM_KEY, xcom_value=XCOM_DICT, return_value=RETURN_VALUE)
