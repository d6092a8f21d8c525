"""tit_task_group_sandbox (paused): the TaskGroup "tit_group" of two tasks, then one task outside it.

Tasks: tit_group.extract >> tit_group.load (the group, task ids prefixed with its group_id) >> after.
Tests trigger it for the task-group patches (patch_task_group_instances and its dry run): the DAG is
paused, so its runs stay queued and all three task instances keep state None until a test patches them;
a patch of the group changes tit_group.extract and tit_group.load, never after.
"""

from datetime import datetime, timezone

from airflow.sdk import DAG, TaskGroup, task

with DAG(
    dag_id="tit_task_group_sandbox",
    description="Titanium test DAG: a task group of two tasks, then one task outside it",
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    schedule=None,
    catchup=False,
    is_paused_upon_creation=True,
    tags=["titanium", "task_group"],
    default_args={"owner": "titanium", "retries": 0},
):

    @task
    def extract() -> None:
        print("TITANIUM-TASK-GROUP extract")

    @task
    def load() -> None:
        print("TITANIUM-TASK-GROUP load")

    @task
    def after() -> None:
        print("TITANIUM-TASK-GROUP after")

    with TaskGroup(group_id="tit_group") as tit_group:
        extract() >> load()

    tit_group >> after()
