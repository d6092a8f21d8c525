"""Soak: a service that lists 10,000 DAG runs again and again, making cyclic garbage of its own, keeps a bounded RSS.

Bodies of ``LARGE_BODY_BYTES`` or more are decoded with the GC paused, and then everything the
collector tracks is moved to the oldest generation (``decode_body`` in api_client.py). That must
not starve the application's own collections: over many listings, the RSS of a process that drops
a few MB of reference cycles per listing, some young and some old, must stay within a bound.

The soak runs in a fresh interpreter (``python -m test.unit.test_soak VARIANT ITERATIONS``) that
prints its figures as JSON: pytest's own heap cannot hide growth there, and the deliberately broken
variant, which freezes the GC, cannot disturb the test process. The server is the benchmark's
canned Airflow (bench/canned_server.py), in that same process, on 127.0.0.1.

Nothing here depends on timing: the loop has a fixed number of iterations, the GC's cadence is
driven by allocations only, and RSS is sampled at the same point of each iteration.

RSS growth over the 15 iterations after the warm-up, Python 3.11 on the project's 2-core machine
(the same figures with both cores busy):

- the library as it is, with the generation counts restored after ``unfreeze()``: 11 MB;
- the same without restoring them: 87 MB, 6 MB more at every iteration, and no full collection at
  all: ``gc.freeze()`` zeroes the count of every generation (CPython 3.10 to 3.13), so when fewer
  than ten young collections come between two large bodies, the older generations were never collected;
- large bodies decoded like small ones (``LARGE_BODY_BYTES = None``): 4 MB;
- the GC paused while decoding, without ``freeze()``/``unfreeze()``: 11 MB;
- broken on purpose (the "leak" variant: everything frozen after each listing): 91 MB.
"""

from __future__ import annotations

import asyncio
import gc
import importlib.util
import json
import os
import subprocess
import sys
from collections import deque
from pathlib import Path
from types import ModuleType
from typing import Any, Deque, Dict, List, Optional

from aiohttp import web

from titanium_airflow_client import ApiClient, Configuration, DAGRunApi, api_client

ROOT = Path(__file__).resolve().parents[2]
RUNS = 10_000  # one listing: about 6 MB of JSON, decoded into 10,000 DAGRun models
ITERATIONS = 20
WARM_UP = 5  # iterations before the baseline: the session, caches, the allocator's arenas
CYCLES = 10_000  # reference cycles the application drops at once per iteration, and as many some iterations later
KEPT = 3  # iterations the application keeps a batch of cycles (a cache, open sessions...) before dropping it
PAYLOAD = 200  # bytes each cycle holds: about 6 MB of cyclic garbage per iteration, half of it young
# See the figures above: sound GC handling stays under 15 MB; a leak of the application's cycles
# grows by 6 MB an iteration, about 90 MB over the 15 iterations after the warm-up.
GROWTH_BOUND_MB = 50.0

VARIANTS = {
    "library": "the library as it is",
    "no-gc-handling": "LARGE_BODY_BYTES = None: large bodies decoded like small ones",
    "leak": "broken on purpose: gc.freeze() after every listing, so the application's cycles are never collected",
}


def load_canned_server() -> ModuleType:
    spec = importlib.util.spec_from_file_location("canned_server", ROOT / "bench" / "canned_server.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class Cycle:
    """An application object that refers to itself, as parent/child links, callbacks and caches do."""

    __slots__ = ("payload", "self_reference")

    def __init__(self) -> None:
        self.payload = bytearray(PAYLOAD)
        self.self_reference = self


def application_work(kept: Deque[List[Cycle]]) -> None:
    """Make and drop a few MB of reference cycles, which only the cyclic GC can free.

    Half die at once (young garbage). Half are kept for ``KEPT`` iterations first, long enough to
    reach the oldest generation the ordinary way, so that only a full collection frees them.
    """
    temporary = [Cycle() for _ in range(CYCLES)]
    kept.append([Cycle() for _ in range(CYCLES)])
    if len(kept) > KEPT:
        kept.popleft()
    del temporary


async def soak(variant: str, iterations: int) -> Dict[str, Any]:
    if variant == "no-gc-handling":
        api_client.LARGE_BODY_BYTES = None
    runner = web.AppRunner(load_canned_server().build_app(RUNS), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    rss: List[float] = []
    collections_before = [stats["collections"] for stats in gc.get_stats()]
    try:
        configuration = Configuration(host=f"http://127.0.0.1:{port}/api/v1", username="admin", password="admin")
        async with ApiClient(configuration) as client:
            runs = DAGRunApi(client)
            kept: Deque[List[Cycle]] = deque()
            for _ in range(iterations):
                application_work(kept)
                listing = await runs.get_dag_runs("~", limit=RUNS)
                assert len(listing.dag_runs or ()) == RUNS and listing.total_entries == RUNS
                del listing
                if variant == "leak":
                    gc.freeze()
                rss.append(rss_mb())
    finally:
        await runner.cleanup()
    baseline = rss[WARM_UP - 1]
    collections = [stats["collections"] for stats in gc.get_stats()]
    return {
        "variant": variant,
        "python": sys.version.split()[0],
        "growth_mb": round(max(rss[WARM_UP:]) - baseline, 1),
        "rss_mb": [round(value, 1) for value in rss],
        "collections": [after - before for after, before in zip(collections, collections_before, strict=True)],
    }


def run_soak(variant: str, iterations: int) -> Dict[str, Any]:
    """The soak's figures, measured in a fresh interpreter."""
    completed = subprocess.run(
        [sys.executable, "-m", "test.unit.test_soak", variant, str(iterations)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result: Dict[str, Any] = json.loads(completed.stdout)
    return result


def test_rss_stays_bounded_while_listing_10000_runs_and_making_garbage() -> None:
    result = run_soak("library", ITERATIONS)
    assert result["growth_mb"] <= GROWTH_BOUND_MB, result


def test_the_soak_sees_a_leak_of_the_applications_cycles() -> None:
    """The measurement can fail: when the application's cycles are never collected, it exceeds the bound."""
    result = run_soak("leak", ITERATIONS)
    assert result["growth_mb"] > GROWTH_BOUND_MB, result


def main(argv: Optional[List[str]] = None) -> None:
    variant, iterations = argv if argv is not None else sys.argv[1:]
    if variant not in VARIANTS:
        raise SystemExit(f"the variant is one of: {', '.join(VARIANTS)}")
    print(json.dumps(asyncio.run(soak(variant, int(iterations)))))


if __name__ == "__main__":
    main()
