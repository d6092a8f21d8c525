"""A wait's time budget: the seconds elapsed since it began, and awaiting or sleeping within what is left."""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Optional, TypeVar

from titanium_airflow_client.exceptions import OpenApiException

T = TypeVar("T")


class Deadline:
    """Started when built (in the running loop); ``timeout=None`` never expires.

    When the budget is spent, what is awaited is cancelled and ``expired()`` is raised: it builds the exception
    then, so that it can name the last state seen.
    """

    def __init__(self, timeout: Optional[float], expired: Callable[[], BaseException]) -> None:
        self._loop = asyncio.get_running_loop()
        self._start = self._loop.time()
        self._end = None if timeout is None else self._start + timeout
        self._expired = expired

    @property
    def elapsed(self) -> float:
        """Seconds since the wait began (the loop's monotonic clock)."""
        return self._loop.time() - self._start

    def _remaining(self) -> Optional[float]:
        return None if self._end is None else self._end - self._loop.time()

    async def run(self, awaitable: Awaitable[T]) -> T:
        """``await awaitable``, cut short when the budget runs out."""
        remaining = self._remaining()
        if remaining is None:
            return await awaitable
        if remaining <= 0:
            _discard(awaitable)
            raise self._expired()
        try:
            return await asyncio.wait_for(awaitable, remaining)
        except asyncio.TimeoutError as error:
            if isinstance(error, OpenApiException):  # a request's own timeout (ApiTimeoutError), not the wait's
                raise
            raise self._expired() from None

    async def sleep(self, seconds: float) -> None:
        """Sleep ``seconds``; if the budget ends first, sleep until then and raise."""
        remaining = self._remaining()
        if remaining is not None and remaining <= seconds:
            await asyncio.sleep(max(remaining, 0.0))
            raise self._expired()
        await asyncio.sleep(seconds)


def _discard(awaitable: Awaitable[Any]) -> None:
    """Close an awaitable that will never be awaited (no "coroutine was never awaited" warning)."""
    close = getattr(awaitable, "close", None)
    if close is not None:
        close()
