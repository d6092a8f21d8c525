"""A listing command's one page, or with ``--all`` every page gathered into one collection.

For the list endpoints of either generation: the collection model is the one the method answers,
its items under ``field``, and ``total_entries`` the count gathered (the rule ``runs list --all`` keeps).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, List, Tuple


def fetch_listing(
    method: Callable[..., Any], query: Dict[str, Any], every: bool, collection: type, field: str
) -> Tuple[Any, List[Any]]:
    """``(collection, items)``: one call of ``method``, or with ``every`` all its pages (``paginate``)."""
    if every:
        from titanium_airflow_client.sync import paginate

        pages: Callable[..., Iterator[Any]] = paginate(method)
        items = list(pages(**query))
        return collection(**{field: items, "total_entries": len(items)}), items
    answer = method(**query)
    return answer, list(getattr(answer, field, None) or [])
