"""trigger_and_wait, wait_for_dag_run, watch_dag_run and follow_log (and their blocking twins) against the local
Airflow 2.11: runs of tit_bash and tit_fail followed to their end with their task counts, a queued run that
times out, and logs followed to their end: a finished one, a mapped one, and tit_log_follow's, which grows while
it is read and goes on in a retry."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from typing import List

import pytest

import titanium_airflow_client.sync as sync
from titanium_airflow_client import (
    ApiClient,
    Configuration,
    DAGRun,
    DAGRunApi,
    NotFoundException,
    RunProgress,
    Variable,
    VariableApi,
    WaitTimeoutError,
    follow_log,
    trigger_and_wait,
    wait_for_dag_run,
    watch_dag_run,
)

from .conftest import ADMIN, API_URL, RUN_TIMEOUT, Runs, ensure_paused

pytestmark = pytest.mark.integration

RUN_STATES = {"queued", "running", "success", "failed"}


def check_progression(seen: List[RunProgress], tasks: int) -> None:
    """Each progress differs from the one before, every task instance is counted, time only goes on."""
    assert seen and seen[-1].final and not any(p.final for p in seen[:-1])
    assert all(p.state in RUN_STATES and sum(p.task_counts.values()) == tasks for p in seen)
    assert all((a.state, a.task_counts) != (b.state, b.task_counts) for a, b in itertools.pairwise(seen))
    assert [p.elapsed for p in seen] == sorted(p.elapsed for p in seen)


async def test_trigger_and_wait_follows_tit_bash_to_success(api_client: ApiClient, runs: Runs) -> None:
    dag_run_id = runs.new_id("helpers-bash")
    runs.registry.add("tit_bash", dag_run_id)
    await ensure_paused(runs.dag_api, "tit_bash", False)
    seen: List[RunProgress] = []
    final = await trigger_and_wait(
        api_client,
        "tit_bash",
        dag_run_id=dag_run_id,
        conf={"greeting": "hi"},
        note="trigger_and_wait",
        poll_interval=1,
        timeout=RUN_TIMEOUT,
        on_change=seen.append,
    )
    assert (final.dag_id, final.dag_run_id, final.state, final.task_counts) == (
        "tit_bash",
        dag_run_id,
        "success",
        {"success": 2},
    )
    assert seen[-1] is final and seen[0].state in {"queued", "running"}
    check_progression(seen, tasks=2)
    assert (
        isinstance(final.run, DAGRun) and final.run.conf == {"greeting": "hi"} and final.run.note == "trigger_and_wait"
    )
    assert final.run.end_date is not None
    assert (await DAGRunApi(api_client).get_dag_run("tit_bash", dag_run_id)).state == "success"


async def test_wait_for_dag_run_sees_tit_fail_fail(api_client: ApiClient, runs: Runs) -> None:
    await ensure_paused(runs.dag_api, "tit_fail", False)
    run = await runs.trigger("tit_fail", "helpers-fail")
    assert run.dag_run_id is not None
    states: List[str] = []

    async def record(progress: RunProgress) -> None:
        states.append(progress.state)

    final = await wait_for_dag_run(
        api_client, "tit_fail", run.dag_run_id, poll_interval=1, timeout=RUN_TIMEOUT, on_change=record
    )
    assert (final.state, final.task_counts, final.final) == ("failed", {"failed": 1}, True)
    assert states[-1] == "failed" and set(states) <= RUN_STATES


async def test_watching_a_finished_run_yields_its_end_at_once(api_client: ApiClient, failed_run: DAGRun) -> None:
    assert failed_run.dag_run_id is not None
    seen = [p async for p in watch_dag_run(api_client, "tit_fail", failed_run.dag_run_id)]
    assert [(p.state, p.task_counts) for p in seen] == [("failed", {"failed": 1})]


async def test_a_queued_run_of_a_paused_dag_times_out_and_goes_on(api_client: ApiClient, runs: Runs) -> None:
    queued = await runs.sandbox_run("helpers-timeout")
    assert queued.dag_run_id is not None
    with pytest.raises(WaitTimeoutError) as caught:
        await wait_for_dag_run(api_client, queued.dag_id or "", queued.dag_run_id, poll_interval=0.5, timeout=8)
    assert (caught.value.state, caught.value.dag_run_id, caught.value.timeout) == ("queued", queued.dag_run_id, 8)
    assert f"DAG run tit_sandbox_a/{queued.dag_run_id} after 8 s (its last state was queued)" in str(caught.value)
    assert (await DAGRunApi(api_client).get_dag_run("tit_sandbox_a", queued.dag_run_id)).state == "queued"


async def test_follow_log_of_a_finished_task_gives_its_lines_in_order(api_client: ApiClient, bash_run: DAGRun) -> None:
    dag_run_id = bash_run.dag_run_id
    assert dag_run_id is not None
    lines = [line async for line in follow_log(api_client, "tit_bash", dag_run_id, "hello", poll_interval=0.5)]
    markers = [
        "Starting attempt 1 of 1",
        "Running command: ['/usr/bin/bash', '-c', 'echo \"hello from " + dag_run_id + "\"']",
        "Output:",
        "INFO - hello from " + dag_run_id,
        "Command exited with return code 0",
        "Marking task as SUCCESS",
        "Task exited with return code 0",
    ]
    found = [next(i for i, line in enumerate(lines) if marker in line) for marker in markers]
    assert found == sorted(found), lines
    assert not any("\n" in line for line in lines)
    assert lines[0] == " INFO - ::group::Log message source details"

    def blocking() -> List[str]:
        with sync.ApiClient(api_client.configuration) as client:
            return list(sync.follow_log(client, "tit_bash", dag_run_id, "hello", poll_interval=0.5))

    assert await asyncio.to_thread(blocking) == lines


async def test_follow_log_of_a_mapped_task_instance(api_client: ApiClient, mapped_run: DAGRun) -> None:
    assert mapped_run.dag_run_id is not None
    lines = [line async for line in follow_log(api_client, "tit_mapped", mapped_run.dag_run_id, "square", map_index=1)]
    assert next(line for line in lines if "TITANIUM-MAPPED" in line).endswith("INFO - TITANIUM-MAPPED x=2")


async def test_follow_log_reads_a_log_while_it_grows_and_goes_on_into_the_retry(
    api_client: ApiClient, runs: Runs
) -> None:
    await ensure_paused(runs.dag_api, "tit_log_follow", False)
    run = await runs.trigger("tit_log_follow", "helpers-follow")
    assert run.dag_run_id is not None
    release = "tit_log_follow_release_" + run.dag_run_id
    variables = VariableApi(api_client)
    markers: List[str] = []
    try:
        async for line in follow_log(
            api_client, "tit_log_follow", run.dag_run_id, "follow", poll_interval=0.5, timeout=RUN_TIMEOUT
        ):
            if "TITANIUM-FOLLOW" in line and "fails on purpose" not in line:
                markers.append(line.split(" - ", 1)[1])
            if line.endswith("TITANIUM-FOLLOW try=1 waiting"):
                # Read while try 1 is still running: it goes on only once this variable exists.
                await variables.post_variables(Variable(key=release, value="go"))
    finally:
        with contextlib.suppress(NotFoundException):
            await variables.delete_variable(release)
    assert markers == ["TITANIUM-FOLLOW try=1 waiting", "TITANIUM-FOLLOW try=1 released", "TITANIUM-FOLLOW try=2"]
    final = await wait_for_dag_run(api_client, "tit_log_follow", run.dag_run_id, poll_interval=1, timeout=RUN_TIMEOUT)
    assert (final.state, final.task_counts) == ("success", {"success": 1})


async def test_blocking_trigger_and_wait(runs: Runs) -> None:
    dag_run_id = runs.new_id("helpers-sync")
    runs.registry.add("tit_bash", dag_run_id)
    await ensure_paused(runs.dag_api, "tit_bash", False)
    states: List[str] = []

    def blocking() -> RunProgress:
        configuration = Configuration(host=API_URL, username=ADMIN[0], password=ADMIN[1])
        with sync.ApiClient(configuration) as client:
            return sync.trigger_and_wait(
                client,
                "tit_bash",
                dag_run_id=dag_run_id,
                poll_interval=1,
                timeout=RUN_TIMEOUT,
                on_change=lambda progress: states.append(progress.state),
            )

    final = await asyncio.to_thread(blocking)
    assert (final.state, final.task_counts, states[-1]) == ("success", {"success": 2}, "success")
