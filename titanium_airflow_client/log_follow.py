"""Following a task's log as it grows, on Airflow 2 (v1 API) and Airflow 3 (v2 API), in constant memory.

    async for line in follow_log(client, "my_dag", run_id, "my_task"):
        print(line)

``follow_log`` yields the log's lines (without their newline) as they come, and ends once the task
instance is in a final state (success, failed, skipped, upstream_failed, removed) and no more log comes.
It reads with ``get_log`` every ``poll_interval`` seconds, going on from where the last answer ended with the
continuation token the server gave; each answer's lines are yielded as they are split off it, and nothing is
kept from one answer to the next. So memory stays bounded by one answer, however long the log: an answer
holds what the log grew by since the last one (the first, all of it so far).

- ``try_number=None`` follows the task instance: its current try, and the tries that follow it (a retry's log
  comes after the failed try's, which starts with Airflow's own "Starting attempt 2 of 2" lines). A given
  ``try_number`` follows that try alone, until it is over.
- v1 (Airflow 2): the answer's ``content`` is read as the server means it (``log_text()``); a line the worker
  is still writing may come in two parts, given as two lines.
- v2 (Airflow 3): each structured message becomes a line as Airflow's UI shows it as text (see
  :mod:`titanium_airflow_client.log_lines`). Airflow 3 hands out no continuation token while the task is not
  running (queued, or after its end), so the log is then read from its start again and the lines already
  given are skipped; Airflow's group naming the log's sources comes once, first.
- The task instance's state is read before each answer. After a final state is seen, the log is read until an
  answer brings nothing new, so lines the worker writes after the state changed (Airflow 2's "Task exited
  with return code 0") still come: following a finished task takes one ``poll_interval`` more than reading it.
"""

from __future__ import annotations

from typing import Any, AsyncIterator, Iterable, Iterator, List, Optional, Protocol, Tuple

from titanium_airflow_client.api_client import ApiClient
from titanium_airflow_client.deadline import Deadline
from titanium_airflow_client.exceptions import ApiValueError, WaitTimeoutError
from titanium_airflow_client.helper_arguments import (
    ApiGeneration,
    check_id,
    check_int,
    check_seconds,
    choose_api,
    state_text,
)
from titanium_airflow_client.log_lines import LogMessage, TextLines, header_length, message_lines

__all__ = ["FINAL_TASK_STATES", "follow_log"]

FINAL_TASK_STATES = frozenset({"success", "failed", "skipped", "upstream_failed", "removed"})
# A try that ended so that another may follow: over, though the task instance is not final.
TRY_OVER_STATES = FINAL_TASK_STATES | {"up_for_retry"}
DEFAULT_POLL_INTERVAL = 2.0


def follow_log(
    api_client: ApiClient,
    dag_id: str,
    dag_run_id: str,
    task_id: str,
    *,
    try_number: Optional[int] = None,
    map_index: int = -1,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    timeout: Optional[float] = None,
    api: Optional[ApiGeneration] = None,
) -> AsyncIterator[str]:
    """The lines of a task's log as it grows, until the task instance is final and no more log comes.

    The arguments are checked now; the first request goes out when iteration starts. Leaving the loop early
    stops following (the task goes on). See the module's docstring for what each server answers.

    :param try_number: the try to follow (>= 1); None follows the current try and the retries after it.
    :param map_index: the map index of a mapped task instance; -1 for an unmapped one.
    :param poll_interval: seconds between two reads of the log (> 0).
    :param timeout: seconds to follow in all, or None for no limit; past it, ``WaitTimeoutError`` (naming the
        task instance and its last state) is raised, and the task goes on on the server.
    :param api: ``"v1"`` (Airflow 2) or ``"v2"`` (Airflow 3); by default v1 when the client's host is an
        ``/api/v1`` URL, else v2 (a v2 host is the server's root).
    :raises WaitTimeoutError: the task instance was not final, or its log still grew, after ``timeout``.
    :raises ApiValueError: ``try_number`` names a try the task instance never reached, and it is final.
    """
    pieces = log_pieces(
        "follow_log",
        api_client,
        dag_id,
        dag_run_id,
        task_id,
        try_number=try_number,
        map_index=map_index,
        poll_interval=poll_interval,
        timeout=timeout,
        api=api,
    )
    return _lines(pieces)


def log_pieces(
    function: str,
    api_client: ApiClient,
    dag_id: str,
    dag_run_id: str,
    task_id: str,
    *,
    try_number: Optional[int],
    map_index: int,
    poll_interval: float,
    timeout: Optional[float],
    api: Optional[ApiGeneration],
) -> AsyncIterator[Iterable[str]]:
    """What ``follow_log`` yields, one iterator over each answer's lines (the blocking twin takes them whole).

    Each must be read to its end before the next is asked for: the reading goes on from where it ended.
    """
    generation = choose_api(function, api_client, api)
    for name, value in (("dag_id", dag_id), ("dag_run_id", dag_run_id), ("task_id", task_id)):
        check_id(function, name, value)
    check_int(function, "try_number", try_number, 1, optional=True)
    check_int(function, "map_index", map_index, -1)
    interval = check_seconds(function, "poll_interval", poll_interval)
    limit = check_seconds(function, "timeout", timeout, optional=True)
    assert interval is not None
    task = _TaskLogs(api_client, generation, dag_id, dag_run_id, task_id, map_index)
    return _follow(task, try_number, interval, limit)


async def _lines(pieces: AsyncIterator[Iterable[str]]) -> AsyncIterator[str]:
    try:
        async for piece in pieces:
            for line in piece:
                yield line
    finally:
        await pieces.aclose()  # type: ignore[attr-defined]  # an async generator


# --------------------------------------------------------------------------- reading one try's log


class _LogReader(Protocol):
    async def read(self) -> Iterator[str]:
        """Fetch the next answer; its new lines, split off as they are read."""


class _V1Reader:
    """Airflow 2: ``get_log`` answers text, and always a token that goes on from where it ended."""

    def __init__(self, api: Any, ids: Tuple[str, str, str], try_number: int, map_index: int) -> None:
        self._api, self._ids, self._try_number, self._map_index = api, ids, try_number, map_index
        self._token: Optional[str] = None
        self._text = TextLines()

    async def read(self) -> Iterator[str]:
        answer = await self._api.get_log(
            *self._ids, self._try_number, full_content=False, map_index=self._map_index, token=self._token
        )
        self._token = answer.continuation_token or self._token
        return self._text.lines(answer.log_text())


class _V2Reader:
    """Airflow 3: ``get_log`` answers structured messages, and a token only while the task runs; without one the
    next answer starts from the beginning again, and the messages already given are skipped."""

    def __init__(self, api: Any, ids: Tuple[str, str, str], try_number: int, map_index: int) -> None:
        self._api, self._ids, self._try_number, self._map_index = api, ids, try_number, map_index
        self._token: Optional[str] = None
        self._given = 0  # messages of the log given so far (the sources group not counted), as the server counts
        self._sources_given = False

    async def read(self) -> Iterator[str]:
        from_start = self._token is None
        answer = await self._api.get_log(*self._ids, self._try_number, map_index=self._map_index, token=self._token)
        self._token = answer.continuation_token
        return self._new_lines(answer.content or [], from_start)

    def _new_lines(self, messages: List[LogMessage], from_start: bool) -> Iterator[str]:
        start = 0
        if from_start:
            sources = header_length(messages)
            if not self._sources_given:
                self._sources_given = True
                for message in messages[:sources]:
                    yield from message_lines(message)
            start = sources + self._given
        for index in range(start, len(messages)):
            self._given += 1
            yield from message_lines(messages[index])


class _TaskLogs:
    """One task instance on one server: its state and try, and a reader for each try's log."""

    def __init__(
        self,
        api_client: ApiClient,
        generation: ApiGeneration,
        dag_id: str,
        dag_run_id: str,
        task_id: str,
        map_index: int,
    ) -> None:
        self.generation = generation
        self.ids = (dag_id, dag_run_id, task_id)
        self.map_index = map_index
        if generation == "v1":
            from titanium_airflow_client.api.task_instance_api import TaskInstanceApi

            self.api: Any = TaskInstanceApi(api_client)
        else:
            from titanium_airflow_client.v2.api.task_instance_api import TaskInstanceApi as TaskInstanceApiV2

            self.api = TaskInstanceApiV2(api_client)

    def name(self) -> str:
        dag_id, dag_run_id, task_id = self.ids
        mapped = f" (map index {self.map_index})" if self.map_index >= 0 else ""
        return f"task {task_id}{mapped} of DAG run {dag_id}/{dag_run_id}"

    async def state_and_try(self) -> Tuple[str, int]:
        if self.map_index >= 0:
            task_instance = await self.api.get_mapped_task_instance(*self.ids, self.map_index)
        else:
            task_instance = await self.api.get_task_instance(*self.ids)
        return state_text(task_instance.state), task_instance.try_number or 0

    def reader(self, try_number: int) -> _LogReader:
        reader = _V1Reader if self.generation == "v1" else _V2Reader
        return reader(self.api, self.ids, try_number, self.map_index)

    def has_log(self, try_number: int) -> bool:
        """Whether a try can be read: try 0 (never ran) only on Airflow 3, which says why there is no log."""
        return try_number > 0 or self.generation == "v2"


class _Counted:
    """An answer's lines, noting whether there were any."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self.any = False

    def __iter__(self) -> Iterator[str]:
        for line in self._lines:
            self.any = True
            yield line


# --------------------------------------------------------------------------- following


async def _follow(
    task: _TaskLogs, wanted_try: Optional[int], poll_interval: float, timeout: Optional[float]
) -> AsyncIterator[Iterable[str]]:
    state: Optional[str] = None

    def expired() -> WaitTimeoutError:
        assert timeout is not None
        dag_id, dag_run_id, task_id = task.ids
        return WaitTimeoutError(
            f"the log of {task.name()}", state, timeout, dag_id=dag_id, dag_run_id=dag_run_id, task_id=task_id
        )

    deadline = Deadline(timeout, expired)
    current: Optional[int] = None  # the try being read
    reader: Optional[_LogReader] = None
    while True:
        seen, latest_try = await deadline.run(task.state_and_try())
        state = seen
        final = seen in FINAL_TASK_STATES
        if current is None:
            current = _try_to_read(task, wanted_try, seen, latest_try)
            if current is None:  # not started yet (or, never started and final: no log at all)
                if final:
                    return
                await deadline.sleep(poll_interval)
                continue
            reader = task.reader(current)
        elif wanted_try is None and latest_try > current:
            # A retry began: the rest of the try read so far (it is over), then the new one.
            assert reader is not None
            yield _Counted(await deadline.run(reader.read()))
            current, reader = latest_try, task.reader(latest_try)
        assert reader is not None
        if wanted_try is None:
            over = final
        else:
            over = latest_try > current or seen in TRY_OVER_STATES
        lines = _Counted(await deadline.run(reader.read()))
        yield lines
        if over and not lines.any:
            return
        await deadline.sleep(poll_interval)


def _try_to_read(task: _TaskLogs, wanted_try: Optional[int], state: str, latest_try: int) -> Optional[int]:
    """The try to start reading, or None while there is none yet."""
    final = state in FINAL_TASK_STATES
    if wanted_try is None:
        if latest_try == 0 and not (final and task.has_log(0)):
            return None
        return latest_try
    if wanted_try <= latest_try:
        return wanted_try
    if final:
        raise ApiValueError(
            f"follow_log(): try_number {wanted_try} never ran: {task.name()} is {state} after try {latest_try}"
        )
    return None
