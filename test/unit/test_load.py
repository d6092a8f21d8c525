"""Many concurrent calls share a bounded pool; cancelled calls give their connections back.

The server runs in this process, so each connection costs two file descriptors here:
the client's and the server's. Client-side descriptors are counted as all open
descriptors minus the server's open connections.
"""

from __future__ import annotations

import asyncio
import os
from typing import AsyncIterator

import pytest

from titanium_airflow_client import DAG, ApiClient, Configuration, DAGApi

from .conftest import DEADLINE, NEVER, wait_until
from .fault_server import Fault, FaultServer, Seen, reply

POOL = 10
SLACK = 5  # the event loop's self-pipe, a resolver thread's descriptor, and the like


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def client_fds(server: FaultServer) -> int:
    """Open descriptors, not counting the server's ends of its connections."""
    return open_fds() - server.open_connections


def answer(seen: Seen) -> Fault:
    if seen.path.endswith("/slow"):
        return reply(200, {"dag_id": "slow"}, delay=NEVER)
    return reply(200, {"dag_id": seen.path.rsplit("/", 1)[1], "is_paused": False, "tags": [{"name": "t"}]})


@pytest.fixture
async def server() -> AsyncIterator[FaultServer]:
    async with FaultServer() as fault_server:
        fault_server.responder = answer
        yield fault_server


async def fds_at_most(count: int, server: FaultServer) -> None:
    """Wait until the client holds at most ``count`` descriptors: closed transports release theirs a
    loop iteration or two later. Fails (after a deadline only a leak reaches) when they stay open."""
    await wait_until(lambda: client_fds(server) <= count, what=f"client descriptors <= {count}")


async def test_3000_concurrent_calls_share_a_pool_of_10(server: FaultServer) -> None:
    configuration = Configuration(host=server.host, username="admin", password="pw", connection_pool_maxsize=POOL)
    before = open_fds()
    async with ApiClient(configuration) as api_client:
        api = DAGApi(api_client)
        dags = await asyncio.gather(*(api.get_dag(f"d{i}") for i in range(3000)))  # any error fails the test
        assert [dag.dag_id for dag in dags] == [f"d{i}" for i in range(3000)]
        assert all(isinstance(dag, DAG) and dag.tags and dag.tags[0].name == "t" for dag in dags)
        assert len(server.requests) == 3000
        assert server.max_open_connections <= POOL
        assert server.connections_total <= POOL  # kept alive and reused, never reopened
        await fds_at_most(before + POOL + SLACK, server)  # at most the pool's idle connections
        second_round = await asyncio.gather(*(api.get_dag(f"e{i}") for i in range(1000)))
        assert len(second_round) == 1000 and server.connections_total <= POOL
    # Closing the client closed every connection, at both ends.
    await wait_until(lambda: open_fds() <= before + SLACK, what=f"open descriptors <= {before + SLACK}")


async def test_cancelled_calls_release_their_connections(server: FaultServer) -> None:
    configuration = Configuration(host=server.host, connection_pool_maxsize=POOL)
    before = client_fds(server)
    async with ApiClient(configuration) as api_client:
        api = DAGApi(api_client)
        calls = [asyncio.ensure_future(api.get_dag("slow")) for _ in range(200)]
        # Midway: POOL calls at the server (which never answers them), the others waiting for a connection.
        await wait_until(lambda: len(server.requests) >= POOL, what=f"{POOL} requests at the server")
        assert len(server.requests) == POOL and server.open_connections == POOL
        for call in calls:
            call.cancel()
        outcomes = await asyncio.gather(*calls, return_exceptions=True)
        assert all(isinstance(outcome, asyncio.CancelledError) for outcome in outcomes)
        await fds_at_most(before + SLACK, server)  # the interrupted connections were closed, not leaked
        # The pool is whole again: a full pool's worth of calls at once, then many more.
        dags = await asyncio.wait_for(asyncio.gather(*(api.get_dag(f"d{i}") for i in range(300))), DEADLINE)
        assert [dag.dag_id for dag in dags] == [f"d{i}" for i in range(300)]
        assert server.max_open_connections <= 2 * POOL  # the closed ones (server side still sleeping) + the new
        await fds_at_most(before + POOL + SLACK, server)
    assert len(server.requests) == POOL + 300
