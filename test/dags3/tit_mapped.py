"""tit_mapped (not paused) and tit_mapped_sandbox (paused): a task mapped over 3 items, map indexes 0..2.

Tests trigger tit_mapped: square.expand(x=[1, 2, 3]) makes the mapped task instances "square" with
map_index 0, 1, 2, whose return values (XCom "return_value" at each map index) are 1, 4, 9
and whose rendered_map_index is "x=1", "x=2", "x=3". Each logs "TITANIUM-MAPPED x=<x>".
Runs of the paused tit_mapped_sandbox stay queued with the 3 mapped task instances not started:
for dependencies, notes and patches on instances that never execute.
"""

from datetime import datetime, timezone

from airflow.sdk import DAG, get_current_context, task

for _dag_id, _paused in (("tit_mapped", False), ("tit_mapped_sandbox", True)):
    with DAG(
        dag_id=_dag_id,
        description="Titanium test DAG: one task mapped over three items",
        start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
        schedule=None,
        catchup=False,
        is_paused_upon_creation=_paused,
        tags=["titanium", "mapped"],
        default_args={"owner": "titanium", "retries": 0},
    ) as _dag:

        @task(map_index_template="x={{ titanium_x }}")
        def square(x: int) -> int:
            get_current_context()["titanium_x"] = x
            print(f"TITANIUM-MAPPED x={x}")
            return x * x

        square.expand(x=[1, 2, 3])
    globals()[_dag_id] = _dag
