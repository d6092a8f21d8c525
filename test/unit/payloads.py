"""Realistic Airflow 2.11 response bodies, as its marshmallow schemas dump them, shared by the unit tests."""

from __future__ import annotations

from typing import Any, Dict

# get_dag of a cron DAG, exactly as DAGSchema dumps it.
DAG_CRON: Dict[str, Any] = {
    "dag_id": "tit_cron",
    "dag_display_name": "tit_cron",
    "root_dag_id": None,
    "is_paused": True,
    "is_active": True,
    "is_subdag": False,
    "last_parsed_time": "2026-11-22T02:10:29.813140+00:00",
    "last_pickled": None,
    "last_expired": None,
    "scheduler_lock": None,
    "pickle_id": None,
    "default_view": "grid",
    "fileloc": "/work/main/test/dags/tit_cron.py",
    "file_token": "Ii93b3JrL21haW4vdGVzdC9kYWdzL3RpdF9jcm9uLnB5Ig.9K-KN27XhL5wE9wpUJ0X3LLQBjY",
    "owners": ["titanium"],
    "description": "Titanium test DAG on a cron schedule",
    "schedule_interval": {"__type": "CronExpression", "value": "0 3 * * *"},
    "timetable_description": "At 03:00",
    "tags": [{"name": "titanium"}, {"name": "cron"}],
    "max_active_tasks": 16,
    "max_active_runs": 16,
    "max_consecutive_failed_dag_runs": 0,
    "has_task_concurrency_limits": False,
    "has_import_errors": False,
    "next_dagrun": "2026-11-20T03:00:00+00:00",
    "next_dagrun_data_interval_start": "2026-11-20T03:00:00+00:00",
    "next_dagrun_data_interval_end": "2026-11-21T03:00:00+00:00",
    "next_dagrun_create_after": "2026-11-21T03:00:00+00:00",
}

# get_dag_details adds these keys (DAGDetailSchema) to the DAG ones.
DETAIL_EXTRA: Dict[str, Any] = {
    "owners": [],
    "timezone": "UTC",
    "catchup": False,
    "orientation": "LR",
    "concurrency": 16,
    "dataset_expression": None,
    "start_date": "2024-01-01T00:00:00+00:00",
    "dag_run_timeout": None,
    "doc_md": "# tit_cron\n\nA **cron** scheduled DAG used by titanium_airflow_client tests.",
    "params": {
        "greeting": {
            "__class": "airflow.models.param.Param",
            "value": "hello",
            "description": None,
            "schema": {},
        }
    },
    "is_paused_upon_creation": True,
    "end_date": None,
    "template_searchpath": None,
    "render_template_as_native_obj": False,
    "last_parsed": "2026-11-22T02:10:28.117146+00:00",
}

TIMEDELTA_6H = {"__type": "TimeDelta", "days": 0, "seconds": 21600, "microseconds": 0}
RELATIVEDELTA_1M = {
    "__type": "RelativeDelta",
    "years": 0,
    "months": 1,
    "days": 0,
    "leapdays": 0,
    "hours": 0,
    "minutes": 0,
    "seconds": 0,
    "microseconds": 0,
    "year": None,
    "month": None,
    "day": None,
    "hour": None,
    "minute": None,
    "second": None,
    "microsecond": None,
}

# get_task of a @task-decorated operator (TaskSchema).
TASK_COMPUTE: Dict[str, Any] = {
    "class_ref": {"module_path": "airflow.decorators.python", "class_name": "_PythonDecoratedOperator"},
    "operator_name": "@task",
    "task_id": "compute",
    "task_display_name": "compute",
    "owner": "titanium",
    "start_date": "2024-01-01T00:00:00+00:00",
    "end_date": None,
    "trigger_rule": "all_success",
    "extra_links": [],
    "depends_on_past": False,
    "wait_for_downstream": False,
    "retries": 0.0,
    "queue": "default",
    "pool": "default_pool",
    "pool_slots": 1.0,
    "execution_timeout": None,
    "retry_delay": {"__type": "TimeDelta", "days": 0, "seconds": 300, "microseconds": 0},
    "retry_exponential_backoff": False,
    "priority_weight": 1.0,
    "weight_rule": "downstream",
    "ui_color": "#ffefeb",
    "ui_fgcolor": "#000",
    "template_fields": ["templates_dict", "op_args", "op_kwargs"],
    "downstream_task_ids": ["end"],
    "params": {
        "count": {"__class": "airflow.models.param.Param", "value": 3, "description": None, "schema": {}}
    },
    "is_mapped": False,
    "doc_md": None,
}

# A manual run triggered with a +05:30 logical date (DAGRunSchema; execution_date appended by post_dump).
DAG_RUN_IST: Dict[str, Any] = {
    "dag_run_id": "manual__probe",
    "dag_id": "tit_bash",
    "logical_date": "2024-05-01T10:00:00+05:30",
    "start_date": None,
    "end_date": None,
    "state": "queued",
    "external_trigger": True,
    "conf": {"a": 1},
    "data_interval_start": "2024-05-01T10:00:00+05:30",
    "data_interval_end": "2024-05-01T10:00:00+05:30",
    "last_scheduling_decision": None,
    "run_type": "manual",
    "note": None,
    "execution_date": "2024-05-01T10:00:00+05:30",
}

DAG_RUN_UTC: Dict[str, Any] = {
    "dag_run_id": "scheduled__2026-11-21T03:00:00+00:00",
    "dag_id": "tit_cron",
    "logical_date": "2026-11-21T03:00:00+00:00",
    "start_date": "2026-11-22T03:00:01.123456+00:00",
    "end_date": "2026-11-22T03:00:09.500000+00:00",
    "state": "success",
    "external_trigger": False,
    "conf": {},
    "data_interval_start": "2026-11-21T03:00:00+00:00",
    "data_interval_end": "2026-11-22T03:00:00+00:00",
    "last_scheduling_decision": "2026-11-22T03:00:09.400000+00:00",
    "run_type": "scheduled",
    "note": "looked fine",
    "execution_date": "2026-11-21T03:00:00+00:00",
}

# clear_dag_run with dry_run true: TaskInstanceReferenceCollectionSchema, no total_entries.
CLEAR_DRY_RUN: Dict[str, Any] = {
    "task_instances": [
        {
            "task_id": "goodbye",
            "dag_run_id": "manual__probe",
            "dag_id": "tit_bash",
            "execution_date": "2024-05-01T10:00:00+05:30",
        },
        {
            "task_id": "hello",
            "dag_run_id": "manual__probe",
            "dag_id": "tit_bash",
            "execution_date": "2024-05-01T10:00:00+05:30",
        },
    ]
}

# The spec's claim for the same answer: full task instances (TaskInstanceCollectionSchema).
TASK_INSTANCE: Dict[str, Any] = {
    "task_id": "hello",
    "dag_id": "tit_bash",
    "dag_run_id": "manual__probe",
    "map_index": -1,
    "execution_date": "2024-05-01T10:00:00+05:30",
    "start_date": None,
    "end_date": None,
    "duration": None,
    "state": None,
    "try_number": 0,
    "max_tries": 0,
    "task_display_name": "hello",
    "hostname": "",
    "unixname": "root",
    "pool": "default_pool",
    "pool_slots": 1,
    "queue": "default",
    "priority_weight": 2,
    "operator": "BashOperator",
    "queued_when": None,
    "pid": None,
    "executor": None,
    "executor_config": "{}",
    "note": None,
    "sla_miss": None,
    "rendered_map_index": None,
    "rendered_fields": {},
    "trigger": None,
    "triggerer_job": None,
}

# get_upstream_dataset_events (DatasetEventCollectionSchema); created_dagruns use BasicDAGRunSchema.
DATASET_EVENTS: Dict[str, Any] = {
    "dataset_events": [
        {
            "id": 1,
            "dataset_id": 1,
            "dataset_uri": "file:///tmp/titanium/ds1",
            "extra": {"from_rest_api": True},
            "source_task_id": "produce",
            "source_dag_id": "tit_dataset_producer",
            "source_run_id": "manual__x",
            "source_map_index": -1,
            "created_dagruns": [
                {
                    "dag_run_id": "dataset_triggered__probe",
                    "dag_id": "tit_dataset_consumer",
                    "logical_date": "2026-11-22T02:10:29.995590+00:00",
                    "start_date": None,
                    "end_date": None,
                    "state": "queued",
                    "data_interval_start": "2026-11-22T02:10:29.995590+00:00",
                    "data_interval_end": "2026-11-22T02:10:29.995590+00:00",
                }
            ],
            "timestamp": "2026-11-22T02:10:29.994337+00:00",
        }
    ],
    "total_entries": 1,
}
