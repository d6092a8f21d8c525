"""Async iteration over every item of a paginated endpoint, page by page.

    async for run in paginate(runs.get_dag_runs)("~", state=["failed"]):
        ...

``paginate(method)`` returns a function with the method's own parameters (and
types): the filters are the endpoint's filters. ``limit`` (``page_limit`` in the
batch form) is the page size and ``offset`` (``page_offset``) where iteration
starts. Pages are fetched until ``total_entries`` is reached or a page comes
back empty; the server may return fewer items than asked (Airflow caps
``limit`` at its ``maximum_page_limit``), so the offset advances by what came.

While a page is being consumed, up to ``prefetch`` next pages are already
requested (0 disables it); breaking out of the loop cancels them.

If the collection changes during iteration, paging by offset can skip or
repeat items near the change: order by a field new items sort last on (the
default order of DAG runs is their database id) to make appends safe.
"""

from __future__ import annotations

import asyncio
import inspect
from collections import deque
from typing import Any, AsyncIterator, Awaitable, Callable, Deque, List, Optional, Tuple, TypeVar, Union, overload

from typing_extensions import ParamSpec

from titanium_airflow_client.api_client import REQUEST_OPTIONS
from titanium_airflow_client.exceptions import ApiTypeError, ApiValueError
from titanium_airflow_client.models.dag import DAG
from titanium_airflow_client.models.dag_collection import DAGCollection
from titanium_airflow_client.models.dag_run import DAGRun
from titanium_airflow_client.models.dag_run_collection import DAGRunCollection
from titanium_airflow_client.models.list_dag_runs_form import ListDagRunsForm

P = ParamSpec("P")
Page = Union[DAGCollection, DAGRunCollection]
Item = Union[DAG, DAGRun]
T = TypeVar("T")

DEFAULT_PAGE_SIZE = 100
_BATCH_FORM = "titanium_list_dag_runs_form"
# method name → attribute of its collection that holds the items
_ITEMS = {"get_dags": "dags", "get_dag_runs": "dag_runs", "get_dag_runs_batch": "dag_runs"}


@overload
def paginate(
    method: Callable[P, Awaitable[DAGCollection]], *, prefetch: int = 1
) -> Callable[P, AsyncIterator[DAG]]: ...


@overload
def paginate(
    method: Callable[P, Awaitable[DAGRunCollection]], *, prefetch: int = 1
) -> Callable[P, AsyncIterator[DAGRun]]: ...


def paginate(method: Callable[P, Awaitable[Any]], *, prefetch: int = 1) -> Callable[P, AsyncIterator[Any]]:
    """Iterate over every item of ``get_dags``, ``get_dag_runs`` or ``get_dag_runs_batch``.

    :param method: the bound API method, e.g. ``DAGRunApi(client).get_dag_runs``.
    :param prefetch: how many next pages to request while the current one is consumed.
    """
    name = getattr(method, "__name__", "")
    if name not in _ITEMS:
        raise ApiTypeError(f"paginate() takes get_dags, get_dag_runs or get_dag_runs_batch, got {name or method!r}")
    if isinstance(prefetch, bool) or not isinstance(prefetch, int) or prefetch < 0:
        raise ApiValueError(f"paginate(): prefetch must be an int >= 0, got {prefetch!r}")
    signature = inspect.signature(method)
    items_attribute = _ITEMS[name]

    def iterate(*args: P.args, **kwargs: P.kwargs) -> AsyncIterator[Any]:
        arguments = signature.bind(*args, **kwargs).arguments  # a wrong call fails here, not mid-iteration
        fetch_page, start, page_size = _page_fetcher(method, name, arguments)
        return _iterate(fetch_page, start, page_size, items_attribute, prefetch)

    iterate.__name__ = f"paginate_{name}"
    iterate.__doc__ = f"Every item of {name}(), page by page; same parameters as {name}()."
    return iterate


def _page_fetcher(
    method: Callable[..., Awaitable[Any]], name: str, arguments: dict[str, Any]
) -> Tuple[Callable[[int, int], Awaitable[Page]], int, int]:
    """A function fetching the page at (offset, size), the first offset, and the page size."""
    options = arguments.pop("options", {})
    unknown = set(options) - REQUEST_OPTIONS
    if unknown:
        raise ApiTypeError(f"{name}() got unexpected keyword argument(s): {', '.join(sorted(unknown))}")
    if name == "get_dag_runs_batch":
        form = arguments[_BATCH_FORM]
        form = form if isinstance(form, ListDagRunsForm) else ListDagRunsForm.model_validate(form)
        start, size = form.page_offset or 0, form.page_limit or DEFAULT_PAGE_SIZE

        def fetch_batch(offset: int, limit: int) -> Awaitable[Page]:
            page_form = form.model_copy(update={"page_offset": offset, "page_limit": limit})
            return method(page_form, **options)

        return fetch_batch, start, size
    start = arguments.pop("offset", None) or 0
    size = arguments.pop("limit", None) or DEFAULT_PAGE_SIZE

    def fetch(offset: int, limit: int) -> Awaitable[Page]:
        return method(**arguments, offset=offset, limit=limit, **options)

    return fetch, start, size


async def _iterate(
    fetch_page: Callable[[int, int], Awaitable[Page]],
    offset: int,
    page_size: int,
    items_attribute: str,
    prefetch: int,
) -> AsyncIterator[Any]:
    pending: Deque[Tuple[int, asyncio.Future[Page]]] = deque()
    next_offset = offset
    try:
        while True:
            if pending:
                offset, future = pending.popleft()
                page = await future
            else:
                page = await fetch_page(offset, page_size)
            items: List[Any] = getattr(page, items_attribute) or []
            total: Optional[int] = page.total_entries
            if not items:
                return
            # The server may cap the page size: later pages are as long as this one.
            page_size = len(items)
            next_offset = max(next_offset, offset + len(items))
            while len(pending) < prefetch and (total is None or next_offset < total):
                pending.append((next_offset, asyncio.ensure_future(fetch_page(next_offset, page_size))))
                next_offset += page_size
            for item in items:
                yield item
            offset += len(items)
            if total is not None and offset >= total:
                return
            if pending and pending[0][0] != offset:  # a short page: the prefetched offsets are off
                _cancel(pending)
                next_offset = offset
    finally:
        _cancel(pending)


def _cancel(pending: Deque[Tuple[int, asyncio.Future[T]]]) -> None:
    while pending:
        _, future = pending.popleft()
        if not future.done():
            future.cancel()
        elif not future.cancelled():
            future.exception()  # marks a failure as seen: no "exception was never retrieved" warning


__all__ = ["paginate"]
