"""tit_hitl: human-in-the-loop tasks (standard provider's HITLOperator), for the hitlDetails endpoints; not paused.

Triggered by tests. A run has two HITL tasks that start at once:
- "choose" (HITLOperator): subject "Titanium: choose", options ["yes", "no"], one answer, a form param
  "note" (string, default ""). It waits (state "awaiting_input") until someone answers with
  PATCH /api/v2/dags/tit_hitl/dagRuns/{run_id}/taskInstances/choose/-1/hitlDetails
  {"chosen_options": ["yes"], "params_input": {"note": "..."}}; then it succeeds and returns the answer
  (XCom "return_value": chosen_options, params_input, responded_at, responded_by_user), and "after" runs.
  Unanswered it waits forever: tests answer it or delete the run.
- "timeout" (HITLOperator): options ["approve", "reject"], defaults ["approve"], response_timeout 10 s, so the
  scheduler answers it with its default by itself 10 to 15 s after it started (a hitlDetail with a response
  and no human responder) and it succeeds.
Waiting tasks take no executor slot (Airflow 3.3 parks them without a process or a trigger).

Answer "choose" no sooner than 3 s after it shows "awaiting_input". Airflow 3.3.2 reuses the task's try for
the resumed execution, and when the executor's report of the first execution's exit (about 1 s after
it parked) comes in after the answer queued the task again, the scheduler fails it ("Executor ... reported
that the task instance ... finished with state success, but the task instance's state attribute is queued");
answered at once, 1 run in 3 failed so. The same would hit "timeout" with a response_timeout of 2 s.
"""

from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.hitl import HITLOperator
from airflow.sdk import DAG, Param

with DAG(
    dag_id="tit_hitl",
    description="Titanium test DAG: human-in-the-loop tasks",
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    schedule=None,
    catchup=False,
    is_paused_upon_creation=False,
    tags=["titanium", "hitl"],
    default_args={"owner": "titanium", "retries": 0},
):
    choose = HITLOperator(
        task_id="choose",
        subject="Titanium: choose",
        body="Run {{ run_id }} waits for an answer.",
        options=["yes", "no"],
        params={"note": Param("", type="string")},
    )
    HITLOperator(
        task_id="timeout",
        subject="Titanium: answered by its default",
        options=["approve", "reject"],
        defaults=["approve"],
        response_timeout=timedelta(seconds=10),
    )
    after = BashOperator(task_id="after", bash_command="echo \"answered: {{ ti.xcom_pull(task_ids='choose') }}\"")
    choose >> after
