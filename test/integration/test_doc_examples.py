"""Every ```python block of README.md and docs/*.md, run as a script against the local Airflow.

One test per block (id ``file:line``), in a subprocess of this interpreter, failing on a
non-zero exit, a timeout or an unclosed-resource warning. Blocks that talk to the server
(they build an ApiClient) run one at a time, in document order, after ``docs_state`` has
prepared what the docs may rely on. Offline blocks (model examples) do not need the server;
they all start in a small process pool when the first example test runs.

Contract with the docs (``docs_state``):
- ``tit_bash`` is unpaused;
- run ``docs_example_run`` of ``tit_bash`` exists and has finished;
- run ``docs_example_delete`` of ``tit_bash`` exists (the delete example removes it);
- run ``docs_example_trigger`` of ``tit_bash`` does not exist (the trigger example creates it);
- ``tit_sandbox_c`` exists (the delete_dag example removes it; its file re-creates it);
- a ``tit_dataset_consumer`` run exists.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import pytest

from titanium_airflow_client import DAGApi, DAGRun, DAGRunApi, NotFoundException, UpdateDagRunState

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

EXAMPLE_TIMEOUT = 180.0
_FENCE_OPEN = re.compile(r"^```python\s*$")
_FENCE_CLOSE = re.compile(r"^```\s*$")


@dataclass(frozen=True)
class Example:
    path: str  # relative to the repository
    line: int  # of the opening fence
    code: str

    @property
    def id(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def uses_server(self) -> bool:
        return "ApiClient" in self.code


def collect_examples() -> List[Example]:
    files = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
    examples = []
    for path in files:
        if not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        start: Optional[int] = None
        for number, line in enumerate(lines, start=1):
            if start is None and _FENCE_OPEN.match(line):
                start = number
            elif start is not None and _FENCE_CLOSE.match(line):
                code = "\n".join(lines[start : number - 1]) + "\n"
                examples.append(Example(str(path.relative_to(REPO_ROOT)), start, code))
                start = None
    return examples


EXAMPLES = collect_examples()


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


async def _prepare_docs_state() -> None:
    async with make_client() as client:
        dags, runs = DAGApi(client), DAGRunApi(client)
        await ensure_paused(dags, "tit_bash", False)

        try:
            run = await runs.get_dag_run("tit_bash", "docs_example_run")
        except NotFoundException:
            run = await runs.post_dag_run("tit_bash", DAGRun(dag_run_id="docs_example_run"))
        if run.state is None or run.state.value not in FINAL_STATES:
            await wait_final(runs, "tit_bash", "docs_example_run")

        try:
            await runs.get_dag_run("tit_bash", "docs_example_delete")
        except NotFoundException:
            await runs.post_dag_run("tit_bash", DAGRun(dag_run_id="docs_example_delete"))
            # Only its existence matters: finish it at once instead of spending the executor on it.
            await runs.update_dag_run_state("tit_bash", "docs_example_delete", UpdateDagRunState(state="success"))

        try:
            trigger = await runs.get_dag_run("tit_bash", "docs_example_trigger")
        except NotFoundException:
            pass
        else:
            if trigger.state is None or trigger.state.value not in FINAL_STATES:
                await wait_final(runs, "tit_bash", "docs_example_trigger")  # never delete under the executor
            await runs.delete_dag_run("tit_bash", "docs_example_trigger")

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
