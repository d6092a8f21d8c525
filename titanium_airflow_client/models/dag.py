"""DAG: a DAG as the DAG list and patch endpoints return it."""

from __future__ import annotations

from typing import List, Optional, Union

from pydantic import Field

from ._base import ApiModel, DateTime
from .schedule_interval import ScheduleInterval
from .tag import Tag


class DAG(ApiModel):
    """DAG."""

    # patch_dag / patch_dags only write is_paused; every other key is dumped only.
    __read_only_fields__ = frozenset(
        {
            "dag_id",
            "dag_display_name",
            "root_dag_id",
            "is_active",
            "is_subdag",
            "last_parsed_time",
            "last_pickled",
            "last_expired",
            "scheduler_lock",
            "pickle_id",
            "default_view",
            "fileloc",
            "file_token",
            "owners",
            "description",
            "schedule_interval",
            "timetable_description",
            "tags",
            "max_active_tasks",
            "max_active_runs",
            "has_task_concurrency_limits",
            "has_import_errors",
            "next_dagrun",
            "next_dagrun_data_interval_start",
            "next_dagrun_data_interval_end",
            "next_dagrun_create_after",
            "max_consecutive_failed_dag_runs",
        }
    )

    dag_id: Optional[str] = Field(default=None, description="The ID of the DAG.")
    dag_display_name: Optional[str] = Field(
        default=None, description="Human centric display text for the DAG."
    )
    root_dag_id: Optional[str] = Field(
        default=None, description="Top level DAG ID if the DAG is a SubDAG, otherwise null."
    )
    is_paused: Optional[bool] = Field(default=None, description="Whether the DAG is paused.")
    is_active: Optional[bool] = Field(
        default=None, description="Whether the DAG is currently seen by the scheduler(s)."
    )
    is_subdag: Optional[bool] = Field(default=None, description="Whether the DAG is SubDAG.")
    last_parsed_time: Optional[DateTime] = Field(
        default=None, description="The last time the DAG was parsed."
    )
    last_pickled: Optional[DateTime] = Field(default=None, description="The last time the DAG was pickled.")
    last_expired: Optional[DateTime] = Field(
        default=None, description="Time when the DAG last received a refresh signal."
    )
    scheduler_lock: Optional[bool] = Field(
        default=None, description="Whether (one of) the scheduler is scheduling this DAG at the moment."
    )
    # Spec says string; the server dumps the integer column.
    pickle_id: Optional[Union[int, str]] = Field(
        default=None, description="Foreign key to the latest pickle_id."
    )
    default_view: Optional[str] = Field(
        default=None, description="Default view of the DAG inside the webserver."
    )
    fileloc: Optional[str] = Field(default=None, description="The absolute path to the file.")
    file_token: Optional[str] = Field(
        default=None, description="Encrypted path to the file; pass it to get_dag_source."
    )
    owners: Optional[List[str]] = Field(default=None, description="Owners of the DAG.")
    description: Optional[str] = Field(default=None, description="User-provided DAG description.")
    schedule_interval: Optional[ScheduleInterval] = Field(
        default=None, description="How often the DAG runs; null when it has no schedule."
    )
    timetable_description: Optional[str] = Field(
        default=None, description="Timetable/Schedule Interval description."
    )
    tags: Optional[List[Tag]] = Field(default=None, description="List of tags.")
    max_active_tasks: Optional[int] = Field(
        default=None, description="Maximum number of active tasks that can be run on the DAG."
    )
    max_active_runs: Optional[int] = Field(
        default=None, description="Maximum number of active DAG runs for the DAG."
    )
    has_task_concurrency_limits: Optional[bool] = Field(
        default=None, description="Whether the DAG has task concurrency limits."
    )
    has_import_errors: Optional[bool] = Field(default=None, description="Whether the DAG has import errors.")
    next_dagrun: Optional[DateTime] = Field(default=None, description="The logical date of the next dag run.")
    next_dagrun_data_interval_start: Optional[DateTime] = Field(
        default=None, description="The start of the interval of the next dag run."
    )
    next_dagrun_data_interval_end: Optional[DateTime] = Field(
        default=None, description="The end of the interval of the next dag run."
    )
    next_dagrun_create_after: Optional[DateTime] = Field(
        default=None, description="Earliest time at which next_dagrun can be created."
    )
    max_consecutive_failed_dag_runs: Optional[int] = Field(
        default=None, description="(experimental) Consecutive failed runs before the DAG is paused."
    )
