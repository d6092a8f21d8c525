"""Job: a scheduler, triggerer or other Airflow job."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import ApiModel, DateTime


class Job(ApiModel):
    """A job."""

    id: Optional[int] = Field(default=None, description="Job ID.")
    dag_id: Optional[str] = Field(default=None, description="The DAG ID, if any.")
    state: Optional[str] = Field(default=None, description="Job state.")
    job_type: Optional[str] = Field(default=None, description="Job type, e.g. 'TriggererJob'.")
    start_date: Optional[DateTime] = Field(default=None, description="When the job started.")
    end_date: Optional[DateTime] = Field(default=None, description="When the job ended.")
    latest_heartbeat: Optional[DateTime] = Field(default=None, description="Latest heartbeat.")
    executor_class: Optional[str] = Field(default=None, description="Executor class of the job.")
    hostname: Optional[str] = Field(default=None, description="Host the job runs on.")
    unixname: Optional[str] = Field(default=None, description="Unix user the job runs as.")
