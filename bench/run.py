"""Benchmark: this client against raw aiohttp + json.loads, measured in one run, as ratios.

    python bench/run.py           # the README's figures (about 20 seconds)
    python bench/run.py --quick   # tiny sizes, a few seconds: proves the benchmark still runs

Machines here are shared and noisy, so the baseline and the client run in many
short rounds, one right after the other (in alternating order), and each ratio
is the median of the per-round ratios: a burst of load from elsewhere, or a slow
drift, then spoils a few pairs, not the figure. Only ratios within one run are
compared. The server (bench/canned_server.py) runs in its own process; CPU is
this process's CPU time only (time.process_time), garbage collection included.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List

import aiohttp

from titanium_airflow_client import ApiClient, Configuration, DAGRunApi, DAGRunCollection, paginate
from titanium_airflow_client.v2 import DagRunApi as V2DagRunApi

HERE = Path(__file__).resolve().parent
DAG_ID = "bench_dag"
RUN_ID = "scheduled__2026-01-01T00:00:00+00:00"
AUTH = {"Authorization": "Basic YWRtaW46YWRtaW4=", "Accept": "application/json"}  # admin:admin

TARGET_CPU_RATIO = 1.15  # issue 10: with the whole API in the package
TARGET_LIST_RATIO = 1.3
TARGET_RSS_MB = 50.0


@dataclass
class Sizes:
    calls: int  # per round, for each of baseline and client
    concurrency: int
    list_runs: int
    paged_runs: int
    rounds: int  # of single calls
    list_rounds: int


# Many short rounds rather than a few long ones. On 240 rounds of 250 calls recorded on the busy
# 2-core machine, the median of 60 paired ratios had a standard error (bootstrap) of 0.026, the
# ratio of the medians of 7 rounds of 2,000 calls 0.044: 40% less noise for about the same calls.
FULL = Sizes(calls=250, concurrency=32, list_runs=10_000, paged_runs=100_000, rounds=60, list_rounds=21)
QUICK = Sizes(calls=64, concurrency=8, list_runs=200, paged_runs=1_000, rounds=3, list_rounds=3)


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def in_parallel(calls: int, concurrency: int, call: Callable[[], Awaitable[Any]]) -> None:
    """``calls`` awaits of ``call()``, ``concurrency`` at a time."""
    remaining = iter(range(calls))

    async def worker() -> None:
        for _ in remaining:
            await call()

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def cpu_seconds(work: Callable[[], Awaitable[Any]]) -> float:
    gc.collect()
    started = time.process_time()
    await work()
    return time.process_time() - started


async def wall_seconds(work: Callable[[], Awaitable[Any]]) -> float:
    gc.collect()
    started = time.perf_counter()
    await work()
    return time.perf_counter() - started


class Bench:
    def __init__(
        self, host: str, sizes: Sizes, session: aiohttp.ClientSession, client: ApiClient, v2_client: ApiClient
    ) -> None:
        self.host = host
        self.sizes = sizes
        self.session = session
        self.runs = DAGRunApi(client)
        self.run_url = f"{host}/dags/{DAG_ID}/dagRuns/scheduled__2026-01-01T00%3A00%3A00%2B00%3A00"
        # v2: the server root as host, a JWT from /auth/token (the client logs in once, in the warm-up).
        self.v2_runs = V2DagRunApi(v2_client)
        root = host.rsplit("/api/v1", 1)[0]
        self.v2_run_url = f"{root}/api/v2/dags/{DAG_ID}/dagRuns/scheduled__2026-01-01T00%3A00%3A00%2B00%3A00"
        self.v2_headers: Dict[str, str] = {}

    async def raw_get_json(self, url: str, headers: Dict[str, str] = AUTH) -> Any:
        async with self.session.get(url, headers=headers) as response:
            response.raise_for_status()
            return json.loads(await response.read())

    async def raw_login(self) -> None:
        root = self.host.rsplit("/api/v1", 1)[0]
        async with self.session.post(f"{root}/auth/token", json={"username": "admin", "password": "admin"}) as r:
            token = (await r.json())["access_token"]
        self.v2_headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    # --- per-request CPU on Airflow 3's API
    async def raw_single_v2(self) -> None:
        calls, concurrency = self.sizes.calls, self.sizes.concurrency
        await in_parallel(calls, concurrency, lambda: self.raw_get_json(self.v2_run_url, self.v2_headers))

    async def client_single_v2(self) -> None:
        calls, concurrency = self.sizes.calls, self.sizes.concurrency
        await in_parallel(calls, concurrency, lambda: self.v2_runs.get_dag_run(DAG_ID, RUN_ID))

    # --- per-request CPU
    async def raw_single(self) -> None:
        await in_parallel(self.sizes.calls, self.sizes.concurrency, lambda: self.raw_get_json(self.run_url))

    async def client_single(self) -> None:
        await in_parallel(self.sizes.calls, self.sizes.concurrency, lambda: self.runs.get_dag_run(DAG_ID, RUN_ID))

    # --- one large typed list
    async def raw_list(self) -> None:
        body = await self.raw_get_json(f"{self.host}/dags/{DAG_ID}/dagRuns?limit={self.sizes.list_runs}&offset=0")
        assert len(body["dag_runs"]) == self.sizes.list_runs

    async def client_list(self) -> None:
        collection = await self.runs.get_dag_runs(DAG_ID, limit=self.sizes.list_runs, offset=0)
        assert isinstance(collection, DAGRunCollection) and len(collection.dag_runs or ()) == self.sizes.list_runs



async def paired_rounds(
    rounds: int, measure: Callable[[Callable[[], Awaitable[Any]]], Awaitable[float]],
    raw: Callable[[], Awaitable[Any]], client: Callable[[], Awaitable[Any]],
) -> Dict[str, List[float]]:
    """``rounds`` measures of each, in pairs: raw then client, then client then raw, and so on."""
    samples: Dict[str, List[float]] = {"raw": [], "client": []}
    pair = [("raw", raw), ("client", client)]
    for round_number in range(rounds):
        for name, work in pair if round_number % 2 == 0 else reversed(pair):
            samples[name].append(await measure(work))
    return samples


def summary(samples: Dict[str, List[float]]) -> Dict[str, Any]:
    """Medians of each side, and the median (and quartiles) of the per-round ratios client/raw."""
    ratios = sorted(client / raw for raw, client in zip(samples["raw"], samples["client"], strict=True))
    quartiles = statistics.quantiles(ratios, n=4, method="inclusive") if len(ratios) > 1 else ratios * 3
    return {
        "raw": statistics.median(samples["raw"]),
        "client": statistics.median(samples["client"]),
        "ratio": statistics.median(ratios),
        "ratio_quartiles": [quartiles[0], quartiles[2]],
    }


async def measure(host: str, sizes: Sizes) -> Dict[str, Any]:
    configuration = Configuration(host=host, username="admin", password="admin")
    v2_configuration = Configuration(host=host.rsplit("/api/v1", 1)[0], username="admin", password="admin")
    async with (
        aiohttp.ClientSession() as session,
        ApiClient(configuration) as client,
        ApiClient(v2_configuration) as v2_client,
    ):
        bench = Bench(host, sizes, session, client, v2_client)
        await bench.raw_login()
        for _ in range(2):  # warm-up: connections, caches, lazy imports, validators, the v2 login
            await bench.raw_single()
            await bench.client_single()
            await bench.raw_single_v2()
            await bench.client_single_v2()
        await bench.raw_list()
        await bench.client_list()
        # Each measure has its own rounds: a 10,000-run listing just before a round of
        # single calls would lend that round its memory churn.
        single = summary(await paired_rounds(sizes.rounds, cpu_seconds, bench.raw_single, bench.client_single))
        single_v2 = summary(
            await paired_rounds(sizes.rounds, cpu_seconds, bench.raw_single_v2, bench.client_single_v2)
        )
        listing = summary(await paired_rounds(sizes.list_rounds, wall_seconds, bench.raw_list, bench.client_list))
    return {
        "sizes": sizes.__dict__,
        "cpu_us_per_call": {"raw": single["raw"] / sizes.calls * 1e6, "client": single["client"] / sizes.calls * 1e6},
        "cpu_ratio": single["ratio"],
        "cpu_ratio_quartiles": single["ratio_quartiles"],
        "v2_cpu_us_per_call": {
            "raw": single_v2["raw"] / sizes.calls * 1e6,
            "client": single_v2["client"] / sizes.calls * 1e6,
        },
        "v2_cpu_ratio": single_v2["ratio"],
        "v2_cpu_ratio_quartiles": single_v2["ratio_quartiles"],
        "list_ms": {"raw": listing["raw"] * 1e3, "client": listing["client"] * 1e3},
        "list_ratio": listing["ratio"],
        "list_ratio_quartiles": listing["ratio_quartiles"],
        "paged_rss_growth_mb": paged_rss_growth_in_fresh_process(host, sizes.paged_runs),
    }


async def paged_rss_growth(host: str, expected: int) -> float:
    """Peak RSS growth (MB) of this process while paging through every run, 100 a page."""
    configuration = Configuration(host=host, username="admin", password="admin")
    async with ApiClient(configuration) as client:
        runs = DAGRunApi(client)
        await runs.get_dag_runs(DAG_ID, limit=100)  # warm-up: session, imports, validators
        gc.collect()
        start = peak = rss_bytes()
        count = 0
        async for _run in paginate(runs.get_dag_runs)(DAG_ID, limit=100):
            count += 1
            if count % 100 == 0:
                peak = max(peak, rss_bytes())
    assert count == expected, count
    return (peak - start) / 2**20


def paged_rss_growth_in_fresh_process(host: str, expected: int) -> float:
    """Memory is measured in a new process, so nothing the other measures freed hides growth."""
    output = subprocess.run(
        [sys.executable, __file__, "--paged-rss", host, str(expected)],
        check=True, capture_output=True, text=True,
    ).stdout
    return float(output.strip())


def start_server(total_runs: int) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, str(HERE / "canned_server.py"), "--runs", str(total_runs)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    port = server.stdout.readline().strip()
    if not port.isdigit():
        server.kill()
        raise SystemExit(f"the canned server did not start (said {port!r})")
    return server, f"http://127.0.0.1:{port}/api/v1"


def report(result: Dict[str, Any]) -> str:
    sizes = result["sizes"]
    verdict = {True: "ok", False: "MISSED"}
    rows = [
        (
            f"CPU per get_dag_run ({sizes['rounds']} × {sizes['calls']:,} calls, {sizes['concurrency']} at a time)",
            f"{result['cpu_us_per_call']['raw']:.0f} µs",
            f"{result['cpu_us_per_call']['client']:.0f} µs",
            "{:.2f}× ({:.2f}–{:.2f})".format(result["cpu_ratio"], *result["cpu_ratio_quartiles"]),
            f"≤ {TARGET_CPU_RATIO}× {verdict[result['cpu_ratio'] <= TARGET_CPU_RATIO]}",
        ),
        (
            "CPU per v2 get_dag_run (Airflow 3's API, JWT)",
            f"{result['v2_cpu_us_per_call']['raw']:.0f} µs",
            f"{result['v2_cpu_us_per_call']['client']:.0f} µs",
            "{:.2f}× ({:.2f}–{:.2f})".format(result["v2_cpu_ratio"], *result["v2_cpu_ratio_quartiles"]),
            f"≤ {TARGET_CPU_RATIO}× {verdict[result['v2_cpu_ratio'] <= TARGET_CPU_RATIO]}",
        ),
        (
            f"wall time of a {sizes['list_runs']:,}-run DAGRunCollection ({sizes['list_rounds']} rounds)",
            f"{result['list_ms']['raw']:.1f} ms",
            f"{result['list_ms']['client']:.1f} ms",
            "{:.2f}× ({:.2f}–{:.2f})".format(result["list_ratio"], *result["list_ratio_quartiles"]),
            f"≤ {TARGET_LIST_RATIO}× {verdict[result['list_ratio'] <= TARGET_LIST_RATIO]}",
        ),
        (
            f"peak RSS growth paging {sizes['paged_runs']:,} runs",
            "",
            f"{result['paged_rss_growth_mb']:.1f} MB",
            "",
            f"≤ {TARGET_RSS_MB:.0f} MB {verdict[result['paged_rss_growth_mb'] <= TARGET_RSS_MB]}",
        ),
    ]
    header = ("measure", "raw aiohttp + json.loads", "this client", "ratio", "target")
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(5)]
    lines = [
        "ratio: median of the per-round ratios client/raw (quartiles in brackets); times: medians of the rounds;"
        " canned server on 127.0.0.1"
    ]
    for row in (header, *rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks the benchmark runs, not speed")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--paged-rss", nargs=2, metavar=("HOST", "RUNS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.paged_rss:  # the child process of paged_rss_growth_in_fresh_process()
        print(asyncio.run(paged_rss_growth(args.paged_rss[0], int(args.paged_rss[1]))))
        return 0
    sizes = QUICK if args.quick else FULL
    server, host = start_server(max(sizes.paged_runs, sizes.list_runs))
    try:
        result = asyncio.run(measure(host, sizes))
    finally:
        server.kill()
        server.wait()
    print(report(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
