"""The compatibility suite against a real Airflow 3.0.6 (``scripts/airflow30-local.sh``), the oldest Airflow 3
the client supports: the same client, DAGs (test/dags3 but tit_hitl, see the script) and helpers as
test/integration_v2 (3.3.2).

- ``airflow30_server`` (session, autouse) makes sure the local Airflow 3.0 answers; when it does not, it runs
  ``scripts/airflow30-local.sh up`` and fails (never skips) if that does not help.
- Every test in this directory gets the ``integration`` marker.
- ``client`` is an ApiClient for it as admin (JWT login) that learns the server's version itself.
- ``bash_run`` and ``xcom_run``: a tit_bash and a tit_xcom run, triggered together at session start and
  followed to their end; the runs the suite creates are deleted at its end.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any, AsyncIterator, Dict, Iterator, List, Tuple

import pytest

from titanium_airflow_client import ApiClient, NotFoundException, wait_for_dag_run
from titanium_airflow_client.v2 import DAGApi, DAGPatchBody, DagRunApi, DAGRunResponse, TriggerDAGRunPostBody

from ..integration.conftest import run_async
from ..integration_v2.conftest import ADMIN, Credentials, make_client, server_problem, unique
from ..local_airflow import ensure_local_airflow

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
SCRIPT = REPO_ROOT / "scripts" / "airflow30-local.sh"
PORT = int(os.environ.get("TITANIUM_AIRFLOW30_PORT") or "28380")
BASE_URL = f"http://127.0.0.1:{PORT}"
AIRFLOW_VERSION = "3.0.6"
UP_TIMEOUT = 600.0  # a cold install takes minutes
RUN_TIMEOUT = 300.0  # one run followed to its end on a loaded 2-core machine


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.integration)


def _problem() -> Any:
    # One api-server (no short-JWT one), no triggerer.
    return server_problem(BASE_URL, other_roots=(), components=("metadatabase", "scheduler", "dag_processor"))


@pytest.fixture(scope="session", autouse=True)
def airflow30_server(request: pytest.FixtureRequest) -> str:
    """The root URL of a local Airflow 3.0.6 that answers; started with ``airflow30-local.sh up`` if needed."""
    ensure_local_airflow(
        request,
        problem=_problem,
        script=SCRIPT,
        env={"TITANIUM_AIRFLOW30_PORT": str(PORT)},
        label="compat_v2_30",
        url=BASE_URL,
        up_timeout=UP_TIMEOUT,
    )
    return BASE_URL


def client_30(user: Credentials = ADMIN, **config: Any) -> ApiClient:
    """An ApiClient for the Airflow 3.0 (test/integration_v2's ``make_client``; ``host`` may point elsewhere)."""
    config.setdefault("host", BASE_URL)
    return make_client(user, **config)


@pytest.fixture
async def client(airflow30_server: str) -> AsyncIterator[ApiClient]:
    async with client_30() as api_client:
        yield api_client


def new_run_id(label: str) -> str:
    return unique(f"compat30_{label}")


# --------------------------------------------------------------------------- the runs that execute

_EXECUTED = {"bash_run": "tit_bash", "xcom_run": "tit_xcom"}  # fixture -> DAG, triggered in this order


@pytest.fixture(scope="session")
def created_runs(airflow30_server: str) -> Iterator[List[Tuple[str, str]]]:
    """(dag_id, run_id) of every run the suite creates: deleted when the session ends."""
    created: List[Tuple[str, str]] = []
    yield created

    async def delete_all() -> None:
        async with client_30() as api_client:
            runs, dags = DagRunApi(api_client), DAGApi(api_client)
            for dag_id, run_id in created:
                with contextlib.suppress(NotFoundException):
                    run = await runs.get_dag_run(dag_id, run_id)
                    executing = run.state is not None and run.state.value in ("queued", "running")
                    if executing and not (await dags.get_dag(dag_id)).is_paused:  # not from under the executor
                        await wait_for_dag_run(api_client, dag_id, run_id, poll_interval=1, timeout=RUN_TIMEOUT)
                    await runs.delete_dag_run(dag_id, run_id)

    run_async(delete_all)


@pytest.fixture(scope="session")
def started_runs(created_runs: List[Tuple[str, str]], request: pytest.FixtureRequest) -> Dict[str, Tuple[str, str]]:
    """Triggers, once, every executing run some collected test needs: the executor works while other tests go on."""
    wanted = [name for name in _EXECUTED if any(name in getattr(i, "fixturenames", ()) for i in request.session.items)]

    async def trigger() -> Dict[str, Tuple[str, str]]:
        started: Dict[str, Tuple[str, str]] = {}
        async with client_30() as api_client:
            for name in wanted:
                dag_id = _EXECUTED[name]
                await DAGApi(api_client).patch_dag(dag_id, DAGPatchBody(is_paused=False), update_mask=["is_paused"])
                run_id = new_run_id(name)
                created_runs.append((dag_id, run_id))
                await DagRunApi(api_client).trigger_dag_run(dag_id, TriggerDAGRunPostBody(dag_run_id=run_id))
                started[name] = (dag_id, run_id)
        return started

    return run_async(trigger)


@pytest.fixture(scope="session", autouse=True)
def _start_runs_early(started_runs: Dict[str, Tuple[str, str]]) -> None:
    """Triggers the executing runs before the first test, not when the first test that needs one runs."""


def _finished(started_runs: Dict[str, Tuple[str, str]], name: str) -> DAGRunResponse:
    dag_id, run_id = started_runs[name]

    async def wait() -> DAGRunResponse:
        async with client_30() as api_client:
            final = await wait_for_dag_run(api_client, dag_id, run_id, poll_interval=1, timeout=RUN_TIMEOUT)
            run = final.run
            assert isinstance(run, DAGRunResponse)
            return run

    return run_async(wait)


@pytest.fixture(scope="session")
def bash_run(started_runs: Dict[str, Tuple[str, str]]) -> DAGRunResponse:
    """A tit_bash run (hello >> goodbye) followed to its end (success)."""
    return _finished(started_runs, "bash_run")


@pytest.fixture(scope="session")
def xcom_run(started_runs: Dict[str, Tuple[str, str]]) -> DAGRunResponse:
    """A tit_xcom run followed to its end (success): its task "push" pushed the known XComs."""
    return _finished(started_runs, "xcom_run")
