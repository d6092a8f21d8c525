"""The blocking ApiClient, and what the blocking API classes (generated in ``sync/api/``) are made of.

Each blocking method is one line, ``get_dag = blocking(AsyncDAGApi.get_dag)``: the same
parameters, defaults and (for type checkers) types as the async method, returning what the
coroutine returns. The call runs on the event loop of the ApiClient's own thread. A method that
returns an async iterator (an NDJSON stream) is wrapped by ``blocking_iterator`` instead, and
returns a plain iterator.
"""

from __future__ import annotations

import inspect
import itertools
import typing
import weakref
from types import TracebackType
from typing import Any, AsyncIterator, Callable, ClassVar, Coroutine, Dict, Iterator, Optional, Tuple, Type, TypeVar

from typing_extensions import Concatenate, ParamSpec, Self

from titanium_airflow_client.api._base import BaseApi as AsyncBaseApi
from titanium_airflow_client.api._base import copy_signature
from titanium_airflow_client.api_client import ApiClient as AsyncApiClient
from titanium_airflow_client.configuration import Configuration
from titanium_airflow_client.exceptions import ApiTypeError
from titanium_airflow_client.sync._runner import LoopRunner, iterate

T = TypeVar("T")
P = ParamSpec("P")

_thread_numbers = itertools.count(1)


class _Blocking:
    """What a blocking method needs of its object: the async object it stands for, and the loop."""

    _async_target: Any
    _runner: LoopRunner


def blocking(
    method: Callable[Concatenate[Any, P], Coroutine[Any, Any, T]],
) -> Callable[Concatenate[_Blocking, P], T]:
    """The blocking twin of an async method: same parameters, returns the coroutine's result.

    Arguments are bound and checked by the async method itself, on the client's loop, so
    the exceptions are the async client's own.
    """
    if not inspect.iscoroutinefunction(method):
        raise TypeError(
            f"blocking() takes a coroutine function, got {method.__qualname__}; for a method returning an"
            " async iterator use blocking_iterator()"
        )

    def call(self: _Blocking, /, *args: P.args, **kwargs: P.kwargs) -> T:
        target = self._async_target
        return self._runner.run(lambda: method(target, *args, **kwargs))

    call.__name__ = method.__name__
    call.__qualname__ = method.__qualname__
    call.__module__ = __name__
    call.__doc__ = method.__doc__
    copy_signature(method, call)
    return call


def blocking_iterator(
    method: Callable[Concatenate[Any, P], AsyncIterator[T]],
) -> Callable[Concatenate[_Blocking, P], Iterator[T]]:
    """The blocking twin of a method returning an async iterator (``wait_dag_run_until_finished``):
    same parameters, returns a plain iterator over the same items.

    The arguments are checked at the call, on the client's loop; each ``next()`` then runs the async
    iterator on that loop. Leaving the loop early closes it there (and with it the response).
    """

    def call(self: _Blocking, /, *args: P.args, **kwargs: P.kwargs) -> Iterator[T]:
        target, runner = self._async_target, self._runner
        return iterate(runner, runner.run(lambda: _started(method, target, args, kwargs)))

    call.__name__ = method.__name__
    call.__qualname__ = method.__qualname__
    call.__module__ = __name__
    call.__doc__ = method.__doc__
    copy_signature(method, call, wrap_return=_as_iterator)
    return call


async def _started(
    method: Callable[..., AsyncIterator[T]], target: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any]
) -> AsyncIterator[T]:
    """``method(target, ...)`` called on the loop: the client's state is only ever touched there."""
    return method(target, *args, **kwargs)


def _as_iterator(returns: Any) -> Any:
    """``AsyncIterator[X]`` → ``Iterator[X]``, for the blocking twin's annotations; the text of an
    annotation as written (``"AsyncIterator[models.X]"``) gives ``Iterator["models.X"]``."""
    if isinstance(returns, str):
        outer, _, inner = returns.partition("[")
        return Iterator[inner[:-1]] if outer.endswith("AsyncIterator") and inner else Iterator[Any]  # type: ignore[misc]
    args = typing.get_args(returns)
    return Iterator[args[0]] if args else Iterator[Any]  # type: ignore[valid-type]


class ApiClient(_Blocking):
    """Blocking client for the Airflow REST API: use ``with`` or call :meth:`close`.

    It runs an async :class:`titanium_airflow_client.ApiClient` (``async_client``) on an event
    loop in a daemon thread of its own, started on the first call. Calls block the calling
    thread only, so they work from any thread, also from one that runs an event loop.
    :meth:`close` closes the session, stops the loop and joins the thread.
    """

    def __init__(
        self,
        configuration: Optional[Configuration] = None,
        header_name: Optional[str] = None,
        header_value: Optional[str] = None,
    ) -> None:
        self.async_client = AsyncApiClient(configuration, header_name, header_value)
        self._async_target = self.async_client
        self._runner = LoopRunner(f"titanium-airflow-client-{next(_thread_numbers)}")
        # Closes the client when it is garbage-collected or at interpreter exit, if not closed before.
        self._finalizer = weakref.finalize(self, self._runner.shutdown, self.async_client.close)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the session and its connections, stop the loop, join its thread. Idempotent."""
        self._finalizer()

    @property
    def closed(self) -> bool:
        """True once :meth:`close` was called; calls then raise ApiValueError."""
        return self._runner.closed

    @property
    def configuration(self) -> Configuration:
        """The client's :class:`Configuration`; changes to credentials apply to the next call."""
        return self.async_client.configuration

    @property
    def default_headers(self) -> Dict[str, str]:
        """Headers sent with every request."""
        return self.async_client.default_headers

    @property
    def user_agent(self) -> str:
        """The ``User-Agent`` header sent with every request."""
        return self.async_client.user_agent

    @user_agent.setter
    def user_agent(self, value: str) -> None:
        self.async_client.user_agent = value

    def set_default_header(self, header_name: str, header_value: str) -> None:
        """Send this header with every request of this client."""
        self.async_client.set_default_header(header_name, header_value)

    def __repr__(self) -> str:
        return f"sync.ApiClient(host={self.configuration.host!r})"

    call = blocking(AsyncApiClient.call)
    stream = blocking_iterator(AsyncApiClient.stream)


def blocking_client(function: str, api_client: object) -> ApiClient:
    """The blocking ApiClient a helper function (``wait_for_dag_run``, ``follow_log``, ...) was given, or
    ApiTypeError, naming the async helper when it was given an async client."""
    if not isinstance(api_client, ApiClient):
        if isinstance(api_client, AsyncApiClient):
            raise ApiTypeError(
                f"sync {function}() needs a titanium_airflow_client.sync.ApiClient, got the async"
                f" titanium_airflow_client.ApiClient; use titanium_airflow_client.{function} with it"
            )
        raise ApiTypeError(
            f"sync {function}() needs a titanium_airflow_client.sync.ApiClient, got {type(api_client).__name__}"
        )
    return api_client


class BlockingApi(_Blocking):
    """Base of the blocking API classes: wraps an instance of ``_async_class``."""

    _async_class: ClassVar[Type[AsyncBaseApi]]

    def __init__(self, api_client: ApiClient) -> None:
        given: object = api_client
        if not isinstance(given, ApiClient):
            hint = "; this is the blocking API: use titanium_airflow_client.sync.ApiClient"
            raise ApiTypeError(
                f"{type(self).__name__} needs an ApiClient, got {type(given).__name__}"
                + (hint if isinstance(given, AsyncApiClient) else "")
            )
        self.api_client = api_client
        self._async_target = self._async_class(api_client.async_client)
        self._runner = api_client._runner
