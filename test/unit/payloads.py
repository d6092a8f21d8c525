"""Realistic Airflow 2.11 response bodies, as its marshmallow schemas dump them, shared by the unit tests.

Most come from spec/v1-samples.yaml (``payloads``), the sample values the generated docs use too, so
a test and a docs page never disagree about what the server sends; each name here is a fresh copy.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any, Dict

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))  # the generator's sample loader
from codegen.samples import load_samples

_PAYLOADS: Dict[str, Any] = load_samples().payloads


def _payload(model: str) -> Dict[str, Any]:
    value: Dict[str, Any] = copy.deepcopy(_PAYLOADS[model])
    return value


# get_dag of a cron DAG, exactly as DAGSchema dumps it.
DAG_CRON = _payload("DAG")

# get_dag_details adds these keys (DAGDetailSchema) to the DAG ones.
DETAIL_EXTRA = {key: value for key, value in _payload("DAGDetail").items() if DAG_CRON.get(key, ...) != value}

TIMEDELTA_6H = _payload("TimeDelta")
RELATIVEDELTA_1M = _payload("RelativeDelta")

# get_task of a @task-decorated operator (TaskSchema).
TASK_COMPUTE = _payload("Task")

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

DAG_RUN_UTC = _payload("DAGRun")

# clear_dag_run with dry_run true: TaskInstanceReferenceCollectionSchema, no total_entries.
CLEAR_DRY_RUN = _payload("TaskInstanceReferenceCollection")

# The spec's claim for the same answer: full task instances (TaskInstanceCollectionSchema).
TASK_INSTANCE = _payload("TaskInstance")

# get_upstream_dataset_events (DatasetEventCollectionSchema); created_dagruns use BasicDAGRunSchema.
DATASET_EVENTS = _payload("DatasetEventCollection")
