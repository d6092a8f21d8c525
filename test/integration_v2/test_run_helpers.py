"""trigger_and_wait, wait_for_dag_run, watch_dag_run and follow_log (and their blocking twins) against the local
Airflow 3.3, which they reach through its v2 API (the host is the server's root): runs of tit_bash and tit_fail
followed to their end along the wait stream with their task counts, a queued run that times out, and logs
followed to their end: a finished one, a failed one (its exception's frames), and tit_log_follow's, which grows
while it is read and goes on in a retry."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from typing import AsyncIterator, List

import pytest

import titanium_airflow_client.v2.sync as sync_v2
from titanium_airflow_client import ApiClient, NotFoundException
from titanium_airflow_client.v2 import (
    DagRunApi,
    DAGRunResponse,
    RunProgress,
    TriggerDAGRunPostBody,
    VariableApi,
    VariableBody,
    WaitTimeoutError,
    follow_log,
    trigger_and_wait,
    wait_for_dag_run,
    watch_dag_run,
)

from .test_dag_run_api import DEADLINE, run_id
from .test_task_instance_api import triggered

pytestmark = pytest.mark.integration

RUN_STATES = {"queued", "running", "success", "failed"}


def check_progression(seen: List[RunProgress], tasks: int) -> None:
    """Each progress differs from the one before, every task instance is counted, time only goes on."""
    assert seen and seen[-1].final and not any(p.final for p in seen[:-1])
    assert all(p.state in RUN_STATES and sum(p.task_counts.values()) == tasks for p in seen)
    assert all((a.state, a.task_counts) != (b.state, b.task_counts) for a, b in itertools.pairwise(seen))
    assert [p.elapsed for p in seen] == sorted(p.elapsed for p in seen)


@contextlib.asynccontextmanager
async def deleted_afterwards(client: ApiClient, dag_id: str, dag_run_id: str) -> AsyncIterator[str]:
    try:
        yield dag_run_id
    finally:
        with contextlib.suppress(NotFoundException):
            await DagRunApi(client).delete_dag_run(dag_id, dag_run_id)


async def test_trigger_and_wait_follows_tit_bash_to_success(v2_client: ApiClient) -> None:
    async with deleted_afterwards(v2_client, "tit_bash", run_id("helpers_bash")) as dag_run_id:
        seen: List[RunProgress] = []
        final = await trigger_and_wait(
            v2_client,
            "tit_bash",
            dag_run_id=dag_run_id,
            conf={"greeting": "hi"},
            note="trigger_and_wait",
            poll_interval=0.5,
            timeout=DEADLINE,
            on_change=seen.append,
        )
        assert (final.dag_id, final.dag_run_id, final.state, final.task_counts) == (
            "tit_bash",
            dag_run_id,
            "success",
            {"success": 2},
        )
        assert seen[-1] is final
        check_progression(seen, tasks=2)
        assert isinstance(final.run, DAGRunResponse) and final.run.state == "success"
        assert (final.run.conf, final.run.note, final.run.logical_date) == (
            {"greeting": "hi"},
            "trigger_and_wait",
            None,
        )
        assert final.run.end_date is not None


async def test_wait_for_dag_run_sees_tit_fail_fail_and_blocking_watch_its_end(v2_client: ApiClient) -> None:
    async with triggered(v2_client, "tit_fail", wait=False) as dag_run_id:
        states: List[str] = []

        async def record(progress: RunProgress) -> None:
            states.append(progress.state)

        final = await wait_for_dag_run(
            v2_client, "tit_fail", dag_run_id, poll_interval=0.5, timeout=DEADLINE, on_change=record
        )
        assert (final.state, final.task_counts, final.final) == ("failed", {"failed": 1}, True)
        assert states[-1] == "failed" and set(states) <= RUN_STATES
        assert [(p.state, p.task_counts) async for p in watch_dag_run(v2_client, "tit_fail", dag_run_id)] == [
            ("failed", {"failed": 1})
        ]

        lines = [line async for line in follow_log(v2_client, "tit_fail", dag_run_id, "fail", poll_interval=0.5)]
        failing = ["INFO - failing source=airflow.task.hooks", "ERROR - Task failed with exception source=task"]
        found = [next(i for i, line in enumerate(lines) if marker in line) for marker in failing]
        assert found == sorted(found), lines
        assert lines[found[1] + 1].startswith("AirflowException: Bash command failed."), lines  # its frames follow
        assert lines[found[1] + 2].startswith('    File "'), lines

        def blocking() -> List[str]:
            with sync_v2.ApiClient(v2_client.configuration) as client:
                watched = [p.state for p in sync_v2.watch_dag_run(client, "tit_fail", dag_run_id)]
                final = sync_v2.wait_for_dag_run(client, "tit_fail", dag_run_id, on_change=lambda p: None)
                assert watched == [final.state] == ["failed"]
                return list(sync_v2.follow_log(client, "tit_fail", dag_run_id, "fail", poll_interval=0.5))

        assert await asyncio.to_thread(blocking) == lines


async def test_a_queued_run_of_a_paused_dag_times_out_and_goes_on(v2_client: ApiClient) -> None:
    async with triggered(v2_client, "tit_sandbox_a", wait=False) as dag_run_id:
        with pytest.raises(WaitTimeoutError) as caught:
            await wait_for_dag_run(v2_client, "tit_sandbox_a", dag_run_id, poll_interval=0.5, timeout=8)
        assert (caught.value.state, caught.value.dag_run_id, caught.value.timeout) == ("queued", dag_run_id, 8)
        assert f"DAG run tit_sandbox_a/{dag_run_id} after 8 s (its last state was queued)" in str(caught.value)
        assert (await DagRunApi(v2_client).get_dag_run("tit_sandbox_a", dag_run_id)).state == "queued"


async def test_follow_log_of_a_finished_task_gives_its_lines_in_order(v2_client: ApiClient) -> None:
    async with triggered(v2_client, "tit_bash") as dag_run_id:
        lines = [line async for line in follow_log(v2_client, "tit_bash", dag_run_id, "hello", poll_interval=0.5)]
        assert lines[0] == "::group::Log message source details"
        assert lines.count("::group::Log message source details") == 1
        markers = [
            "INFO - ::group::Pre Execute source=task",
            "INFO - Running command: ['/usr/bin/bash', '-c', 'echo \"hello from " + dag_run_id + "\"'] source=",
            "INFO - Output: source=",
            "INFO - hello from " + dag_run_id + " source=",
            "INFO - Command exited with return code 0 source=",
        ]
        found = [next(i for i, line in enumerate(lines) if marker in line) for marker in markers]
        assert found == sorted(found), lines
        structured = [line for line in lines if line.startswith("[")]
        assert structured and all(line[:2] == "[2" and "Z] " in line[:30] for line in structured)
        assert not any("ti_id=" in line or "\n" in line for line in lines)


async def test_follow_log_reads_a_log_while_it_grows_and_goes_on_into_the_retry(v2_client: ApiClient) -> None:
    runs, variables = DagRunApi(v2_client), VariableApi(v2_client)
    async with deleted_afterwards(v2_client, "tit_log_follow", run_id("helpers_follow")) as dag_run_id:
        await runs.trigger_dag_run("tit_log_follow", TriggerDAGRunPostBody(dag_run_id=dag_run_id))
        release = "tit_log_follow_release_" + dag_run_id
        markers: List[str] = []
        try:
            async for line in follow_log(
                v2_client, "tit_log_follow", dag_run_id, "follow", poll_interval=0.5, timeout=DEADLINE
            ):
                if "TITANIUM-FOLLOW try=" in line:
                    markers.append(line.split(" - ", 1)[1])
                if "INFO - TITANIUM-FOLLOW try=1 waiting " in line:
                    # Read while try 1 is still running: it goes on only once this variable exists.
                    await variables.post_variable(VariableBody(key=release, value="go"))
        finally:
            with contextlib.suppress(NotFoundException):
                await variables.delete_variable(release)
        assert markers == [
            "TITANIUM-FOLLOW try=1 waiting source=task.stdout",
            "TITANIUM-FOLLOW try=1 released source=task.stdout",
            "TITANIUM-FOLLOW try=2 source=task.stdout",
        ]
        final = await wait_for_dag_run(v2_client, "tit_log_follow", dag_run_id, poll_interval=0.5, timeout=DEADLINE)
        assert (final.state, final.task_counts) == ("success", {"success": 1})
