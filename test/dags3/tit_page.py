"""tit_page_00 .. tit_page_11: many small paused DAGs from one file (for paging)."""

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG

for _i in range(12):
    _dag_id = f"tit_page_{_i:02d}"
    with DAG(
        dag_id=_dag_id,
        start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
        schedule=None,
        catchup=False,
        is_paused_upon_creation=True,
        tags=["titanium", "paging"],
        default_args={"owner": "titanium"},
    ) as _dag:
        EmptyOperator(task_id="noop")
    globals()[_dag_id] = _dag
