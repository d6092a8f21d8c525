"""Every ```python block of README.md and docs/*.md for Airflow 2, run as a script against the local Airflow.

One test per block (id ``file:line``), in a subprocess of this interpreter, failing on a
non-zero exit, a timeout or an unclosed-resource warning. Blocks that talk to the server
(they build an ApiClient) run one at a time, in document order, after ``docs_state`` has
prepared what the docs may rely on. Offline blocks (model examples) do not need the server;
they all start in a small process pool when the first example test runs.

Contract with the docs (``docs_state``), declared in spec/v1-samples.yaml (``state``), where the
examples' values are too (the generator checks that every ``docs_example_*`` name they use is declared):
- each DAG run of ``state.dag_runs`` exists, its DAG unpaused; ``finished`` ones have run to their end;
- the runs of ``state.absent_dag_runs`` do not exist (post_dag_run's example creates one);
- each variable, pool, connection, role and user ``present`` there exists as declared (re-created,
  so what the patch examples changed is undone), and the ``absent`` ones do not exist (the post
  examples create them; the delete examples remove the ``_delete`` ones);
- ``tit_sandbox_c`` exists (the delete_dag example removes it; its file re-creates it);
- a ``tit_dataset_consumer`` run exists.
The seeded ``tit_variable``, ``tit_pool`` and ``tit_connection`` are only read.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Iterator, Optional

import pytest

from titanium_airflow_client import (
    ApiClient,
    ConnectionApi,
    DAGApi,
    DAGRun,
    DAGRunApi,
    NotFoundException,
    PoolApi,
    RoleApi,
    UpdateDagRunState,
    UserApi,
    VariableApi,
)

from ..doc_examples import Example, collect_examples
from .conftest import (
    DELETE_DAG,
    FINAL_STATES,
    PORT,
    REPO_ROOT,
    DatasetRuns,
    ensure_paused,
    make_client,
    run_async,
    wait_dag,
    wait_final,
)

sys.path.insert(0, str(REPO_ROOT / "scripts"))  # the sample values the docs examples use
from codegen.samples import DagRunState, load_samples  # scripts/ holds the generator, not a package

STATE = load_samples().state
EXAMPLE_TIMEOUT = 180.0
EXAMPLES = collect_examples("v1")  # Airflow 3's run in test/integration_v2/test_doc_examples.py


def run_example(example: Example) -> subprocess.CompletedProcess[str]:
    # The docs name the default port; follow TITANIUM_AIRFLOW_PORT when it differs.
    code = example.code.replace("127.0.0.1:28080", f"127.0.0.1:{PORT}")
    with tempfile.TemporaryDirectory(prefix="doc-example-") as tmp:
        script = Path(tmp) / "example.py"
        script.write_text(code, encoding="utf-8")
        return subprocess.run(
            [sys.executable, "-W", "default::ResourceWarning", str(script)],
            cwd=tmp,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            capture_output=True,
            text=True,
            timeout=EXAMPLE_TIMEOUT,
            check=False,
        )


def check(example: Example, outcome: subprocess.CompletedProcess[str]) -> None:
    report = f"{example.id} exited {outcome.returncode}\n--- stdout\n{outcome.stdout}\n--- stderr\n{outcome.stderr}"
    assert outcome.returncode == 0, report
    assert "Unclosed" not in outcome.stderr and "ResourceWarning" not in outcome.stderr, report


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def offline_outcomes() -> Iterator[Dict[str, Future[subprocess.CompletedProcess[str]]]]:
    """The offline examples, started at once in a small pool; each test waits for its own."""
    pool = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2), thread_name_prefix="doc-example")
    futures = {example.id: pool.submit(run_example, example) for example in EXAMPLES if not example.uses_server}
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


async def _ensure_run(runs: DAGRunApi, dags: DAGApi, run: DagRunState) -> None:
    await ensure_paused(dags, run.dag_id, False)
    try:
        found = await runs.get_dag_run(run.dag_id, run.dag_run_id)
    except NotFoundException:
        found = await runs.post_dag_run(run.dag_id, DAGRun(dag_run_id=run.dag_run_id))
        if not run.finished:
            # Only its existence matters: finish it at once instead of spending the executor on it.
            await runs.update_dag_run_state(run.dag_id, run.dag_run_id, UpdateDagRunState(state="success"))
            return
    if run.finished and (found.state is None or found.state.value not in FINAL_STATES):
        await wait_final(runs, run.dag_id, run.dag_run_id)


async def _remove_run(runs: DAGRunApi, run: DagRunState) -> None:
    try:
        found = await runs.get_dag_run(run.dag_id, run.dag_run_id)
    except NotFoundException:
        return
    if found.state is None or found.state.value not in FINAL_STATES:
        await wait_final(runs, run.dag_id, run.dag_run_id)  # never delete under the executor
    await runs.delete_dag_run(run.dag_id, run.dag_run_id)


# Kind of object → (API class, body field naming it, create method, delete method).
_OBJECTS: Dict[str, tuple[Callable[[ApiClient], Any], str, str, str]] = {
    "variables": (VariableApi, "key", "post_variables", "delete_variable"),
    "pools": (PoolApi, "name", "post_pool", "delete_pool"),
    "connections": (ConnectionApi, "connection_id", "post_connection", "delete_connection"),
    "roles": (RoleApi, "name", "post_role", "delete_role"),
    "users": (UserApi, "username", "post_user", "delete_user"),
}


async def _reset_objects(client: ApiClient) -> None:
    """Re-create the ``present`` objects as declared (undoing the patch examples), delete the ``absent`` ones."""
    for kind, (api_class, key, create, delete) in _OBJECTS.items():
        api = api_class(client)
        objects = STATE.objects[kind]
        remove: Callable[[str], Awaitable[None]] = getattr(api, delete)
        for name in [*(body[key] for body in objects.present), *objects.absent]:
            with contextlib.suppress(NotFoundException):
                await remove(name)
        for body in objects.present:
            await getattr(api, create)(body)


async def _prepare_docs_state() -> None:
    async with make_client() as client:
        dags, runs = DAGApi(client), DAGRunApi(client)
        for run in STATE.dag_runs:
            await _ensure_run(runs, dags, run)
        for run in STATE.absent_dag_runs:
            await _remove_run(runs, run)
        await _reset_objects(client)
        await wait_dag(dags, DELETE_DAG)


async def _wait_sandbox_c() -> None:
    async with make_client() as client:
        await wait_dag(DAGApi(client), DELETE_DAG)


@pytest.fixture(scope="session")
def docs_state(dataset_runs: DatasetRuns) -> Iterator[None]:
    """The server state the docs' examples rely on (see the module docstring)."""
    assert dataset_runs.consumer.dag_run_id  # a tit_dataset_consumer run exists
    run_async(_prepare_docs_state)
    yield
    # The delete_dag example removed tit_sandbox_c: leave only once its file has re-created it.
    run_async(_wait_sandbox_c)


# --------------------------------------------------------------------------- the tests


@pytest.mark.parametrize(
    "example",
    EXAMPLES or [None],
    ids=[example.id for example in EXAMPLES] or ["no-examples-found"],
)
def test_doc_example(
    example: Optional[Example],
    offline_outcomes: Dict[str, Future[subprocess.CompletedProcess[str]]],
    docs_state: None,
) -> None:
    if example is None:
        pytest.fail("no ```python blocks found in README.md or docs/*.md", pytrace=False)
    try:
        outcome = run_example(example) if example.uses_server else offline_outcomes[example.id].result()
    except subprocess.TimeoutExpired:
        pytest.fail(f"{example.id} did not finish within {EXAMPLE_TIMEOUT:.0f}s", pytrace=False)
    check(example, outcome)
