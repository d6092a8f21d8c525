"""tit_sandbox_a/b/c: paused DAGs that tests may pause/unpause/patch freely (schedule=None); tit_sandbox_deleted:
the one DAG tests delete (after a delete the file is still here, so the DAG processor re-creates it on its next
parse), so that no test finds another's DAG gone.
"""

from datetime import datetime, timezone

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG

for _name in ("a", "b", "c", "deleted"):
    _dag_id = f"tit_sandbox_{_name}"
    with DAG(
        dag_id=_dag_id,
        start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
        schedule=None,
        catchup=False,
        is_paused_upon_creation=True,
        tags=["sandbox"],
        default_args={"owner": "titanium"},
    ) as _dag:
        EmptyOperator(task_id="noop")
    globals()[_dag_id] = _dag
