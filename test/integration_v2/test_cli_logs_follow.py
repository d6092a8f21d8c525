"""``logs --follow --timeout`` against the real Airflow 3.3, run as a user runs it: tit_log_follow's task waits
(test/dags3/tit_log_follow.py) until its release variable exists, so following it with a short ``--timeout``
gives up (exit 3) with the lines so far printed; once released, ``--timeout 600`` follows it to its end (exit 0)."""

from __future__ import annotations

import subprocess

from ..cli_process import lines_until, run_cli, start_cli
from ..cli_waiting import until
from .conftest import ADMIN, BASE_URL, unique

FOLLOW_TIMEOUT = 10  # seconds: what the test waits to give up; the first lines come long before
TO_THE_END = 600  # seconds: the scheduler may be busy with other tests' runs
# The task's prints, as Airflow 3's messages read as text.
WAITING, RELEASED, SUCCEEDS = (f"TITANIUM-FOLLOW {text} source=task.stdout" for text in ("try=1 waiting",
                                                                                      "try=1 released", "try=2"))


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return run_cli(BASE_URL, *args, user=(ADMIN.username, ADMIN.password), timeout=timeout)


def test_follow_gives_up_after_the_timeout_then_follows_to_the_end() -> None:
    run_id = unique("cli_follow_timeout")
    release = f"tit_log_follow_release_{run_id}"
    done = cli("runs", "trigger", "tit_log_follow", "--run-id", run_id, "--unpause")
    assert done.returncode == 0, done.stderr
    try:
        until(lambda: cli("logs", "tit_log_follow", run_id, "follow"),
              lambda done: done.returncode == 0 and WAITING in done.stdout, "try 1 of tit_log_follow waits")

        done = cli("logs", "tit_log_follow", run_id, "follow", "--follow", "--timeout", str(FOLLOW_TIMEOUT),
                   "--poll-interval", "0.5")
        assert done.returncode == 3, done
        assert any(line.endswith(WAITING) for line in done.stdout.splitlines()), done.stdout
        assert done.stderr == (
            f"gave up following after {FOLLOW_TIMEOUT}s: task follow of run {run_id} of DAG tit_log_follow is"
            f" running and goes on; follow it again with: titanium-airflow logs tit_log_follow {run_id} follow"
            " --follow\n"
        )

        # Followed from while try 1 waits, its first line read before the release: so the follow sees try 1 run
        # and goes on into the retry (started after try 1 ended, it would follow the retry alone).
        follow = start_cli(BASE_URL, "logs", "tit_log_follow", run_id, "follow", "--follow", "--timeout",
                           str(TO_THE_END), "--poll-interval", "0.5", user=(ADMIN.username, ADMIN.password))
        try:
            seen = lines_until(follow, lambda line: line.endswith(WAITING))
            done = cli("variables", "set", release, "go")
            assert done.returncode == 0, done.stderr
            rest, err = follow.communicate(timeout=TO_THE_END + 60)
        finally:
            if follow.poll() is None:
                follow.kill()
                follow.communicate()
        assert (follow.returncode, err) == (0, ""), (seen, rest, err)
        assert markers_of("".join(seen) + rest) == [WAITING, RELEASED, SUCCEEDS]

        # A task that is over: followed to its end at once, within the timeout.
        done = cli("logs", "tit_log_follow", run_id, "follow", "--follow", "--timeout", str(TO_THE_END),
                   "--poll-interval", "0.5")
        assert (done.returncode, done.stderr) == (0, ""), done
        assert markers_of(done.stdout) == [SUCCEEDS]  # the latest try's, as without --follow
        assert done.stdout == cli("logs", "tit_log_follow", run_id, "follow").stdout
    finally:
        cli("variables", "delete", release, "--yes")
        cli("runs", "delete", "tit_log_follow", run_id, "--yes")


def markers_of(log: str) -> list[str]:
    """The lines the task printed, without Airflow's prefix."""
    return [line.split(" - ", 1)[1] for line in log.splitlines() if "TITANIUM-FOLLOW try=" in line and " - " in line]
