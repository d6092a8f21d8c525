"""Request and response models of the Airflow 2.11 stable REST API (v1).

Built from the OpenAPI spec, corrected where the running server sends other
keys or shapes. Every field is optional, unknown fields are kept and unknown
enum values parse.
"""

from ._base import ApiEnum, ApiModel, DateTime
from .basic_dag_run import BasicDAGRun
from .class_reference import ClassReference
from .clear_dag_run import ClearDagRun
from .clear_dag_run200_response import ClearDagRun200Response
from .clear_task_instances import ClearTaskInstances
from .collection_info import CollectionInfo
from .cron_expression import CronExpression
from .dag import DAG
from .dag_collection import DAGCollection
from .dag_detail import DAGDetail
from .dag_run import DAGRun
from .dag_run_collection import DAGRunCollection
from .dag_run_type import DagRunType
from .dag_state import DagState
from .dataset_event import DatasetEvent
from .dataset_event_collection import DatasetEventCollection
from .error import Error
from .get_dag_source200_response import GetDagSource200Response
from .job import Job
from .list_dag_runs_form import ListDagRunsForm
from .relative_delta import RelativeDelta
from .schedule_interval import ScheduleInterval
from .set_dag_run_note import SetDagRunNote
from .sla_miss import SLAMiss
from .tag import Tag
from .task import Color, Task
from .task_collection import TaskCollection
from .task_extra_links_inner import TaskExtraLinksInner
from .task_instance import TaskInstance
from .task_instance_collection import TaskInstanceCollection
from .task_instance_reference import TaskInstanceReference
from .task_instance_reference_collection import TaskInstanceReferenceCollection
from .task_state import TaskState
from .time_delta import TimeDelta
from .titanium_clear_dag_run import TitaniumClearDagRun
from .titanium_dag_run import TitaniumDAGRun
from .titanium_list_dag_runs_form import TitaniumListDagRunsForm
from .titanium_set_dag_run_note import TitaniumSetDagRunNote
from .titanium_titanium_clear_dag_run200_response import TitaniumTitaniumClearDagRun200Response
from .titanium_titanium_dag_run import TitaniumTitaniumDAGRun
from .titanium_titanium_dag_run_collection import TitaniumTitaniumDAGRunCollection
from .titanium_titanium_dataset_event_collection import TitaniumTitaniumDatasetEventCollection
from .titanium_update_dag_run_state import TitaniumUpdateDagRunState
from .trigger import Trigger
from .trigger_rule import TriggerRule
from .unknown_schedule_interval import UnknownScheduleInterval
from .update_dag_run_state import SettableDagRunState, UpdateDagRunState
from .update_task_instances_state import UpdateTaskInstancesState
from .update_task_state import UpdateTaskState
from .weight_rule import WeightRule

__all__ = [
    "ApiEnum",
    "ApiModel",
    "BasicDAGRun",
    "ClassReference",
    "ClearDagRun",
    "ClearDagRun200Response",
    "ClearTaskInstances",
    "CollectionInfo",
    "Color",
    "CronExpression",
    "DAG",
    "DAGCollection",
    "DAGDetail",
    "DAGRun",
    "DAGRunCollection",
    "DagRunType",
    "DagState",
    "DatasetEvent",
    "DatasetEventCollection",
    "DateTime",
    "Error",
    "GetDagSource200Response",
    "Job",
    "ListDagRunsForm",
    "RelativeDelta",
    "SLAMiss",
    "ScheduleInterval",
    "SetDagRunNote",
    "SettableDagRunState",
    "Tag",
    "Task",
    "TaskCollection",
    "TaskExtraLinksInner",
    "TaskInstance",
    "TaskInstanceCollection",
    "TaskInstanceReference",
    "TaskInstanceReferenceCollection",
    "TaskState",
    "TimeDelta",
    "TitaniumClearDagRun",
    "TitaniumDAGRun",
    "TitaniumListDagRunsForm",
    "TitaniumSetDagRunNote",
    "TitaniumTitaniumClearDagRun200Response",
    "TitaniumTitaniumDAGRun",
    "TitaniumTitaniumDAGRunCollection",
    "TitaniumTitaniumDatasetEventCollection",
    "TitaniumUpdateDagRunState",
    "Trigger",
    "TriggerRule",
    "UnknownScheduleInterval",
    "UpdateDagRunState",
    "UpdateTaskInstancesState",
    "UpdateTaskState",
    "WeightRule",
]
