"""The compatibility suite against a real Airflow 2.9.3 (``scripts/airflow29-local.sh``), the oldest Airflow 2
the client supports: the same client, the same DAGs (test/dags) and helpers as test/integration (2.11.2).

- ``airflow29_server`` (session, autouse) makes sure the local Airflow 2.9 answers; when it does not, it runs
  ``scripts/airflow29-local.sh up`` and fails (never skips) if that does not help.
- Every test in this directory gets the ``integration`` marker.
- ``client`` is an ApiClient for it as admin that learns the server's version itself (``GET /version``).
- ``bash_run`` and ``xcom_run``: a tit_bash and a tit_xcom run, triggered together at session start and
  followed to their end; the runs the suite creates are deleted at its end.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any, AsyncIterator, Dict, Iterator, List, Tuple

import pytest

from titanium_airflow_client import ApiClient, DAGApi, DAGRun, DAGRunApi, NotFoundException

from ..integration.conftest import (
    ADMIN,
    ensure_paused,
    make_client,
    new_run_id,
    run_async,
    server_problem,
    wait_final,
)
from ..local_airflow import ensure_local_airflow

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
SCRIPT = REPO_ROOT / "scripts" / "airflow29-local.sh"
PORT = int(os.environ.get("TITANIUM_AIRFLOW29_PORT") or "28280")
BASE_URL = f"http://127.0.0.1:{PORT}"
API_URL = f"{BASE_URL}/api/v1"
AIRFLOW_VERSION = "2.9.3"
UP_TIMEOUT = 600.0  # a cold install takes minutes


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session", autouse=True)
def airflow29_server(request: pytest.FixtureRequest) -> str:
    """The API URL of a local Airflow 2.9.3 that answers; started with ``airflow29-local.sh up`` if needed."""
    ensure_local_airflow(
        request,
        problem=lambda: server_problem(BASE_URL),
        script=SCRIPT,
        env={"TITANIUM_AIRFLOW29_PORT": str(PORT)},
        label="compat_v1_29",
        url=BASE_URL,
        up_timeout=UP_TIMEOUT,
    )
    return API_URL


def client_29(user: Tuple[str, str] = ADMIN, **config: Any) -> ApiClient:
    """An ApiClient for the Airflow 2.9 (test/integration's ``make_client``; ``host`` may point elsewhere)."""
    config.setdefault("host", API_URL)
    return make_client(user, **config)


@pytest.fixture
async def client(airflow29_server: str) -> AsyncIterator[ApiClient]:
    async with client_29() as api_client:
        yield api_client


# --------------------------------------------------------------------------- the runs that execute

_EXECUTED = {"bash_run": "tit_bash", "xcom_run": "tit_xcom"}  # fixture -> DAG, triggered in this order


@pytest.fixture(scope="session")
def created_runs(airflow29_server: str) -> Iterator[List[Tuple[str, str]]]:
    """(dag_id, run_id) of every run the suite creates: deleted when the session ends."""
    created: List[Tuple[str, str]] = []
    yield created

    async def delete_all() -> None:
        async with client_29() as api_client:
            runs, dags = DAGRunApi(api_client), DAGApi(api_client)
            for dag_id, run_id in created:
                with contextlib.suppress(NotFoundException):
                    run = await runs.get_dag_run(dag_id, run_id)
                    executing = run.state is not None and run.state.value in ("queued", "running")
                    if executing and not (await dags.get_dag(dag_id)).is_paused:  # not from under the executor
                        await wait_final(runs, dag_id, run_id)
                    await runs.delete_dag_run(dag_id, run_id)

    run_async(delete_all)


@pytest.fixture(scope="session")
def started_runs(created_runs: List[Tuple[str, str]], request: pytest.FixtureRequest) -> Dict[str, Tuple[str, str]]:
    """Triggers, once, every executing run some collected test needs: the executor works while other tests go on."""
    wanted = [
        name for name in _EXECUTED if any(name in getattr(item, "fixturenames", ()) for item in request.session.items)
    ]

    async def trigger() -> Dict[str, Tuple[str, str]]:
        started: Dict[str, Tuple[str, str]] = {}
        async with client_29() as api_client:
            for name in wanted:
                dag_id = _EXECUTED[name]
                await ensure_paused(DAGApi(api_client), dag_id, False)
                run_id = new_run_id(name)
                created_runs.append((dag_id, run_id))
                await DAGRunApi(api_client).post_dag_run(dag_id, DAGRun(dag_run_id=run_id))
                started[name] = (dag_id, run_id)
        return started

    return run_async(trigger)


@pytest.fixture(scope="session", autouse=True)
def _start_runs_early(started_runs: Dict[str, Tuple[str, str]]) -> None:
    """Triggers the executing runs before the first test, not when the first test that needs one runs."""


def _finished(started_runs: Dict[str, Tuple[str, str]], name: str) -> DAGRun:
    dag_id, run_id = started_runs[name]

    async def wait() -> DAGRun:
        async with client_29() as api_client:
            return await wait_final(DAGRunApi(api_client), dag_id, run_id)

    return run_async(wait)


@pytest.fixture(scope="session")
def bash_run(started_runs: Dict[str, Tuple[str, str]]) -> DAGRun:
    """A tit_bash run (hello >> goodbye) followed to its end (success)."""
    return _finished(started_runs, "bash_run")


@pytest.fixture(scope="session")
def xcom_run(started_runs: Dict[str, Tuple[str, str]]) -> DAGRun:
    """A tit_xcom run followed to its end (success): its task "push" pushed the known XComs."""
    return _finished(started_runs, "xcom_run")
