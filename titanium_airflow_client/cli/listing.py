"""A ``list`` command's listing on either generation: one page as asked, or with ``--all`` every page
gathered into one collection (its items under their field, ``total_entries`` their count, the rule
``runs list --all`` keeps)."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Tuple

from titanium_airflow_client.cli.arguments import given
from titanium_airflow_client.cli.context import Context
from titanium_airflow_client.cli.field_choice import check_fields, only_fields_of_items
from titanium_airflow_client.cli.generation_apis import every as every_item
from titanium_airflow_client.cli.generation_apis import order_by


def fetch_listing(
    method: Callable[..., Any], query: Dict[str, Any], every: bool, collection: type, field: str
) -> Tuple[Any, List[Any]]:
    """``(collection, items)``: one call of ``method``, or with ``every`` all its pages (``paginate``)."""
    if every:
        items = list(every_item(method, **query))
        return collection(**{field: items, "total_entries": len(items)}), items
    answer = method(**query)
    return answer, list(getattr(answer, field, None) or [])


def fetch_paged(ctx: Context, method: Callable[..., Any], collection: type, field: str, **query: Any) -> Any:
    """The collection ``method`` (e.g. ``VariableApi.get_variables``) answers to ``page_options``
    (``--limit``, ``--offset``, ``--order-by``, ``--all``) and ``query``."""
    args = ctx.args
    query = given(limit=args.limit, offset=args.offset, order_by=order_by(ctx, args.order_by), **query)
    return fetch_listing(method, query, args.all, collection, field)[0]


def fetch_paged_fields(
    ctx: Context, method: Callable[..., Any], collection: type, field: str, item_type: type, **query: Any
) -> Any:
    """``fetch_paged`` with ``--fields`` (of ``item_type``, the items' model): checked before anything is
    sent, then the items cut to them (``field_choice``: these listings have no ``fields`` parameter)."""
    check_fields(item_type, ctx.args.fields)
    answer = fetch_paged(ctx, method, collection, field, **query)
    return only_fields_of_items(answer, field, item_type, ctx.args.fields)
