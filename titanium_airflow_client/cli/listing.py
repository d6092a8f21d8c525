"""Fetching a listing for a ``list`` command on either generation: one page as asked, or every page (``--all``).

The command adds ``page_options`` to its parser; what differs between the generations is passed in.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Optional

from titanium_airflow_client.cli.arguments import given
from titanium_airflow_client.cli.context import Context


def fetch_listing(ctx: Context, method: Callable[..., Any], collection_type: type, items: str, **query: Any) -> Any:
    """The collection ``method`` (e.g. ``VariableApi.get_variables``) answers to the page options given;
    with ``--all``, a ``collection_type`` holding every item (``items``: its list field) and their count."""
    args = ctx.args
    order_by: Optional[Any] = args.order_by
    if order_by is not None and ctx.v2:
        order_by = [order_by]  # Airflow 3 takes a list of sort keys
    query = given(limit=args.limit, offset=args.offset, order_by=order_by, **query)
    if not args.all:
        return method(**query)
    from titanium_airflow_client.sync import paginate

    pages: Callable[..., Iterator[Any]] = paginate(method)
    every = list(pages(**query))
    return collection_type(**{items: every, "total_entries": len(every)})
