"""ClearDagRun200Response: what clear_dag_run answers, which depends on dry_run."""

from __future__ import annotations

import pprint
from typing import Any, Dict, Optional, Union

from pydantic import Discriminator, RootModel, Tag
from typing_extensions import Annotated, Self

from .dag_run import DAGRun
from .task_instance_collection import TaskInstanceCollection
from .task_instance_reference_collection import TaskInstanceReferenceCollection

# Keys only a full task instance has, not a reference (task_id, dag_id, dag_run_id, execution_date).
_FULL_TASK_INSTANCE_KEYS = frozenset(
    {"try_number", "state", "map_index", "max_tries", "hostname", "operator"}
)


def clear_dag_run_response_kind(value: Any) -> Optional[str]:
    """Tag of a raw or already-built clear_dag_run answer."""
    if isinstance(value, dict):
        if "task_instances" not in value:
            return "DAGRun"
        items = value["task_instances"]
        full = "total_entries" in value or (
            isinstance(items, list)
            and any(
                isinstance(item, dict) and not _FULL_TASK_INSTANCE_KEYS.isdisjoint(item) for item in items
            )
        )
        return "TaskInstanceCollection" if full else "TaskInstanceReferenceCollection"
    for model in (DAGRun, TaskInstanceCollection, TaskInstanceReferenceCollection):
        if isinstance(value, model):
            return model.__name__
    return None


class ClearDagRun200Response(
    RootModel[
        Annotated[
            Union[
                Annotated[DAGRun, Tag("DAGRun")],
                Annotated[TaskInstanceReferenceCollection, Tag("TaskInstanceReferenceCollection")],
                Annotated[TaskInstanceCollection, Tag("TaskInstanceCollection")],
            ],
            Discriminator(clear_dag_run_response_kind),
        ]
    ]
):
    """Answer of clear_dag_run.

    With ``dry_run`` false the server returns the cleared ``DAGRun``; with ``dry_run``
    true it returns a ``TaskInstanceReferenceCollection`` (the spec claims a
    ``TaskInstanceCollection``; that shape is accepted too).
    """

    @property
    def actual_instance(self) -> Union[DAGRun, TaskInstanceReferenceCollection, TaskInstanceCollection]:
        """The parsed answer (OpenAPI-Generator name)."""
        return self.root

    def to_dict(self) -> Dict[str, Any]:
        """The fields that were received, by their JSON names."""
        return self.root.to_dict()

    def to_json(self) -> str:
        """JSON text of :meth:`to_dict`."""
        return self.root.to_json()

    def to_str(self) -> str:
        """Pretty text of :meth:`to_dict`."""
        return pprint.pformat(self.to_dict())

    @classmethod
    def from_dict(cls, obj: Dict[str, Any]) -> Self:
        """Validate a dict into this model."""
        return cls.model_validate(obj)

    @classmethod
    def from_json(cls, json_str: Union[str, bytes]) -> Self:
        """Validate JSON text into this model."""
        return cls.model_validate_json(json_str)
