"""Task: an operator of a DAG, as get_task(s) return it."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from pydantic import Field
from typing_extensions import TypeAlias

from ._base import ApiModel, DateTime
from .class_reference import ClassReference
from .dag import DAG
from .task_extra_links_inner import TaskExtraLinksInner
from .time_delta import TimeDelta
from .trigger_rule import TriggerRule
from .weight_rule import WeightRule

# Color in hexadecimal notation (spec pattern ^#[a-fA-F0-9]{3,6}$). Not enforced on parsing:
# the server checks it only on load, never on dump.
Color: TypeAlias = str


class Task(ApiModel):
    """A task: for details see airflow.models.baseoperator.BaseOperator."""

    class_ref: Optional[ClassReference] = Field(default=None, description="Class of the operator.")
    # Server sends this, spec lacks it.
    operator_name: Optional[str] = Field(
        default=None, description="Operator name, e.g. '@task' or 'BashOperator'."
    )
    task_id: Optional[str] = Field(default=None, description="The task ID.")
    task_display_name: Optional[str] = Field(
        default=None, description="Human centric display text for the task."
    )
    owner: Optional[str] = Field(default=None, description="Owner of the task.")
    start_date: Optional[DateTime] = Field(default=None, description="The task's start date.")
    end_date: Optional[DateTime] = Field(default=None, description="The task's end date.")
    trigger_rule: Optional[TriggerRule] = Field(default=None, description="Trigger rule.")
    extra_links: Optional[List[TaskExtraLinksInner]] = Field(
        default=None, description="Operator extra links."
    )
    depends_on_past: Optional[bool] = Field(
        default=None, description="Whether a run waits for the previous one."
    )
    is_mapped: Optional[bool] = Field(default=None, description="Whether the task is dynamically mapped.")
    wait_for_downstream: Optional[bool] = Field(
        default=None, description="Whether to wait for the previous run's downstream tasks."
    )
    # Spec says number for retries/pool_slots/priority_weight; they are whole (server dumps e.g. 1.0).
    retries: Optional[int] = Field(default=None, description="Number of retries.")
    queue: Optional[str] = Field(default=None, description="Queue the task runs on.")
    # In the spec, but the 2.11 server does not dump it.
    executor: Optional[str] = Field(default=None, description="Executor the task runs on.")
    pool: Optional[str] = Field(default=None, description="Pool the task runs in.")
    pool_slots: Optional[int] = Field(default=None, description="Pool slots the task takes.")
    execution_timeout: Optional[TimeDelta] = Field(default=None, description="Maximum run time.")
    retry_delay: Optional[TimeDelta] = Field(default=None, description="Delay between retries.")
    retry_exponential_backoff: Optional[bool] = Field(
        default=None, description="Whether retry delays grow exponentially."
    )
    priority_weight: Optional[int] = Field(default=None, description="Priority weight.")
    weight_rule: Optional[WeightRule] = Field(default=None, description="Weight rule.")
    ui_color: Optional[Color] = Field(default=None, description="Background color in the UI.")
    ui_fgcolor: Optional[Color] = Field(default=None, description="Foreground color in the UI.")
    template_fields: Optional[List[str]] = Field(default=None, description="Templated attributes.")
    sub_dag: Optional[DAG] = Field(default=None, description="The SubDAG of a SubDagOperator.")
    downstream_task_ids: Optional[List[str]] = Field(
        default=None, description="IDs of the direct downstream tasks."
    )
    # Server sends this, spec lacks it.
    params: Optional[Dict[str, Any]] = Field(
        default=None, description="Task params, each as the server dumps a Param."
    )
    doc_md: Optional[str] = Field(default=None, description="Task documentation in markdown.")
