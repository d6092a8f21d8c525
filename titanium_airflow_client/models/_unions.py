"""What the generated union models share, and the discriminators the overrides name.

A union the spec gives no usable discriminator for gets one here, named by
``x-titanium-discriminator`` in spec/v1-overrides.yaml.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Generic, Mapping, Optional, Tuple, TypeVar, Union

from pydantic import ConfigDict, RootModel
from typing_extensions import Self

T = TypeVar("T")

# Keys only a full task instance has, not a reference (task_id, dag_id, dag_run_id, execution_date).
_FULL_TASK_INSTANCE_KEYS = frozenset({"try_number", "state", "map_index", "max_tries", "hostname", "operator"})


class UnionModel(RootModel[T], Generic[T]):
    """A response that is one of several models; ``actual_instance`` is the one received."""

    # As for ApiModel: validators are built when a union is first used, not when its module is imported.
    model_config = ConfigDict(defer_build=True)

    @property
    def actual_instance(self) -> T:
        """The parsed answer (OpenAPI-Generator name)."""
        return self.root

    def to_dict(self) -> Dict[str, Any]:
        """The fields that were received, by their JSON names."""
        return self.root.to_dict()  # type: ignore[attr-defined, no-any-return]

    def to_json(self) -> str:
        """JSON text of :meth:`to_dict`."""
        return self.root.to_json()  # type: ignore[attr-defined, no-any-return]

    def to_str(self) -> str:
        """Pretty text of :meth:`to_dict`."""
        import pprint  # on first use: no model needs it to be built or decoded

        return pprint.pformat(self.to_dict())

    @classmethod
    def from_dict(cls, obj: Dict[str, Any]) -> Self:
        """Validate a dict into this model."""
        return cls.model_validate(obj)

    @classmethod
    def from_json(cls, json_str: Union[str, bytes]) -> Self:
        """Validate JSON text into this model."""
        return cls.model_validate_json(json_str)


def required_fields_discriminator(members: Mapping[str, Tuple[str, ...]]) -> Callable[[Any], str]:
    """The discriminator of a union whose members the spec tells apart only by shape (``members``: each
    member's required fields). Every field of a model is optional, so a dict would fit each of them; it is
    the member most of whose required fields it has, and of those the one it lacks fewest of (an older
    server leaves out fields added since). A model instance is its own class."""
    required = {name: frozenset(fields) for name, fields in members.items()}
    first = next(iter(members))

    def discriminate(value: Any) -> str:
        if isinstance(value, dict):
            keys = value.keys()
            return max(required, key=lambda name: (len(required[name] & keys), -len(required[name] - keys)))
        name = type(value).__name__
        return name if name in members else first

    return discriminate


def clear_dag_run_response_kind(value: Any) -> Optional[str]:
    """Which answer of clear_dag_run a raw or built value is: the cleared DAGRun, or (dry run) the task
    instances that would be cleared, as references (what the server sends) or in full (what the spec says)."""
    if isinstance(value, dict):
        if "task_instances" not in value:
            return "DAGRun"
        items = value["task_instances"]
        full = "total_entries" in value or (
            isinstance(items, list)
            and any(isinstance(item, dict) and not _FULL_TASK_INSTANCE_KEYS.isdisjoint(item) for item in items)
        )
        return "TaskInstanceCollection" if full else "TaskInstanceReferenceCollection"
    from .dag_run import DAGRun  # imported here: the generated union module imports this one
    from .task_instance_collection import TaskInstanceCollection
    from .task_instance_reference_collection import TaskInstanceReferenceCollection

    for model in (DAGRun, TaskInstanceCollection, TaskInstanceReferenceCollection):
        if isinstance(value, model):
            return model.__name__
    return None
