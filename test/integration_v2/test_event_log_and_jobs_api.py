"""EventLogApi, ImportErrorApi and JobApi against the local Airflow 3.3: the audit log entries a run's trigger
and delete leave (listed with filters, read one by id); the import error test/dags3/tit_import_error.py
records (listed, filtered, read by id); the live scheduler, triggerer and DAG-processor jobs."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone
from typing import List

import pytest

from titanium_airflow_client import ApiClient, NotFoundException
from titanium_airflow_client.v2 import (
    DagRunApi,
    EventLogApi,
    EventLogResponse,
    ImportErrorApi,
    ImportErrorResponse,
    JobApi,
    JobResponse,
    TriggerDAGRunPostBody,
)

from .test_dag_run_api import eventually

pytestmark = pytest.mark.integration

DAG_ID = "tit_asset_alias"  # paused: a triggered run stays queued and runs nothing
IMPORT_ERROR_FILE = "tit_import_error.py"
IMPORT_ERROR_TEXT = "RuntimeError: TITANIUM-IMPORT-ERROR: tit_import_error.py fails to import on purpose"


async def test_event_logs_record_a_runs_trigger_and_delete(v2_client: ApiClient) -> None:
    runs, logs = DagRunApi(v2_client), EventLogApi(v2_client)
    dag_run_id = f"audited_{uuid.uuid4().hex[:10]}"
    started = datetime.now(timezone.utc) - timedelta(seconds=5)  # some slack for clock rounding
    await runs.trigger_dag_run(DAG_ID, TriggerDAGRunPostBody(dag_run_id=dag_run_id))
    await runs.delete_dag_run(DAG_ID, dag_run_id)

    async def both_logged() -> List[EventLogResponse]:
        listing = await logs.get_event_logs(dag_id=DAG_ID, run_id=dag_run_id, order_by=["when"])
        entries = listing.event_logs or []
        return entries if [entry.event for entry in entries] == ["trigger_dag_run", "delete_dag_run"] else []

    trigger, delete = await eventually(both_logged, f"the trigger and delete of {dag_run_id} in the event log", 60)
    assert (trigger.dag_id, trigger.run_id, trigger.owner, trigger.task_id) == (DAG_ID, dag_run_id, "admin", None)
    assert json.loads(trigger.extra or "{}") == {"dag_run_id": dag_run_id, "logical_date": None, "method": "POST"}
    assert json.loads(delete.extra or "{}") == {"method": "DELETE"}
    assert trigger.when is not None and delete.when is not None and started <= trigger.when <= delete.when

    # Filters, each applied by the server.
    only_deletes = await logs.get_event_logs(run_id=dag_run_id, event="delete_dag_run")
    assert [entry.event_log_id for entry in only_deletes.event_logs or []] == [delete.event_log_id]
    included = await logs.get_event_logs(run_id=dag_run_id, included_events=["trigger_dag_run"])
    assert [entry.event_log_id for entry in included.event_logs or []] == [trigger.event_log_id]
    excluded = await logs.get_event_logs(run_id=dag_run_id, excluded_events=["trigger_dag_run"])
    assert [entry.event_log_id for entry in excluded.event_logs or []] == [delete.event_log_id]
    by_pattern = await logs.get_event_logs(run_id_pattern=dag_run_id[-10:], owner="admin", after=started)
    assert {entry.event_log_id for entry in by_pattern.event_logs or []} == {trigger.event_log_id, delete.event_log_id}
    newest_first = await logs.get_event_logs(dag_id_prefix_pattern=DAG_ID, run_id=dag_run_id, order_by=["-when"])
    assert [entry.event for entry in newest_first.event_logs or []] == ["delete_dag_run", "trigger_dag_run"]

    one = await logs.get_event_log(trigger.event_log_id or 0)
    assert isinstance(one, EventLogResponse) and one == trigger
    with pytest.raises(NotFoundException) as missing:
        await logs.get_event_log(987654321)
    assert missing.value.detail == "The Event Log with id: `987654321` not found"


async def test_import_errors_show_the_file_that_fails_to_import(v2_client: ApiClient) -> None:
    errors = ImportErrorApi(v2_client)
    listing = await errors.get_import_errors(filename=IMPORT_ERROR_FILE, bundle_name="dags-folder")
    found = listing.import_errors or []
    assert len(found) == 1 and listing.total_entries == 1, found
    error = found[0]
    assert isinstance(error, ImportErrorResponse)
    assert (error.filename, error.bundle_name) == (IMPORT_ERROR_FILE, "dags-folder")
    assert (error.stack_trace or "").rstrip().endswith(IMPORT_ERROR_TEXT)
    by_pattern = await errors.get_import_errors(filename_pattern="import_ERROR")  # case-insensitive substring
    assert error.import_error_id in [listed.import_error_id for listed in by_pattern.import_errors or []]
    assert (await errors.get_import_errors(filename_prefix_pattern="no_such_file_")).import_errors == []

    one = await errors.get_import_error(error.import_error_id or 0)
    assert (one.import_error_id, one.filename, one.bundle_name) == (
        error.import_error_id,
        IMPORT_ERROR_FILE,
        "dags-folder",
    )
    assert IMPORT_ERROR_TEXT in (one.stack_trace or "")
    with pytest.raises(NotFoundException) as missing:
        await errors.get_import_error(987654321)
    assert missing.value.detail == "The ImportError with import_error_id: `987654321` was not found"


async def test_jobs_list_the_live_components(v2_client: ApiClient) -> None:
    jobs = JobApi(v2_client)
    alive = await jobs.get_jobs(is_alive=True, job_state="running", order_by=["-start_date"], limit=100)
    listed = alive.jobs or []
    assert all(isinstance(job, JobResponse) and job.state == "running" and job.end_date is None for job in listed)
    assert {"SchedulerJob", "TriggererJob", "DagProcessorJob"} <= {job.job_type for job in listed}
    starts = [job.start_date for job in listed if job.start_date]
    assert starts == sorted(starts, reverse=True)

    schedulers = await jobs.get_jobs(job_type="SchedulerJob", is_alive=True)
    assert schedulers.jobs and {job.job_type for job in schedulers.jobs} == {"SchedulerJob"}
    scheduler = schedulers.jobs[0]
    assert scheduler.hostname and scheduler.latest_heartbeat is not None and scheduler.start_date is not None
    assert scheduler.latest_heartbeat > datetime.now(timezone.utc) - timedelta(minutes=5)
    started_before = await jobs.get_jobs(job_type="SchedulerJob", start_date_lte=scheduler.start_date)
    assert scheduler.id in [job.id for job in started_before.jobs or []]
    assert (await jobs.get_jobs(job_state="no_such_state")).jobs == []
