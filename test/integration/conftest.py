"""Integration tests against a real Airflow 2.11 (``scripts/airflow-local.sh``).

- ``airflow_server`` (session, autouse) makes sure the local Airflow answers; when it does
  not, it runs ``scripts/airflow-local.sh up`` and fails (never skips) if that does not help.
- Every test in this directory gets the ``integration`` marker.
- The few DAG runs that really execute (SequentialExecutor: one task at a time) are shared
  session fixtures: ``bash_run`` (tit_bash, success), ``failed_run`` (tit_fail, failed),
  ``dataset_runs`` (tit_dataset_producer and the tit_dataset_consumer run it caused), ``xcom_run``
  (tit_xcom), ``mapped_run`` (tit_mapped) and ``retry_run`` (tit_retry, two tries). They are
  triggered together at session start when some collected test needs them, so the executor
  works while the tests that need no finished run go on.
- Runs the tests create get ids starting with ``SESSION_PREFIX`` and are deleted at the end.
  Runs on the paused ``tit_sandbox_a`` stay queued forever, so tests may change them at will.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import random
import secrets
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, Iterator, List, Optional, Set, Tuple, TypeVar

import aiohttp
import pytest
import yarl

from titanium_airflow_client import (
    DAG,
    ApiClient,
    Configuration,
    DAGApi,
    DAGRun,
    DAGRunApi,
    DatasetEventCollection,
    NotFoundException,
)

from ..local_airflow import ensure_local_airflow

T = TypeVar("T")

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
PORT = int(os.environ.get("TITANIUM_AIRFLOW_PORT") or "28080")
BASE_URL = f"http://127.0.0.1:{PORT}"
API_URL = f"{BASE_URL}/api/v1"
ADMIN = ("admin", "admin")
VIEWER = ("viewer", "viewer")

UP_TIMEOUT = 600.0  # scripts/airflow-local.sh up: a cold install takes minutes
RUN_TIMEOUT = 180.0  # one DAG run followed to its end
DAG_TIMEOUT = 180.0  # a deleted DAG re-created by the scheduler's next parse
POLL_SECONDS = 1.0
FINAL_STATES = frozenset({"success", "failed"})

# Unique per session, so reruns against the same server never collide.
SESSION_PREFIX = "it-" + time.strftime("%m%d%H%M%S", time.gmtime()) + "-" + secrets.token_hex(2)

SANDBOX_DAG = "tit_sandbox_a"  # paused: its runs stay queued, tests may change them freely
PATCH_DAG = "tit_sandbox_b"  # paused, no runs: tests pause/unpause it
DELETE_DAG = "tit_sandbox_c"  # tests (and docs examples) delete it; its file re-creates it
DATASET_URI = "file:///tmp/titanium/ds1"

# Logical dates of sandbox runs: after the tasks' start_date (2024-01-01, or no task instances
# are created), in the past, and unique: a random base per session plus one minute per run.
_LOGICAL_BASE = datetime(2025, 1, 1, tzinfo=timezone.utc) + timedelta(
    seconds=random.randrange(0, 300 * 86400), microseconds=random.randrange(1, 1_000_000)
)
_counter = itertools.count(1)
_counter_lock = threading.Lock()


def _next() -> int:
    with _counter_lock:
        return next(_counter)


def new_run_id(label: str = "run") -> str:
    """A run id no other session uses."""
    return f"{SESSION_PREFIX}-{label}-{_next()}"


def new_logical_date() -> datetime:
    """A logical date (UTC) no other run of this session uses."""
    return _LOGICAL_BASE + timedelta(minutes=_next())


def make_client(user: Tuple[str, str] = ADMIN, *, host: str = API_URL, **config: Any) -> ApiClient:
    username, password = user
    return ApiClient(Configuration(host=host, username=username, password=password, **config))


def run_async(factory: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine from sync (session) fixtures: in its own thread and event loop, so it
    never touches the loops pytest-asyncio manages for the tests."""

    async def main() -> T:
        return await factory()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="integration-async") as pool:
        return pool.submit(asyncio.run, main()).result()


# --------------------------------------------------------------------------- marker


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.integration)


# --------------------------------------------------------------------------- the server


def server_problem(base_url: str = BASE_URL) -> Optional[str]:
    """None when the Airflow 2 at ``base_url`` answers healthy with our credentials, else what is wrong
    (also used by test/compat_v1_29 for its Airflow 2.9)."""
    api_url = base_url + "/api/v1"
    try:
        with urllib.request.urlopen(base_url + "/health", timeout=5) as response:
            health = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        exc.close()
        return f"GET /health answered {exc.code}"
    except (OSError, ValueError) as exc:
        return f"GET /health failed: {exc}"
    for part in ("metadatabase", "scheduler"):
        status = (health.get(part) or {}).get("status")
        if status != "healthy":
            return f"/health says {part} is {status!r}"
    token = base64.b64encode(":".join(ADMIN).encode()).decode()
    request = urllib.request.Request(api_url + "/dags?limit=1", headers={"Authorization": f"Basic {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            json.loads(response.read())
    except urllib.error.HTTPError as exc:
        exc.close()
        return f"GET /api/v1/dags?limit=1 as admin answered {exc.code}"
    except (OSError, ValueError) as exc:
        return f"GET /api/v1/dags?limit=1 as admin failed: {exc}"
    return None


@pytest.fixture(scope="session", autouse=True)
def airflow_server(request: pytest.FixtureRequest) -> str:
    """The API URL of a local Airflow that answers; started with ``airflow-local.sh up`` if needed."""
    ensure_local_airflow(
        request,
        problem=server_problem,
        script=REPO_ROOT / "scripts" / "airflow-local.sh",
        env={"TITANIUM_AIRFLOW_PORT": str(PORT)},
        label="integration",
        url=BASE_URL,
        up_timeout=UP_TIMEOUT,
    )
    return API_URL


# --------------------------------------------------------------------------- async helpers


async def ensure_paused(dag_api: DAGApi, dag_id: str, paused: bool) -> DAG:
    dag = await dag_api.get_dag(dag_id)
    if dag.is_paused is not paused:
        dag = await dag_api.patch_dag(dag_id, DAG(is_paused=paused), update_mask=["is_paused"])
    assert dag.is_paused is paused
    return dag


async def wait_final(runs: DAGRunApi, dag_id: str, run_id: str, timeout: float = RUN_TIMEOUT) -> DAGRun:
    """Poll a run until it is success or failed; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        run = await runs.get_dag_run(dag_id, run_id)
        if run.state is not None and run.state.value in FINAL_STATES:
            return run
        if time.monotonic() > deadline:
            pytest.fail(f"run {dag_id}/{run_id} still {run.state} after {timeout:.0f}s", pytrace=False)
        await asyncio.sleep(POLL_SECONDS)


async def wait_dag(dag_api: DAGApi, dag_id: str, timeout: float = DAG_TIMEOUT) -> DAG:
    """Wait until the DAG exists (e.g. re-created by the scheduler after a delete) and is usable."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            dag = await dag_api.get_dag(dag_id)
            await dag_api.get_dag_details(dag_id)  # needs the serialized DAG as well
            if dag.is_active:
                return dag
        except NotFoundException:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"DAG {dag_id} did not (re)appear within {timeout:.0f}s", pytrace=False)
        await asyncio.sleep(POLL_SECONDS)


async def find_consumer_run(
    runs: DAGRunApi, producer_run_id: str, timeout: float = RUN_TIMEOUT
) -> Tuple[DAGRun, DatasetEventCollection]:
    """The tit_dataset_consumer run the scheduler created for the dataset event of a producer run."""
    deadline = time.monotonic() + timeout
    seen: Set[str] = set()
    while True:
        listed = await runs.get_dag_runs("tit_dataset_consumer", order_by="-id", limit=25)
        for run in listed.dag_runs or []:
            if run.dag_run_id is None or run.dag_run_id in seen or run.run_type != "dataset_triggered":
                continue
            events = await runs.get_upstream_dataset_events("tit_dataset_consumer", run.dag_run_id)
            if any(event.source_run_id == producer_run_id for event in events.dataset_events or []):
                return run, events
            seen.add(run.dag_run_id)
        if time.monotonic() > deadline:
            pytest.fail(
                f"no tit_dataset_consumer run for producer run {producer_run_id} within {timeout:.0f}s",
                pytrace=False,
            )
        await asyncio.sleep(POLL_SECONDS)


# --------------------------------------------------------------------------- runs: bookkeeping


class RunRegistry:
    """The runs this session created; they are deleted when the session ends."""

    def __init__(self) -> None:
        self._runs: Dict[Tuple[str, str], None] = {}
        self._lock = threading.Lock()

    def add(self, dag_id: str, run_id: str) -> None:
        with self._lock:
            self._runs[(dag_id, run_id)] = None

    def discard(self, dag_id: str, run_id: str) -> None:
        with self._lock:
            self._runs.pop((dag_id, run_id), None)

    def all(self) -> List[Tuple[str, str]]:
        with self._lock:
            return list(self._runs)


async def _delete_runs(pairs: List[Tuple[str, str]]) -> List[str]:
    problems: List[str] = []
    async with make_client() as client:
        runs, dags = DAGRunApi(client), DAGApi(client)
        paused: Dict[str, bool] = {}
        for dag_id in {dag_id for dag_id, _ in pairs}:
            with contextlib.suppress(NotFoundException):
                paused[dag_id] = bool((await dags.get_dag(dag_id, fields=["is_paused"])).is_paused)
        semaphore = asyncio.Semaphore(4)

        async def delete(dag_id: str, run_id: str) -> None:
            async with semaphore:
                try:
                    if not paused.get(dag_id, True):
                        # Deleting a run whose task is executing would pull it from under the executor.
                        run = await runs.get_dag_run(dag_id, run_id)
                        if run.state is not None and run.state.value not in FINAL_STATES:
                            await wait_final(runs, dag_id, run_id, timeout=60)
                    await runs.delete_dag_run(dag_id, run_id)
                except NotFoundException:
                    pass
                except (Exception, pytest.fail.Exception) as exc:  # cleanup must go on; report at the end
                    problems.append(f"{dag_id}/{run_id}: {exc!r}")

        await asyncio.gather(*(delete(dag_id, run_id) for dag_id, run_id in pairs))
    return problems


@pytest.fixture(scope="session")
def run_registry(airflow_server: str) -> Iterator[RunRegistry]:
    registry = RunRegistry()
    yield registry
    problems = run_async(lambda: _delete_runs(registry.all()))
    if problems:
        print("\n[integration] could not delete some runs:\n  " + "\n  ".join(problems))


class Runs:
    """Creating runs from a test: unique ids, registered for cleanup."""

    def __init__(self, client: ApiClient, registry: RunRegistry) -> None:
        self.api = DAGRunApi(client)
        self.dag_api = DAGApi(client)
        self.registry = registry

    new_id = staticmethod(new_run_id)
    logical_date = staticmethod(new_logical_date)

    async def trigger(self, dag_id: str, label: str = "run", **fields: Any) -> DAGRun:
        """post_dag_run with a unique run id (unless given); the run is deleted at session end."""
        fields.setdefault("dag_run_id", new_run_id(label))
        self.registry.add(dag_id, fields["dag_run_id"])
        return await self.api.post_dag_run(dag_id, DAGRun(**fields))

    async def sandbox_run(self, label: str = "sandbox", **fields: Any) -> DAGRun:
        """A queued run of the paused tit_sandbox_a, with a unique logical date; it never executes."""
        await ensure_paused(self.dag_api, SANDBOX_DAG, True)
        if "logical_date" not in fields:
            fields["logical_date"] = new_logical_date()
        elif fields["logical_date"] is None:
            del fields["logical_date"]  # let the server choose: now
        return await self.trigger(SANDBOX_DAG, label, **fields)

    async def wait_final(self, dag_id: str, run_id: str, timeout: float = RUN_TIMEOUT) -> DAGRun:
        return await wait_final(self.api, dag_id, run_id, timeout)

    async def trigger_and_wait(self, dag_id: str, label: str = "run", **fields: Any) -> DAGRun:
        run = await self.trigger(dag_id, label, **fields)
        assert run.dag_run_id is not None
        return await self.wait_final(dag_id, run.dag_run_id)


# --------------------------------------------------------------------------- clients


@pytest.fixture
async def api_client(airflow_server: str) -> AsyncIterator[ApiClient]:
    """An ApiClient logged in as admin (Admin role)."""
    async with make_client() as client:
        yield client


@pytest.fixture
async def viewer_client(airflow_server: str) -> AsyncIterator[ApiClient]:
    """An ApiClient logged in as viewer (Viewer role: read only)."""
    async with make_client(VIEWER) as client:
        yield client


@pytest.fixture
def dag_api(api_client: ApiClient) -> DAGApi:
    return DAGApi(api_client)


@pytest.fixture
def dag_run_api(api_client: ApiClient) -> DAGRunApi:
    return DAGRunApi(api_client)


@pytest.fixture
def runs(api_client: ApiClient, run_registry: RunRegistry) -> Runs:
    return Runs(api_client, run_registry)


# --------------------------------------------------------------------------- the runs that execute


@dataclass(frozen=True)
class DatasetRuns:
    producer: DAGRun  # final
    consumer: DAGRun  # created by the scheduler for the producer's dataset event; final
    events: DatasetEventCollection  # upstream dataset events of the consumer run


_EXECUTED = {
    # fixture name: (dag_id, label)
    "bash_run": ("tit_bash", "bash"),
    "failed_run": ("tit_fail", "fail"),
    "dataset_runs": ("tit_dataset_producer", "producer"),
    "xcom_run": ("tit_xcom", "xcom"),
    "mapped_run": ("tit_mapped", "mapped"),
    "retry_run": ("tit_retry", "retry"),
}


@pytest.fixture(scope="session", autouse=True)
def started_runs(request: pytest.FixtureRequest, run_registry: RunRegistry) -> Dict[str, Tuple[str, str]]:
    """Trigger, at session start, the executing runs that some collected test needs.

    Only triggered here; the fixtures below wait for them when a test asks.
    """
    wanted = set()
    for item in request.session.items:
        wanted.update(name for name in getattr(item, "fixturenames", ()) if name in _EXECUTED)
    if not wanted:
        return {}

    async def trigger_all() -> Dict[str, Tuple[str, str]]:
        started: Dict[str, Tuple[str, str]] = {}
        async with make_client() as client:
            dag_api, run_api = DAGApi(client), DAGRunApi(client)
            if "dataset_runs" in wanted:
                await ensure_paused(dag_api, "tit_dataset_consumer", False)
            for name in _EXECUTED:  # the executor takes them in this order
                if name not in wanted:
                    continue
                dag_id, label = _EXECUTED[name]
                await ensure_paused(dag_api, dag_id, False)
                run_id = new_run_id(label)
                run_registry.add(dag_id, run_id)
                await run_api.post_dag_run(dag_id, DAGRun(dag_run_id=run_id, conf={"session": SESSION_PREFIX}))
                started[name] = (dag_id, run_id)
        return started

    return run_async(trigger_all)


def _started(started_runs: Dict[str, Tuple[str, str]], name: str, run_registry: RunRegistry) -> Tuple[str, str]:
    if name in started_runs:
        return started_runs[name]
    # Not pre-started (e.g. requested dynamically): trigger it now.
    dag_id, label = _EXECUTED[name]
    run_id = new_run_id(label)
    run_registry.add(dag_id, run_id)

    async def trigger() -> None:
        async with make_client() as client:
            await ensure_paused(DAGApi(client), dag_id, False)
            await DAGRunApi(client).post_dag_run(dag_id, DAGRun(dag_run_id=run_id, conf={"session": SESSION_PREFIX}))

    run_async(trigger)
    return dag_id, run_id


def _wait(dag_id: str, run_id: str) -> DAGRun:
    async def wait() -> DAGRun:
        async with make_client() as client:
            return await wait_final(DAGRunApi(client), dag_id, run_id)

    return run_async(wait)


@pytest.fixture(scope="session")
def bash_run(started_runs: Dict[str, Tuple[str, str]], run_registry: RunRegistry) -> DAGRun:
    """A tit_bash run (tasks hello >> goodbye) followed by the scheduler to its end (success)."""
    return _wait(*_started(started_runs, "bash_run", run_registry))


@pytest.fixture(scope="session")
def failed_run(started_runs: Dict[str, Tuple[str, str]], run_registry: RunRegistry) -> DAGRun:
    """A tit_fail run (its only task 'fail' exits 1, no retries) followed to its end (failed)."""
    return _wait(*_started(started_runs, "failed_run", run_registry))


@pytest.fixture(scope="session")
def dataset_runs(started_runs: Dict[str, Tuple[str, str]], run_registry: RunRegistry) -> DatasetRuns:
    """A successful tit_dataset_producer run and the tit_dataset_consumer run its event created."""
    dag_id, run_id = _started(started_runs, "dataset_runs", run_registry)

    async def follow() -> DatasetRuns:
        async with make_client() as client:
            runs = DAGRunApi(client)
            producer = await wait_final(runs, dag_id, run_id)
            assert producer.state == "success", f"producer run {run_id} ended {producer.state}"
            consumer, events = await find_consumer_run(runs, run_id)
            assert consumer.dag_run_id is not None
            run_registry.add("tit_dataset_consumer", consumer.dag_run_id)
            consumer = await wait_final(runs, "tit_dataset_consumer", consumer.dag_run_id)
            return DatasetRuns(producer, consumer, events)

    return run_async(follow)


@pytest.fixture(scope="session")
def xcom_run(started_runs: Dict[str, Tuple[str, str]], run_registry: RunRegistry) -> DAGRun:
    """A tit_xcom run followed to its end (success): its task "push" pushed the known XComs and logged the marker."""
    return _wait(*_started(started_runs, "xcom_run", run_registry))


@pytest.fixture(scope="session")
def mapped_run(started_runs: Dict[str, Tuple[str, str]], run_registry: RunRegistry) -> DAGRun:
    """A tit_mapped run followed to its end (success): "square" mapped over [1, 2, 3], map indexes 0..2."""
    return _wait(*_started(started_runs, "mapped_run", run_registry))


@pytest.fixture(scope="session")
def retry_run(started_runs: Dict[str, Tuple[str, str]], run_registry: RunRegistry) -> DAGRun:
    """A tit_retry run followed to its end (success): its task "flaky" failed on try 1 and succeeded on try 2."""
    return _wait(*_started(started_runs, "retry_run", run_registry))


# --------------------------------------------------------------------------- objects the tests create


def unique_name(label: str) -> str:
    """A name for an object a test creates (variable, pool, connection, role, user): no other session uses it."""
    return f"{SESSION_PREFIX}-{label}-{_next()}"


class Cleanup:
    """What a test created, deleted when it ends (last first), whether it passed or not; 404 is "already gone"."""

    def __init__(self) -> None:
        self._steps: List[Tuple[str, Callable[[], Awaitable[Any]]]] = []

    def add(self, what: str, step: Callable[[], Awaitable[Any]]) -> None:
        self._steps.append((what, step))

    async def run(self) -> List[str]:
        problems: List[str] = []
        while self._steps:
            what, step = self._steps.pop()
            try:
                await step()
            except NotFoundException:
                pass
            except Exception as exc:  # the others still run; reported at the end
                problems.append(f"{what}: {exc!r}")
        return problems


@pytest.fixture
async def cleanup(api_client: ApiClient) -> AsyncIterator[Cleanup]:
    steps = Cleanup()
    yield steps
    problems = await steps.run()
    assert problems == [], f"could not delete what the test created: {problems}"


# --------------------------------------------------------------------------- the server's own answer


NO_BODY: Any = object()


@dataclass(frozen=True)
class RawAnswer:
    status: int
    content_type: str
    body: bytes
    location: Optional[str] = None

    def json(self) -> Any:
        return json.loads(self.body)


async def raw_request(
    method: str, path: str, body: Any = NO_BODY, *, user: Tuple[str, str] = ADMIN
) -> RawAnswer:
    """One request with plain aiohttp, no redirect followed: the server's answer as it is.

    ``path`` is relative to API_URL and sent as given (already percent-encoded); ``body`` is sent as JSON.
    """
    token = base64.b64encode(":".join(user).encode()).decode()
    headers = {"Accept": "application/json", "Authorization": f"Basic {token}"}
    data: Optional[bytes] = None
    if body is not NO_BODY:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    async with aiohttp.ClientSession() as session:
        response = await session.request(
            method, yarl.URL(API_URL + path, encoded=True), data=data, headers=headers, allow_redirects=False
        )
        async with response:
            content = await response.read()
        return RawAnswer(
            response.status, response.headers.get("Content-Type", ""), content, response.headers.get("Location")
        )


def sync_paginate(api_class: str, method: str, *args: Any, **kwargs: Any) -> List[Any]:
    """Every item of a list method through the blocking facade (``titanium_airflow_client.sync``):
    its own ApiClient, API class and paginate(). Call it with asyncio.to_thread from a test."""
    from titanium_airflow_client import sync

    username, password = ADMIN
    with sync.ApiClient(sync.Configuration(host=API_URL, username=username, password=password)) as client:
        api = getattr(sync, api_class)(client)
        return list(sync.paginate(getattr(api, method))(*args, **kwargs))
