"""An event loop in one daemon thread, and blocking calls into it from any other thread.

The caller's thread only waits on a ``threading.Event``: it may run an event loop of its own,
or be inside one, without deadlock. Ctrl-C while waiting cancels the coroutine on the loop,
gives it a moment to unwind, then re-raises. A call that ``shutdown`` interrupts, or that was
submitted but not started when it began, raises ApiConnectionError, as the async client does
when it is closed during a call.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Any, AsyncIterator, Callable, Coroutine, Generic, Iterator, Optional, Set, TypeVar

from titanium_airflow_client.exceptions import ApiConnectionError, ApiValueError
from titanium_airflow_client.rest import CLOSED_DURING_CALL

T = TypeVar("T")

# Seconds a cancelled call may take to unwind (close its connection) before Ctrl-C propagates.
CANCEL_GRACE = 5.0


def _closed_during_call() -> ApiConnectionError:
    """What a call cut short by ``shutdown`` raises; the runner knows no method or URL."""
    return ApiConnectionError(None, None, CLOSED_DURING_CALL)


class _Call(Generic[T]):
    """One blocking call: started and finished on the loop thread, awaited by the caller."""

    __slots__ = ("cancelled", "done", "error", "factory", "result", "task")

    def __init__(self, factory: Callable[[], Coroutine[Any, Any, T]]) -> None:
        self.factory = factory
        self.done = threading.Event()
        self.task: Optional[asyncio.Task[T]] = None
        self.cancelled = False  # cancelled by the caller (Ctrl-C)
        self.result: Optional[T] = None
        self.error: Optional[BaseException] = None

    def start(self) -> None:  # on the loop thread
        if self.cancelled:
            self.done.set()
            return
        try:
            self.task = asyncio.get_running_loop().create_task(self.factory())
        except BaseException as exc:  # e.g. a TypeError from a wrong call
            self.fail(exc)
            return
        self.task.add_done_callback(self._finish)

    def _finish(self, task: asyncio.Task[T]) -> None:  # on the loop thread
        if task.cancelled():  # by shutdown (Ctrl-C also cancels, but then no one reads the outcome)
            self.fail(_closed_during_call())
            return
        error = task.exception()
        if error is None:
            self.result = task.result()
        else:
            self.error = error
        self.done.set()

    def cancel(self) -> None:  # on the loop thread
        self.cancelled = True
        if self.task is not None:
            self.task.cancel()
        else:
            self.done.set()

    def fail(self, error: BaseException) -> None:
        if not self.done.is_set():
            self.error = error
            self.done.set()

    def outcome(self) -> T:
        error, self.error = self.error, None  # no reference cycle through the traceback
        if error is not None:
            try:
                raise error
            finally:
                del error
        return self.result  # type: ignore[return-value]  # set when there is no error


class LoopRunner:
    """Owns an event loop running in a daemon thread, started on the first call."""

    def __init__(self, thread_name: str) -> None:
        self._thread_name = thread_name
        self._lock = threading.Lock()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._closed = False  # no new calls
        self._stopping = False  # the loop thread is winding down: calls no longer start
        self._calls: Set[_Call[Any]] = set()

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def thread(self) -> Optional[threading.Thread]:
        """The loop's thread, once started."""
        return self._thread

    def in_loop_thread(self) -> bool:
        return self._thread is not None and threading.current_thread() is self._thread

    def run(self, factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
        """Run ``factory()`` on the loop and block until it finishes; its result or exception."""
        with self._lock:
            if self._closed:
                raise ApiValueError("this ApiClient is closed")
            loop = self._start()
        return self._submit(loop, factory)

    def _start(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=self._main, args=(loop,), name=self._thread_name, daemon=True)
            thread.start()
            self._loop, self._thread = loop, thread
        return self._loop

    def _submit(
        self,
        loop: asyncio.AbstractEventLoop,
        factory: Callable[[], Coroutine[Any, Any, T]],
        starter: Optional[Callable[[_Call[Any]], None]] = None,
    ) -> T:
        if self.in_loop_thread():
            raise RuntimeError("a blocking call cannot be made from its own client's event loop thread")
        call = _Call(factory)
        with self._lock:
            self._calls.add(call)
        try:
            try:
                loop.call_soon_threadsafe(starter or self._start_call, call)
                call.done.wait()
            except RuntimeError:  # the loop closed since run() let this call in: close() ran during it
                raise _closed_during_call() from None
            except BaseException:
                # KeyboardInterrupt: stop the coroutine, then let it through. It may come while the call
                # is being handed over, after the loop has already started it: cancel it then too.
                try:
                    loop.call_soon_threadsafe(call.cancel)
                    call.done.wait(CANCEL_GRACE)
                except RuntimeError:
                    pass
                raise
            return call.outcome()
        finally:
            with self._lock:
                self._calls.discard(call)

    def _start_call(self, call: _Call[Any]) -> None:  # on the loop thread
        if self._stopping:
            call.fail(_closed_during_call())
        else:
            call.start()

    def _start_final(self, call: _Call[Any]) -> None:  # on the loop thread
        # Calls submitted before this point have started, and so use the session ``final`` closes;
        # later ones are refused, instead of opening a new session that nothing would close.
        self._stopping = True
        call.start()

    def shutdown(self, final: Optional[Callable[[], Coroutine[Any, Any, Any]]] = None) -> None:
        """Run ``final()`` on the loop (errors ignored), stop the loop and join its thread. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        if threading.current_thread() is thread:  # e.g. garbage-collected on the loop itself: cannot join
            self._stopping = True
            loop.create_task(_then_stop(loop, final))
            return
        try:
            with contextlib.suppress(Exception):  # closing must not fail; the loop stops regardless
                self._submit(loop, final or _nothing, self._start_final)
        finally:
            with contextlib.suppress(RuntimeError):  # already closed
                loop.call_soon_threadsafe(loop.stop)
            thread.join()

    def _main(self, loop: asyncio.AbstractEventLoop) -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_forever()
        finally:
            self._stopping = True
            try:
                tasks = asyncio.all_tasks(loop)
                for task in tasks:
                    task.cancel()
                if tasks:
                    loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.run_until_complete(loop.shutdown_default_executor())
            finally:
                asyncio.set_event_loop(None)
                loop.close()
                with self._lock:
                    orphans = list(self._calls)
                for call in orphans:  # submitted while closing: never started
                    call.fail(_closed_during_call())


def iterate(runner: LoopRunner, items: AsyncIterator[T]) -> Iterator[T]:
    """``items``, an async iterator of the runner's loop, as a plain iterator: one ``next()`` at a time.

    Leaving the loop early (``break``, an exception, or dropping the iterator) closes ``items`` on its
    loop. When the client is closed, or this runs on the loop itself, the loop's own shutdown closes it.
    """
    try:
        while True:
            item = runner.run(lambda: _next(items))
            if item is _DONE:
                return
            yield item
    finally:
        aclose = getattr(items, "aclose", None)
        if aclose is not None and not runner.closed and not runner.in_loop_thread():
            runner.run(lambda: _close(aclose))


_DONE: Any = object()


async def _next(items: AsyncIterator[T]) -> T:
    try:
        return await items.__anext__()
    except StopAsyncIteration:
        return _DONE  # type: ignore[no-any-return]


async def _close(aclose: Callable[[], Any]) -> None:
    await aclose()


async def _nothing() -> None:
    pass


async def _then_stop(
    loop: asyncio.AbstractEventLoop, final: Optional[Callable[[], Coroutine[Any, Any, Any]]]
) -> None:
    try:
        if final is not None:
            await final()
    except Exception:
        pass
    finally:
        loop.stop()
