"""Start-up cost: importing the client, and running its command line, against importing its two big
dependencies, as ratios; and the command line's instant answers in wall time.

    python bench/startup.py [--rounds N] [--json FILE]

Each statement and command runs in a fresh interpreter, all of them interleaved round by round so that a
busy machine slows them alike; the figure is the median over rounds of (its time minus the bare
interpreter's). Bytecode is written and warmed first, as it is for an installed package. The CPU time of
each process (user and system) is reported beside: on a saturated machine the wall time is mostly the wait
for a CPU, and the CPU ratio is then the one to read.

- ``from pydantic import BaseModel, Field`` with aiohttp: the floor of anything that decodes into pydantic
  models (``import pydantic`` alone loads none of the model machinery).
- ``import titanium_airflow_client``: the package alone; names load on first use.
- ``from titanium_airflow_client import ApiClient, Configuration, DAGRunApi, DAGRun``: what a
  script needs before its first call, including the models that call returns.
- ``import titanium_airflow_client.sync as t; t.ApiClient, t.DAGRunApi``: the same for the blocking facade.
- ``import titanium_airflow_client.v2``, and what a first v2 call needs: the Airflow 3 half, as lazy.
- one call through the blocking facade, v1 and v2 (Airflow 3's: a JWT login, then the call), to the
  canned server, its answer printed: what a command costs but for the command line's own parsing and
  printing (the command line talks to Airflow 3 through ``titanium_airflow_client.v2.sync``).
- ``titanium-airflow --version`` and ``--help``: answered before the library is imported; their
  target is wall time, the interpreter's start included (≤ 150 ms).
- ``titanium-airflow runs get``: a whole command, one call to the canned server of bench/canned_server.py
  (its own process, started once), printed as a table: its target is a ratio of CPU time (at most 1.3 times).
- the same command through ``cli.main()``, which leaves the garbage collector on during start-up (the
  console script pauses it): what that pause saves.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

BASELINE = "import aiohttp, pydantic"
STATEMENTS = {
    # ``import pydantic`` is lazy: a model class needs its model machinery too, which no client can avoid.
    "floor: aiohttp and pydantic's BaseModel": "import aiohttp; from pydantic import BaseModel, Field",
    "import titanium_airflow_client": "import titanium_airflow_client",
    "first call ready (async)": "from titanium_airflow_client import ApiClient, Configuration, DAGRunApi, DAGRun",
    "first call ready (blocking)": "import titanium_airflow_client.sync as t; t.ApiClient, t.DAGRunApi, t.DAGRun",
    "import titanium_airflow_client.v2": "import titanium_airflow_client.v2",
    "first call ready (async, v2)": (
        "from titanium_airflow_client import ApiClient, Configuration;"
        " from titanium_airflow_client.v2 import DagRunApi, DAGRunResponse"
    ),
}
SCRIPT = str(Path(sys.executable).parent / "titanium-airflow")
RUN_ID = "scheduled__2026-01-01T00:00:00+00:00"  # the canned server's one run
# One call to the canned server (TITANIUM_AIRFLOW_HOST: its /api/v1 URL) through a blocking facade.
ONE_CALL = (
    "import os, titanium_airflow_client{package}.sync as t\n"
    "config = t.Configuration(host=os.environ['TITANIUM_AIRFLOW_HOST']{root}, username='admin', password='admin')\n"
    "with t.ApiClient(config) as client:\n"
    f"    print(t.{{api}}(client).get_dag_run('bench_dag', {RUN_ID!r}))\n"
)
CALLS = {
    "one call, blocking (v1)": ONE_CALL.format(package="", root="", api="DAGRunApi"),
    "one call, blocking (v2)": ONE_CALL.format(package=".v2", root=".removesuffix('/api/v1')", api="DagRunApi"),
}
# What the console script runs, but for its pause of the garbage collector during start-up.
COLLECTOR_LEFT_ON = (
    "import sys; from titanium_airflow_client.cli import main;"
    f" sys.exit(main(['runs', 'get', 'bench_dag', {RUN_ID!r}]))"
)
WALL_TARGET = 0.150  # seconds, the interpreter's start included
RATIO_TARGET = 1.3
HERE = Path(__file__).resolve().parent


def run_once(argv: Sequence[str], env: Dict[str, str]) -> Tuple[float, float]:
    """Wall time and CPU time (user and system) of one process."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def start_canned_server() -> Tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, str(HERE / "canned_server.py"), "--runs", "1"], stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None
    port = server.stdout.readline().strip()
    if not port.isdigit():
        server.kill()
        raise SystemExit(f"the canned server did not start (it said {port!r})")
    return server, f"http://127.0.0.1:{port}/api/v1"


def measure(rounds: int, host: str) -> Tuple[Dict[str, float], Dict[str, float], Dict[str, float]]:
    """Per row: the median time minus the bare interpreter's, the median wall time, and the median CPU
    time minus the bare interpreter's."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update(TITANIUM_AIRFLOW_HOST=host, TITANIUM_AIRFLOW_USERNAME="admin", TITANIUM_AIRFLOW_PASSWORD="admin")
    commands: Dict[str, List[str]] = {
        "bare interpreter": [sys.executable, "-c", "pass"],
        BASELINE: [sys.executable, "-c", BASELINE],
        **{name: [sys.executable, "-c", statement] for name, statement in STATEMENTS.items()},
        **{name: [sys.executable, "-c", script] for name, script in CALLS.items()},
        "titanium-airflow --version": [SCRIPT, "--version"],
        "titanium-airflow --help": [SCRIPT, "--help"],
        "titanium-airflow runs get (one call)": [SCRIPT, "runs", "get", "bench_dag", RUN_ID],
        "the same through cli.main(), collector left on": [sys.executable, "-c", COLLECTOR_LEFT_ON],
    }
    for argv in commands.values():  # compile and cache bytecode once
        run_once(argv, env)
    times: Dict[str, List[float]] = {name: [] for name in commands}
    cpu_times: Dict[str, List[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, argv in commands.items():
            wall_time, cpu_time = run_once(argv, env)
            times[name].append(wall_time)
            cpu_times[name].append(cpu_time)
    wall = {name: statistics.median(values) for name, values in times.items()}
    cpu = {name: statistics.median(values) for name, values in cpu_times.items()}
    bare, bare_cpu = wall.pop("bare interpreter"), cpu.pop("bare interpreter")
    return (
        {name: max(value - bare, 1e-6) for name, value in wall.items()},
        wall,
        {name: max(value - bare_cpu, 1e-6) for name, value in cpu.items()},
    )


def target(name: str, cpu_ratio: float, wall: float) -> Optional[str]:
    """The verdict on a row with a target. A ratio is judged on CPU time: the wall time of a busy machine
    is mostly the wait for a CPU, which is not the command's cost."""
    if name.startswith("titanium-airflow --"):
        return f"wall ≤ {WALL_TARGET * 1000:.0f} ms: {'ok' if wall <= WALL_TARGET else 'OVER'}"
    if name.startswith("titanium-airflow "):
        return f"CPU ≤ {RATIO_TARGET}×: {'ok' if cpu_ratio <= RATIO_TARGET else 'OVER'}"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    server, host = start_canned_server()
    try:
        seconds, wall, cpu = measure(args.rounds, host)
    finally:
        server.kill()
        server.wait()
    baseline, cpu_baseline = seconds[BASELINE], cpu[BASELINE]
    title = f"start-up (median of {args.rounds} rounds, interpreter excluded)"
    print(f"{title:60} {'ms':>8} {'ratio':>7} {'wall ms':>8} {'CPU ms':>8} {'ratio':>7}  target")
    for name, value in seconds.items():
        ratio, cpu_ratio = value / baseline, cpu[name] / cpu_baseline
        verdict = target(name, cpu_ratio, wall[name]) or ""
        print(
            f"{name:60} {value * 1000:8.1f} {ratio:6.2f}× {wall[name] * 1000:8.1f}"
            f" {cpu[name] * 1000:8.1f} {cpu_ratio:6.2f}×  {verdict}"
        )
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if args.json:
        figures = {"ms": {k: v * 1000 for k, v in seconds.items()},
                   "ratio": {k: v / baseline for k, v in seconds.items()},
                   "wall_ms": {k: v * 1000 for k, v in wall.items()},
                   "cpu_ms": {k: v * 1000 for k, v in cpu.items()},
                   "cpu_ratio": {k: v / cpu_baseline for k, v in cpu.items()}}
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
