"""``logs --follow --timeout`` end to end, for the integration suites of both generations (each suite's module
calls it with its ``Server`` of cli_admin_scenarios): tit_log_follow's task (test/dags*/tit_log_follow.py) waits
until its release variable exists, so following it with a short ``--timeout`` gives up (exit 3) with the lines
so far printed; once released, ``--timeout 600`` follows it to its end (exit 0)."""

from __future__ import annotations

from typing import List, Sequence

from .cli_admin_scenarios import Server
from .cli_process import lines_until, start_cli
from .cli_waiting import until

DAG, TASK = "tit_log_follow", "follow"
FOLLOW_TIMEOUT = 10  # seconds: what the test waits to give up; the first lines come long before
TO_THE_END = 600  # seconds: the scheduler may be busy with other tests' runs first


def follow_gives_up_then_follows_to_the_end(server: Server, run_id: str, prints: Sequence[str]) -> None:
    """``prints``: the task's three lines as the log reads them (try 1 waiting, try 1 released, try 2)."""
    waiting, released, succeeds = prints
    release = f"tit_log_follow_release_{run_id}"
    server.ok("runs", "trigger", DAG, "--run-id", run_id, "--unpause")
    try:
        until(lambda: server.cli("logs", DAG, run_id, TASK),
              lambda done: done.returncode == 0 and waiting in done.stdout, "try 1 of tit_log_follow waits")

        done = server.cli("logs", DAG, run_id, TASK, "--follow", "--timeout", str(FOLLOW_TIMEOUT),
                          "--poll-interval", "0.5")
        assert done.returncode == 3, done
        assert any(line.endswith(waiting) for line in done.stdout.splitlines()), done.stdout
        assert done.stderr == (
            f"gave up following after {FOLLOW_TIMEOUT}s: task {TASK} of run {run_id} of DAG {DAG} is running and"
            f" goes on; follow it again with: titanium-airflow logs {DAG} {run_id} {TASK} --follow\n"
        )

        # Followed from while try 1 waits, its first line read before the release: so the follow sees try 1 run
        # and goes on into the retry (started after try 1 ended, it would follow the retry alone).
        follow = start_cli(server.host, "logs", DAG, run_id, TASK, "--follow", "--timeout", str(TO_THE_END),
                           "--poll-interval", "0.5", user=server.admin)
        try:
            seen = lines_until(follow, lambda line: line.endswith(waiting))
            server.ok("variables", "set", release, "go")
            rest, err = follow.communicate(timeout=TO_THE_END + 60)
        finally:
            if follow.poll() is None:
                follow.kill()
                follow.communicate()
        assert (follow.returncode, err) == (0, ""), (seen, rest, err)
        assert markers_of("".join(seen) + rest) == [waiting, released, succeeds]
    finally:
        server.cli("variables", "delete", release, "--yes")

    # A task that is over: followed to its end at once, within the timeout.
    done = server.cli("logs", DAG, run_id, TASK, "--follow", "--timeout", str(TO_THE_END), "--poll-interval", "0.5")
    assert (done.returncode, done.stderr) == (0, ""), done
    assert markers_of(done.stdout) == [succeeds]  # the latest try's, as without --follow
    assert done.stdout == server.cli("logs", DAG, run_id, TASK).stdout


def markers_of(log: str) -> List[str]:
    """The lines the task printed, without Airflow's prefix."""
    return [line.split(" - ", 1)[1] for line in log.splitlines() if "TITANIUM-FOLLOW try=" in line and " - " in line]
