"""Async iteration over every item of a paginated endpoint, page by page.

    async for run in paginate(runs.get_dag_runs)("~", state=["failed"]):
        ...

``paginate(method)`` returns a function with the method's own parameters (and
types): the filters are the endpoint's filters. ``limit`` (``page_limit`` in the
batch form) is the page size and ``offset`` (``page_offset``) where iteration
starts. Pages are fetched until ``total_entries`` is reached or a page comes
back empty; the server may return fewer items than asked (Airflow caps
``limit`` at its ``maximum_page_limit``), so the offset advances by what came.

Endpoints with a cursor (v2's ``get_dag_runs`` and ``get_task_instances``, Airflow
3.2 and later) are paged by it instead: the first page is asked for with
``cursor=""``, each next one with the answer's ``next_cursor``, until it is null
(``total_entries`` is capped in this mode, so it is not used). A server that
ignores ``cursor`` (before 3.2) answers without ``next_cursor``: paging then goes
on by offset from that first page. ``by="offset"`` pages by offset from the start,
and so does giving an ``offset`` other than 0 (a cursor cannot start there).

While a page is being consumed, up to ``prefetch`` next pages are already
requested (0 disables it; by cursor, at most the one next page, whose cursor is
known); breaking out of the loop cancels them.

If the collection changes during iteration, paging by offset can skip or
repeat items near the change: order by a field new items sort last on (the
default order of DAG runs is their database id) to make appends safe. Paging by
cursor neither skips nor repeats.
"""

from __future__ import annotations

import asyncio
import inspect
from collections import deque
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Deque,
    List,
    Optional,
    Tuple,
    TypeVar,
    overload,
)

from typing_extensions import Literal, ParamSpec

from titanium_airflow_client.api._base import BaseApi, endpoint_of
from titanium_airflow_client.api_client import REQUEST_OPTIONS
from titanium_airflow_client.endpoint import Endpoint, Paging
from titanium_airflow_client.exceptions import ApiTypeError, ApiValueError, ApiVersionError

if TYPE_CHECKING:
    from titanium_airflow_client.models.dag import DAG
    from titanium_airflow_client.models.dag_collection import DAGCollection
    from titanium_airflow_client.models.dag_run import DAGRun
    from titanium_airflow_client.models.dag_run_collection import DAGRunCollection

P = ParamSpec("P")
T = TypeVar("T")

DEFAULT_PAGE_SIZE = 100
# The field of a cursor-paged answer holding the next page's cursor (null on the last page).
NEXT_CURSOR = "next_cursor"

PageBy = Literal["auto", "offset"]
PAGE_BY = ("auto", "offset")


@overload
def paginate(
    method: Callable[P, Awaitable[DAGCollection]], *, prefetch: int = 1, by: PageBy = "auto"
) -> Callable[P, AsyncIterator[DAG]]: ...


@overload
def paginate(
    method: Callable[P, Awaitable[DAGRunCollection]], *, prefetch: int = 1, by: PageBy = "auto"
) -> Callable[P, AsyncIterator[DAGRun]]: ...


@overload
def paginate(
    method: Callable[P, Awaitable[Any]], *, prefetch: int = 1, by: PageBy = "auto"
) -> Callable[P, AsyncIterator[Any]]: ...


def paginate(
    method: Callable[P, Awaitable[Any]], *, prefetch: int = 1, by: PageBy = "auto"
) -> Callable[P, AsyncIterator[Any]]:
    """Iterate over every item of a list endpoint (one whose Endpoint declares ``paging``).

    :param method: the bound API method, e.g. ``DAGRunApi(client).get_dag_runs``.
    :param prefetch: how many next pages to request while the current one is consumed.
    :param by: ``"auto"`` pages by cursor where the endpoint and the server have one, else by
        offset; ``"offset"`` always by offset.
    """
    name = getattr(method, "__name__", "")
    owner = getattr(method, "__self__", None)
    endpoint = endpoint_of(owner, name) if isinstance(owner, BaseApi) else None
    if endpoint is None or endpoint.paging is None:
        raise ApiTypeError(
            f"paginate() takes a list method of an API object (get_dags, get_dag_runs, ...), got {name or method!r}"
        )
    if isinstance(prefetch, bool) or not isinstance(prefetch, int) or prefetch < 0:
        raise ApiValueError(f"paginate(): prefetch must be an int >= 0, got {prefetch!r}")
    if by not in PAGE_BY:
        raise ApiValueError(f"paginate(): by must be one of {', '.join(map(repr, PAGE_BY))}, got {by!r}")
    signature = inspect.signature(method)
    paging = endpoint.paging

    def iterate(*args: P.args, **kwargs: P.kwargs) -> AsyncIterator[Any]:
        arguments = signature.bind(*args, **kwargs).arguments  # a wrong call fails here, not mid-iteration
        cursor_name = paging.cursor
        cursor = arguments.pop(cursor_name, None) if cursor_name is not None else None
        if cursor is not None and by == "offset":
            raise ApiValueError(f"paginate(): {name}() was given a {cursor_name}, but by='offset' pages by offset")
        cursor_arguments = dict(arguments)
        fetch_page, start, page_size = _page_fetcher(method, name, endpoint, arguments)
        items_prefetch = prefetch if paging.limit else 0
        if cursor_name is None or by == "offset" or (start and cursor is None):
            return _iterate(fetch_page, start, page_size, paging.items, items_prefetch)
        fetch_by_cursor = _cursor_fetcher(method, cursor_name, paging, cursor_arguments)
        return _iterate_by_cursor(
            fetch_by_cursor, cursor or "", page_size, paging.items, min(prefetch, 1), fetch_page, items_prefetch
        )

    iterate.__name__ = f"paginate_{name}"
    iterate.__doc__ = f"Every item of {name}(), page by page; same parameters as {name}()."
    return iterate


def _page_fetcher(
    method: Callable[..., Awaitable[Any]], name: str, endpoint: Endpoint[Any], arguments: dict[str, Any]
) -> Tuple[Callable[[int, int], Awaitable[Any]], int, int]:
    """A function fetching the page at (offset, size), the first offset, and the page size."""
    paging = endpoint.paging
    assert paging is not None
    options = arguments.pop("options", {})
    unknown = set(options) - REQUEST_OPTIONS
    if unknown:
        raise ApiTypeError(f"{name}() got unexpected keyword argument(s): {', '.join(sorted(unknown))}")
    limit, offset = paging.limit, paging.offset
    if limit is None or offset is None:  # answered in one page

        def fetch_all(offset: int, size: int) -> Awaitable[Any]:
            return method(**arguments, **options)

        return fetch_all, 0, 0
    if paging.form is not None and endpoint.body is not None:  # the page is set in the body of a batch request
        form_name, form_model = paging.form, endpoint.body.model
        model = form_model
        form = arguments[form_name]
        form = form if isinstance(form, model) else model.model_validate(form)
        start, size = getattr(form, offset) or 0, getattr(form, limit) or DEFAULT_PAGE_SIZE

        def fetch_batch(page_offset: int, page_limit: int) -> Awaitable[Any]:
            page_form = form.model_copy(update={offset: page_offset, limit: page_limit})
            return method(**{**arguments, form_name: page_form}, **options)

        return fetch_batch, start, size
    start = arguments.pop(offset, None) or 0
    size = arguments.pop(limit, None) or DEFAULT_PAGE_SIZE

    def fetch(page_offset: int, page_limit: int) -> Awaitable[Any]:
        return method(**arguments, **{offset: page_offset, limit: page_limit}, **options)

    return fetch, start, size


def _cursor_fetcher(
    method: Callable[..., Awaitable[Any]], cursor: str, paging: Paging, arguments: dict[str, Any]
) -> Callable[[str, int], Awaitable[Any]]:
    """A function fetching the page at (cursor, size); the server ignores the offset then, so none is sent."""
    options = arguments.pop("options", {})
    page: dict[str, Any] = {}
    if paging.offset is not None:
        arguments.pop(paging.offset, None)
        page[paging.offset] = None  # not even the method's default
    limit = paging.limit
    if limit is not None:
        arguments.pop(limit, None)

    def fetch(page_cursor: str, page_limit: int) -> Awaitable[Any]:
        if limit is not None:
            page[limit] = page_limit
        return method(**arguments, **{cursor: page_cursor}, **page, **options)

    return fetch


async def _iterate_by_cursor(
    fetch_page: Callable[[str, int], Awaitable[Any]],
    cursor: str,
    page_size: int,
    items_attribute: str,
    prefetch: int,
    fetch_by_offset: Callable[[int, int], Awaitable[Any]],
    offset_prefetch: int,
) -> AsyncIterator[Any]:
    try:
        page = await fetch_page(cursor, page_size)
    except ApiVersionError:  # the server is known to predate cursors (3.2): by offset from the start
        if cursor:  # the caller's own cursor cannot be honoured
            raise
        page = None
    if page is None or NEXT_CURSOR not in getattr(page, "model_fields_set", ()):  # before 3.2 cursor is ignored
        async for item in _iterate(fetch_by_offset, 0, page_size, items_attribute, offset_prefetch, first=page):
            yield item
        return
    pending: Optional[asyncio.Future[Any]] = None
    try:
        while True:
            items: List[Any] = getattr(page, items_attribute) or []
            next_cursor: Optional[str] = getattr(page, NEXT_CURSOR, None)
            # The last page has no next cursor; an empty page or one pointing at itself would never end.
            more = bool(items) and next_cursor is not None and next_cursor != cursor
            if more and prefetch:
                pending = asyncio.ensure_future(fetch_page(next_cursor, page_size))  # type: ignore[arg-type]
            for item in items:
                yield item
            if not more:
                return
            assert next_cursor is not None
            cursor = next_cursor
            if pending is not None:
                page, pending = await pending, None
            else:
                page = await fetch_page(cursor, page_size)
    finally:
        if pending is not None:
            _cancel(deque([(0, pending)]))


async def _iterate(
    fetch_page: Callable[[int, int], Awaitable[Any]],
    offset: int,
    page_size: int,
    items_attribute: str,
    prefetch: int,
    first: Any = None,
) -> AsyncIterator[Any]:
    """Every item, page by page from ``offset``; ``first``, if given, is the page at ``offset``, already fetched."""
    pending: Deque[Tuple[int, asyncio.Future[Any]]] = deque()
    next_offset = offset
    try:
        while True:
            if first is not None:
                page, first = first, None
            elif pending:
                offset, future = pending.popleft()
                page = await future
            else:
                page = await fetch_page(offset, page_size)
            items: List[Any] = getattr(page, items_attribute) or []
            total: Optional[int] = getattr(page, "total_entries", None)
            if page_size == 0:  # one page holds them all
                for item in items:
                    yield item
                return
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


__all__ = ["PageBy", "paginate"]
