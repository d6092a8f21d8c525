"""Blocking iteration over every item of a paginated endpoint: the async ``paginate`` driven
on the client's loop, one ``next()`` at a time.

    for run in paginate(runs.get_dag_runs)("~", state=["failed"]):
        ...

Prefetched pages keep loading on the client's loop between ``next()`` calls. Leaving the
loop early (``break``, an exception, or dropping the iterator) cancels them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, AsyncIterator, Callable, Iterator, TypeVar, overload

from typing_extensions import ParamSpec

from titanium_airflow_client.exceptions import ApiTypeError
from titanium_airflow_client.pagination import PageBy
from titanium_airflow_client.pagination import paginate as async_paginate
from titanium_airflow_client.sync._runner import iterate as iterate_on
from titanium_airflow_client.sync.client import BlockingApi

if TYPE_CHECKING:
    from titanium_airflow_client.models.dag import DAG
    from titanium_airflow_client.models.dag_collection import DAGCollection
    from titanium_airflow_client.models.dag_run import DAGRun
    from titanium_airflow_client.models.dag_run_collection import DAGRunCollection

P = ParamSpec("P")
T = TypeVar("T")


@overload
def paginate(
    method: Callable[P, DAGCollection], *, prefetch: int = 1, by: PageBy = "auto"
) -> Callable[P, Iterator[DAG]]: ...


@overload
def paginate(
    method: Callable[P, DAGRunCollection], *, prefetch: int = 1, by: PageBy = "auto"
) -> Callable[P, Iterator[DAGRun]]: ...


@overload
def paginate(method: Callable[P, Any], *, prefetch: int = 1, by: PageBy = "auto") -> Callable[P, Iterator[Any]]: ...


def paginate(method: Callable[P, Any], *, prefetch: int = 1, by: PageBy = "auto") -> Callable[P, Iterator[Any]]:
    """Iterate over every item of a list endpoint (``get_dags``, ``get_dag_runs``, ...).

    Same rules as :func:`titanium_airflow_client.paginate`, for the blocking API.

    :param method: the bound blocking method, e.g. ``sync.DAGRunApi(client).get_dag_runs``.
    :param prefetch: how many next pages to request while the current one is consumed.
    :param by: ``"auto"`` (by cursor where there is one) or ``"offset"``.
    """
    owner = getattr(method, "__self__", None)
    name = getattr(method, "__name__", "")
    if not isinstance(owner, BlockingApi):
        raise ApiTypeError(
            f"sync paginate() takes a method of a titanium_airflow_client.sync API object, got {name or method!r}"
        )
    async_method: Callable[..., Any] = getattr(owner._async_target, name)
    iterate_async: Callable[..., AsyncIterator[Any]] = async_paginate(async_method, prefetch=prefetch, by=by)
    runner = owner._runner

    def iterate(*args: P.args, **kwargs: P.kwargs) -> Iterator[Any]:
        return iterate_on(runner, iterate_async(*args, **kwargs))  # a wrong call fails here, not mid-iteration

    iterate.__name__ = f"paginate_{name}"
    iterate.__doc__ = f"Every item of {name}(), page by page; same parameters as {name}()."
    return iterate


__all__ = ["paginate"]
