"""``--fields`` where the API has no ``fields`` parameter: the models cut to the fields asked here.

Airflow 2 sends only the fields asked of its DAGs and runs; Airflow 3, and Airflow 2 for its variables,
connections and pools, send them all, so the command keeps those asked, in both output modes, and an
unknown field is an error naming it (instead of a column of dashes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List, Optional, Sequence, TypeVar

from titanium_airflow_client.cli.errors import UsageError

if TYPE_CHECKING:
    from titanium_airflow_client.cli.output import Output
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


def check_fields(model_type: type[ApiModel], fields: Optional[Sequence[str]]) -> None:
    """An error naming the fields ``model_type`` does not have, and those it has."""
    known = [field.alias or name for name, field in model_type.model_fields.items()]
    unknown = [name for name in fields or () if name not in known]
    if unknown:
        raise UsageError(f"unknown field {', '.join(unknown)} for --fields; choose from {', '.join(known)}")


def detail_of_fields(out: Output, model: ApiModel, fields: Optional[Sequence[str]], first: Sequence[str]) -> None:
    """A ``get`` command's object: with ``fields``, only those (in that order, ``--json`` too) and a note on
    stderr naming any the server did not send (Airflow 2 never sends a connection's password back)."""
    chosen = only_fields(model, fields)
    out.detail(chosen, first=fields or first)
    sent = chosen.to_dict()
    unsent = [name for name in fields or () if name not in sent]
    if unsent:
        out.note(f"note: the server sent no {', '.join(unsent)}")
