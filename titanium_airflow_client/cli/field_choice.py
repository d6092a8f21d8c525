"""``--fields`` on Airflow 3, whose API has no ``fields`` parameter: the models cut to the fields asked here.

Airflow 2 sends only the fields asked; Airflow 3 sends them all, so the command keeps those asked, in both
output modes, and an unknown field is an error naming it (instead of a column of dashes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List, Optional, Sequence, TypeVar

from titanium_airflow_client.cli.errors import UsageError

if TYPE_CHECKING:
    from titanium_airflow_client.models import ApiModel

M = TypeVar("M", bound="ApiModel")


def only_fields(model: M, fields: Optional[Sequence[str]]) -> M:
    """``model`` with only ``fields`` set (their JSON names), so its JSON and its record hold just those."""
    if not fields:
        return model
    by_name = {field.alias or name: name for name, field in type(model).model_fields.items()}
    check_fields(type(model), fields)
    kept = {by_name[name] for name in fields} & model.model_fields_set
    return type(model).model_construct(_fields_set=kept, **{name: getattr(model, name) for name in kept})


def only_fields_of_items(
    collection: M, items_field: str, item_type: type[ApiModel], fields: Optional[Sequence[str]]
) -> M:
    """A collection whose items (its field ``items_field``, of ``item_type``) keep only ``fields``."""
    if not fields:
        return collection
    check_fields(item_type, fields)
    items: List[Any] = getattr(collection, items_field) or []
    return collection.model_copy(update={items_field: [only_fields(item, fields) for item in items]})


def check_fields(model_type: type[ApiModel], fields: Sequence[str]) -> None:
    """An error naming the fields ``model_type`` does not have, and those it has."""
    known = [field.alias or name for name, field in model_type.model_fields.items()]
    unknown = [name for name in fields if name not in known]
    if unknown:
        raise UsageError(f"unknown field {', '.join(unknown)} for --fields; choose from {', '.join(known)}")
