"""Following a DAG run to its end, on Airflow 2 (v1 API) and Airflow 3 (v2 API).

    progress = await trigger_and_wait(client, "my_dag", conf={"x": 1}, timeout=600)
    print(progress.state, progress.task_counts)   # success {'success': 2}

``watch_dag_run`` yields a :class:`RunProgress` for each change (the run's state, or how many task
instances are in each state) until the run is final (success or failed); ``wait_for_dag_run`` returns
the last one, calling ``on_change`` with each; ``trigger_and_wait`` triggers a run, then waits for it.

Which API: the v1 classes when the client's host is an ``/api/v1`` URL, the v2 ones when it is a
server's root (as v2 hosts are); ``api="v1"`` or ``"v2"`` forces one.

- v1: every ``poll_interval`` seconds, ``get_dag_run`` and the task instances (``get_task_instances``,
  page by page).
- v2: the run's state comes from the streaming wait endpoint (``wait_dag_run_until_finished``, one line
  every ``poll_interval`` seconds) instead of polling the run; on each line the task instances are
  counted, and the run itself is read again only when its state changed. A server without that endpoint
  (Airflow 3.0: known from its version, see server_version.py, or from its 404) is polled as on v1.
"""

from __future__ import annotations

import contextlib
import inspect
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable, Dict, Optional, Tuple, Union

from titanium_airflow_client.api_client import ApiClient
from titanium_airflow_client.configuration import RequestTimeout
from titanium_airflow_client.deadline import Deadline
from titanium_airflow_client.exceptions import (
    ApiTypeError,
    ApiValueError,
    ApiVersionError,
    NotFoundException,
    WaitTimeoutError,
)
from titanium_airflow_client.helper_arguments import (
    ApiGeneration,
    check_id,
    check_seconds,
    choose_api,
    state_text,
)
from titanium_airflow_client.pagination import paginate

if TYPE_CHECKING:
    from titanium_airflow_client.models.dag_run import DAGRun
    from titanium_airflow_client.v2.models.dag_run_response import DAGRunResponse

__all__ = [
    "FINAL_RUN_STATES",
    "ProgressCallback",
    "RunProgress",
    "trigger_and_wait",
    "wait_for_dag_run",
    "watch_dag_run",
]

FINAL_RUN_STATES = frozenset({"success", "failed"})
DEFAULT_POLL_INTERVAL = 5.0
TASK_PAGE_SIZE = 100  # Airflow's default maximum_page_limit


@dataclass(frozen=True)
class RunProgress:
    """Where a DAG run is: its state, and how many of its task instances are in each state.

    ``task_counts`` maps each state to a count, e.g. ``{"none": 1, "running": 1, "success": 2}`` (``"none"``:
    not scheduled yet; a mapped task counts once per map index). ``run`` is the run as the server last sent
    it: a ``DAGRun`` (v1) or a ``DAGRunResponse`` (v2). ``elapsed`` is the seconds since the wait began.
    """

    dag_id: str
    dag_run_id: str
    state: str
    task_counts: Dict[str, int]
    run: Union[DAGRun, DAGRunResponse]
    elapsed: float

    @property
    def final(self) -> bool:
        """True once the run has ended: success or failed."""
        return self.state in FINAL_RUN_STATES


ProgressCallback = Callable[[RunProgress], Any]
"""Called with each RunProgress: a plain function, or an async one (it is awaited)."""


def watch_dag_run(
    api_client: ApiClient,
    dag_id: str,
    dag_run_id: str,
    *,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: Optional[float] = None,
    api: Optional[ApiGeneration] = None,
) -> AsyncIterator[RunProgress]:
    """Each change of a DAG run, until it is final (success or failed).

    The first progress is yielded at once, then one whenever the run's state or its task counts changed;
    the last one is final. The arguments are checked now; the first request goes out when iteration starts.
    Leaving the loop early stops watching (the run goes on).

    :param api_client: the async ApiClient.
    :param poll_interval: seconds between two looks at the run (> 0).
    :param timeout: seconds to wait in all, or None for no limit; past it, ``WaitTimeoutError`` (naming the
        run and its last state) is raised, and the run goes on on the server.
    :param api: ``"v1"`` (Airflow 2) or ``"v2"`` (Airflow 3); by default v1 when the client's host is an
        ``/api/v1`` URL, else v2 (a v2 host is the server's root).
    :raises WaitTimeoutError: the run was not final within ``timeout``.
    """
    generation = choose_api("watch_dag_run", api_client, api)
    interval, limit = _check_wait("watch_dag_run", dag_id, dag_run_id, poll_interval, timeout)
    return _watch(api_client, generation, dag_id, dag_run_id, interval, limit)


async def wait_for_dag_run(
    api_client: ApiClient,
    dag_id: str,
    dag_run_id: str,
    *,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: Optional[float] = None,
    on_change: Optional[ProgressCallback] = None,
    api: Optional[ApiGeneration] = None,
) -> RunProgress:
    """Wait until a DAG run is final (success or failed) and return its final :class:`RunProgress`.

    ``on_change`` is called with each progress :func:`watch_dag_run` yields (the first, each change, the
    final one); it may be a plain or an async function. If it raises, the wait stops and its exception
    propagates (the run goes on). A failed run is returned, not raised: check ``progress.state``.

    :param poll_interval: seconds between two looks at the run (> 0).
    :param timeout: seconds to wait in all, or None for no limit.
    :param api: ``"v1"`` or ``"v2"``; by default chosen by the client's host, as in :func:`watch_dag_run`.
    :raises WaitTimeoutError: the run was not final within ``timeout``; it goes on on the server.
    """
    generation = choose_api("wait_for_dag_run", api_client, api)
    interval, limit = _check_wait("wait_for_dag_run", dag_id, dag_run_id, poll_interval, timeout)
    check_callback("wait_for_dag_run", on_change)
    return await _wait(_watch(api_client, generation, dag_id, dag_run_id, interval, limit), on_change)


async def trigger_and_wait(
    api_client: ApiClient,
    dag_id: str,
    *,
    conf: Optional[Dict[str, Any]] = None,
    note: Optional[str] = None,
    dag_run_id: Optional[str] = None,
    logical_date: Optional[Union[datetime, str]] = None,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: Optional[float] = None,
    on_change: Optional[ProgressCallback] = None,
    api: Optional[ApiGeneration] = None,
) -> RunProgress:
    """Trigger a run of ``dag_id``, then wait until it is final, as :func:`wait_for_dag_run` does.

    v1 sends ``post_dag_run`` with the fields given (the server chooses the run id and the logical date
    when they are not); v2 sends ``trigger_dag_run``, whose ``logical_date`` None means a run without one,
    as Airflow 3 makes manual runs. A paused DAG's run stays queued: unpause it, or give a ``timeout``.

    :param timeout: seconds to wait for the run once triggered, or None for no limit.
    :raises WaitTimeoutError: the run was not final within ``timeout``; it goes on on the server
        (the exception's ``dag_run_id`` names it).
    """
    generation = choose_api("trigger_and_wait", api_client, api)
    interval, limit = check_trigger("trigger_and_wait", dag_id, dag_run_id, poll_interval, timeout, on_change)
    run_id = await trigger_run(api_client, generation, dag_id, conf, note, dag_run_id, logical_date)
    return await _wait(_watch(api_client, generation, dag_id, run_id, interval, limit), on_change)


# --------------------------------------------------------------------------- checks


def _check_wait(
    function: str, dag_id: object, dag_run_id: object, poll_interval: object, timeout: object
) -> Tuple[float, Optional[float]]:
    check_id(function, "dag_id", dag_id)
    check_id(function, "dag_run_id", dag_run_id)
    interval = check_seconds(function, "poll_interval", poll_interval)
    assert interval is not None
    return interval, check_seconds(function, "timeout", timeout, optional=True)


def check_trigger(
    function: str, dag_id: object, dag_run_id: object, poll_interval: object, timeout: object, on_change: object
) -> Tuple[float, Optional[float]]:
    """trigger_and_wait's checks (its blocking twin's too): the poll interval and the timeout, checked."""
    check_id(function, "dag_id", dag_id)
    if dag_run_id is not None:
        check_id(function, "dag_run_id", dag_run_id)
    interval = check_seconds(function, "poll_interval", poll_interval)
    assert interval is not None
    check_callback(function, on_change)
    return interval, check_seconds(function, "timeout", timeout, optional=True)


def check_callback(function: str, on_change: object) -> None:
    if on_change is not None and not callable(on_change):
        raise ApiTypeError(f"{function}(): on_change must be callable or None, got {type(on_change).__name__}")


# --------------------------------------------------------------------------- triggering


async def trigger_run(
    api_client: ApiClient,
    generation: ApiGeneration,
    dag_id: str,
    conf: Optional[Dict[str, Any]],
    note: Optional[str],
    dag_run_id: Optional[str],
    logical_date: Optional[Union[datetime, str]],
) -> str:
    """Trigger a run (post_dag_run on v1, trigger_dag_run on v2): its id."""
    fields: Dict[str, Any] = {"conf": conf, "note": note, "dag_run_id": dag_run_id}
    fields = {name: value for name, value in fields.items() if value is not None}  # the rest: the server's choice
    if generation == "v1":
        from titanium_airflow_client.api.dag_run_api import DAGRunApi
        from titanium_airflow_client.models.dag_run import DAGRun

        if logical_date is not None:
            fields["logical_date"] = logical_date
        run: Any = await DAGRunApi(api_client).post_dag_run(dag_id, DAGRun(**fields))
    else:
        from titanium_airflow_client.v2.api.dag_run_api import DagRunApi
        from titanium_airflow_client.v2.models.trigger_dag_run_post_body import TriggerDAGRunPostBody

        # logical_date is sent even when None: Airflow 3 needs the field, and null means "no logical date".
        body = TriggerDAGRunPostBody.model_validate({"logical_date": logical_date, **fields})
        run = await DagRunApi(api_client).trigger_dag_run(dag_id, body)
    run_id: Optional[str] = run.dag_run_id
    if not run_id:  # the server answered a run without its id: nothing to wait for
        raise ApiValueError(f"trigger_and_wait(): the server answered the trigger of {dag_id} without a dag_run_id")
    return run_id


# --------------------------------------------------------------------------- waiting


async def _wait(progresses: AsyncIterator[RunProgress], on_change: Optional[ProgressCallback]) -> RunProgress:
    last: Optional[RunProgress] = None
    async with contextlib.aclosing(progresses):  # type: ignore[type-var]  # an async generator
        async for progress in progresses:
            last = progress
            if on_change is not None:
                outcome = on_change(progress)
                if inspect.isawaitable(outcome):
                    await outcome
    assert last is not None and last.final  # the watch ends only with a final progress
    return last


class _Watch:
    """What a watch has seen so far: its last progress (yielded only when it changed), for the timeout's message."""

    def __init__(self, dag_id: str, dag_run_id: str, timeout: Optional[float]) -> None:
        self.dag_id = dag_id
        self.dag_run_id = dag_run_id
        self.timeout = timeout
        self.state: Optional[str] = None
        self.last: Optional[RunProgress] = None
        self.deadline = Deadline(timeout, self.expired)

    def expired(self) -> WaitTimeoutError:
        assert self.timeout is not None
        return WaitTimeoutError(
            f"DAG run {self.dag_id}/{self.dag_run_id}",
            self.state,
            self.timeout,
            dag_id=self.dag_id,
            dag_run_id=self.dag_run_id,
        )

    def progress(self, run: Any, counts: Dict[str, int]) -> Optional[RunProgress]:
        """The new progress if it differs from the last one yielded, else None."""
        self.state = state_text(run.state)
        last = self.last
        if last is not None and last.state == self.state and last.task_counts == counts:
            return None
        self.last = RunProgress(self.dag_id, self.dag_run_id, self.state, counts, run, self.deadline.elapsed)
        return self.last


async def _watch(
    api_client: ApiClient,
    generation: ApiGeneration,
    dag_id: str,
    dag_run_id: str,
    poll_interval: float,
    timeout: Optional[float],
) -> AsyncIterator[RunProgress]:
    watch = _Watch(dag_id, dag_run_id, timeout)
    if generation == "v1":
        from titanium_airflow_client.api.dag_run_api import DAGRunApi
        from titanium_airflow_client.api.task_instance_api import TaskInstanceApi

        runs: Any = DAGRunApi(api_client)
        list_tasks: Callable[..., Awaitable[Any]] = TaskInstanceApi(api_client).get_task_instances
    else:
        from titanium_airflow_client.v2.api.dag_run_api import DagRunApi
        from titanium_airflow_client.v2.api.task_instance_api import TaskInstanceApi as TaskInstanceApiV2

        runs = DagRunApi(api_client)
        list_tasks = TaskInstanceApiV2(api_client).get_task_instances
    deadline = watch.deadline
    task_instances: Callable[..., AsyncIterator[Any]] = paginate(list_tasks)

    async def look(run: Any = None) -> Optional[RunProgress]:
        """Read the run (unless given) and count its task instances: the progress, if it changed."""
        if run is None:
            run = await deadline.run(runs.get_dag_run(dag_id, dag_run_id))
        counts = await deadline.run(_count_states(task_instances(dag_id, dag_run_id, limit=TASK_PAGE_SIZE)))
        return watch.progress(run, counts)

    progress = await look()
    assert progress is not None  # the first look always is news
    yield progress
    if progress.final:
        return
    if generation == "v2":
        async for progress in _follow_stream(api_client, runs, watch, look, poll_interval):
            yield progress
            if progress.final:
                return
    while True:  # v1, or a v2 server without the wait endpoint
        await deadline.sleep(poll_interval)
        changed = await look()
        if changed is not None:
            yield changed
            if changed.final:
                return


async def _follow_stream(
    api_client: ApiClient,
    runs: Any,
    watch: _Watch,
    look: Callable[..., Any],
    poll_interval: float,
) -> AsyncIterator[RunProgress]:
    """The changes seen along v2's wait stream, until the run is final; ends without a final progress only
    when the server has no wait endpoint (the caller then polls)."""
    deadline = watch.deadline
    lines_seen = False
    while True:
        stream = runs.wait_dag_run_until_finished(
            watch.dag_id,
            watch.dag_run_id,
            interval=poll_interval,
            _request_timeout=_stream_timeout(api_client.configuration.request_timeout, poll_interval),
        )
        try:
            while True:
                try:
                    update = await deadline.run(stream.__anext__())
                except StopAsyncIteration:
                    break
                except ApiVersionError:  # the server's version is known to predate the endpoint (3.0)
                    return
                except NotFoundException:
                    if lines_seen:
                        raise
                    return  # no such endpoint (the run itself was found just before): poll instead
                lines_seen = True
                fresh = None
                if state_text(update.state) != watch.state:  # read the run again only when its state changed
                    fresh = await deadline.run(runs.get_dag_run(watch.dag_id, watch.dag_run_id))
                assert watch.last is not None  # the first look came before the stream
                changed = await look(fresh if fresh is not None else watch.last.run)
                if changed is not None:
                    yield changed
                    if changed.final:
                        return
        finally:
            await stream.aclose()
        # The stream ended before the run did (a proxy or a restart cut it): open it again.
        await deadline.sleep(poll_interval)


def _stream_timeout(configured: RequestTimeout, poll_interval: float) -> Tuple[float, float]:
    """(connect, read) for the wait stream: it sends a line every ``poll_interval`` seconds, so each read may
    take that long on top of the configured read timeout."""
    connect, read = configured if isinstance(configured, tuple) else (configured, configured)
    return connect, read + poll_interval


async def _count_states(task_instances: AsyncIterator[Any]) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    async for task_instance in task_instances:
        state = state_text(task_instance.state)
        counts[state] = counts.get(state, 0) + 1
    return dict(sorted(counts.items()))
