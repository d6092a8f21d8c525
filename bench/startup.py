"""Start-up cost: importing the client against importing its two big dependencies, as ratios.

    python bench/startup.py [--rounds N] [--json FILE]

Each statement runs in a fresh interpreter, the statements interleaved round by round so that a
busy machine slows them alike; the figure is the median over rounds of (statement minus bare
interpreter). Bytecode is written and warmed first, as it is for an installed package.

- ``import titanium_airflow_client``: the package alone; names load on first use.
- ``from titanium_airflow_client import ApiClient, Configuration, DAGRunApi, DAGRun``: what a
  script needs before its first call, including the models that call returns.
- ``import titanium_airflow_client.sync as t; t.ApiClient, t.DAGRunApi``: the same for the blocking facade.
- ``import titanium_airflow_client.v2``, and what a first v2 call needs: the Airflow 3 half, as lazy.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List

BASELINE = "import aiohttp, pydantic"
STATEMENTS = {
    "import titanium_airflow_client": "import titanium_airflow_client",
    "first call ready (async)": "from titanium_airflow_client import ApiClient, Configuration, DAGRunApi, DAGRun",
    "first call ready (blocking)": "import titanium_airflow_client.sync as t; t.ApiClient, t.DAGRunApi, t.DAGRun",
    "import titanium_airflow_client.v2": "import titanium_airflow_client.v2",
    "first call ready (async, v2)": (
        "from titanium_airflow_client import ApiClient, Configuration;"
        " from titanium_airflow_client.v2 import DagRunApi, DAGRunResponse"
    ),
}


def run_once(statement: str, env: Dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True, env=env)
    return time.perf_counter() - start


def measure(rounds: int) -> Dict[str, float]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    statements = {"bare interpreter": "pass", BASELINE: BASELINE, **STATEMENTS}
    for statement in statements.values():  # compile and cache bytecode once
        run_once(statement, env)
    times: Dict[str, List[float]] = {name: [] for name in statements}
    for _ in range(rounds):
        for name, statement in statements.items():
            times[name].append(run_once(statement, env))
    bare = statistics.median(times.pop("bare interpreter"))
    return {name: max(statistics.median(values) - bare, 1e-6) for name, values in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    seconds = measure(args.rounds)
    baseline = seconds[BASELINE]
    print(f"{'start-up (median of ' + str(args.rounds) + ' rounds, interpreter excluded)':60} {'ms':>8} {'ratio':>7}")
    for name, value in seconds.items():
        print(f"{name:60} {value * 1000:8.1f} {value / baseline:6.2f}×")
    if args.json:
        figures = {"ms": {k: v * 1000 for k, v in seconds.items()},
                   "ratio": {k: v / baseline for k, v in seconds.items()}}
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
