"""DatasetEvent: an update of a dataset."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from pydantic import Field

from ._base import ApiModel, DateTime
from .basic_dag_run import BasicDAGRun


class DatasetEvent(ApiModel):
    """A dataset event."""

    # Server sends this, spec lacks it.
    id: Optional[int] = Field(default=None, description="The dataset event ID.")
    dataset_id: Optional[int] = Field(default=None, description="The dataset ID.")
    dataset_uri: Optional[str] = Field(default=None, description="The URI of the dataset.")
    extra: Optional[Dict[str, Any]] = Field(default=None, description="The dataset event extra.")
    source_dag_id: Optional[str] = Field(default=None, description="The DAG ID that updated the dataset.")
    source_task_id: Optional[str] = Field(default=None, description="The task ID that updated the dataset.")
    source_run_id: Optional[str] = Field(default=None, description="The DAG run ID that updated the dataset.")
    source_map_index: Optional[int] = Field(
        default=None, description="The task map index that updated the dataset."
    )
    created_dagruns: Optional[List[BasicDAGRun]] = Field(
        default=None, description="DAG runs the event triggered."
    )
    timestamp: Optional[DateTime] = Field(default=None, description="The dataset event creation time.")
