"""paginate(): every item of a paginated endpoint, against a local server that pages like Airflow."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List

import pytest

from titanium_airflow_client import (
    ApiClient,
    ApiTypeError,
    ApiValueError,
    DAGApi,
    DAGRun,
    DAGRunApi,
    ListDagRunsForm,
    paginate,
)

from .conftest import NEVER, FakeAirflow, Recorded, Reply, wait_until


def serve_runs(fake: FakeAirflow, total: int, cap: int = 100) -> None:
    """Answer DAG-run (and DAG) listings like Airflow: limit capped at `cap`, offset, total_entries."""

    def respond(request: Recorded) -> Reply:
        if request.method == "POST":
            form = request.json()
            offset, limit = form.get("page_offset", 0), form.get("page_limit", 100)
        else:
            query = dict(request.query)
            offset, limit = int(query.get("offset", 0)), int(query.get("limit", 100))
        indexes = range(offset, min(total, offset + min(limit, cap)))
        if request.path.endswith("/dags"):
            body = {"dags": [{"dag_id": f"d{i:05d}"} for i in indexes], "total_entries": total}
        else:
            body = {"dag_runs": [{"dag_id": "d", "dag_run_id": f"r{i:05d}"} for i in indexes], "total_entries": total}
        return Reply(body=json.dumps(body).encode())

    fake.responder = respond


def offsets(fake: FakeAirflow) -> List[int]:
    return sorted(int(dict(r.query).get("offset", 0)) for r in fake.requests)


async def test_all_runs_in_order_with_filters_on_every_page(fake_airflow: FakeAirflow, api_client: ApiClient) -> None:
    serve_runs(fake_airflow, total=250)
    runs = DAGRunApi(api_client)
    seen = [run async for run in paginate(runs.get_dag_runs)("~", state=["success"], order_by="id")]
    assert [run.dag_run_id for run in seen] == [f"r{i:05d}" for i in range(250)]
    assert all(isinstance(run, DAGRun) for run in seen)
    assert offsets(fake_airflow) == [0, 100, 200]
    for request in fake_airflow.requests:
        assert request.path == "/api/v1/dags/~/dagRuns"
        assert ("state", "success") in request.query and ("order_by", "id") in request.query
        assert ("limit", "100") in request.query


async def test_page_size_and_start_offset_come_from_limit_and_offset(
    fake_airflow: FakeAirflow, api_client: ApiClient
) -> None:
    serve_runs(fake_airflow, total=50)
    ids = [run.dag_run_id async for run in paginate(DAGRunApi(api_client).get_dag_runs)("d", limit=20, offset=5)]
    assert ids == [f"r{i:05d}" for i in range(5, 50)]
    assert offsets(fake_airflow) == [5, 25, 45]


async def test_server_cap_on_page_size_is_followed(fake_airflow: FakeAirflow, api_client: ApiClient) -> None:
    serve_runs(fake_airflow, total=230, cap=100)
    ids = [run.dag_run_id async for run in paginate(DAGRunApi(api_client).get_dag_runs, prefetch=0)("d", limit=500)]
    assert len(ids) == 230 and len(set(ids)) == 230
    assert offsets(fake_airflow) == [0, 100, 200]


async def test_prefetch_requests_next_pages_while_consuming(fake_airflow: FakeAirflow, api_client: ApiClient) -> None:
    serve_runs(fake_airflow, total=1000)
    iterator = paginate(DAGRunApi(api_client).get_dag_runs, prefetch=2)("d")
    first = await iterator.__anext__()
    assert first.dag_run_id == "r00000"
    await wait_until(lambda: len(fake_airflow.requests) >= 3)  # the prefetched requests reach the server
    assert offsets(fake_airflow) == [0, 100, 200]
    await iterator.aclose()  # type: ignore[attr-defined]


async def test_without_prefetch_pages_are_fetched_one_at_a_time(
    fake_airflow: FakeAirflow, api_client: ApiClient
) -> None:
    serve_runs(fake_airflow, total=1000)
    iterator = paginate(DAGRunApi(api_client).get_dag_runs, prefetch=0)("d")
    for _ in range(100):
        await iterator.__anext__()
    await asyncio.sleep(0.05)  # not a synchronisation: a chance for a wrongly prefetched request to show up
    assert len(fake_airflow.requests) == 1
    await iterator.__anext__()
    assert len(fake_airflow.requests) == 2
    await iterator.aclose()  # type: ignore[attr-defined]


async def test_breaking_out_cancels_prefetched_pages(fake_airflow: FakeAirflow, api_client: ApiClient) -> None:
    serve_runs(fake_airflow, total=10_000)
    first_page_only = fake_airflow.responder
    assert first_page_only is not None

    def slow_after_first_page(request: Recorded) -> Reply:
        reply = first_page_only(request)
        reply.delay = 0 if dict(request.query).get("offset", "0") == "0" else NEVER
        return reply

    fake_airflow.responder = slow_after_first_page

    def prefetches() -> List[asyncio.Task[Any]]:
        return [
            task for task in asyncio.all_tasks()
            if not task.done() and getattr(task.get_coro(), "__qualname__", "") == "DAGRunApi.get_dag_runs"
        ]

    async for run in paginate(DAGRunApi(api_client).get_dag_runs, prefetch=3)("d"):
        assert len(prefetches()) == 3  # the next pages are on their way (and slow)
        assert run.dag_run_id == "r00000"
        break
    # An abandoned async generator is closed by asyncio's finalizer hook a few loop turns later.
    # The replies never come, so only a cancellation ends the prefetches.
    await wait_until(lambda: not prefetches(), what="the prefetched pages are cancelled")
    assert prefetches() == []
    fake_airflow.responder = first_page_only
    assert (await DAGApi(api_client).get_dag("d")) is not None  # the pool is still usable


async def test_batch_form_pages_with_page_offset_and_limit(fake_airflow: FakeAirflow, api_client: ApiClient) -> None:
    serve_runs(fake_airflow, total=120)
    form = ListDagRunsForm(dag_ids=["a", "b"], page_limit=50, order_by="id")
    ids = [run.dag_run_id async for run in paginate(DAGRunApi(api_client).get_dag_runs_batch)(form)]
    assert len(ids) == 120
    bodies: List[Dict[str, Any]] = sorted((r.json() for r in fake_airflow.requests), key=lambda b: b["page_offset"])
    assert [b["page_offset"] for b in bodies] == [0, 50, 100]
    assert all(b["dag_ids"] == ["a", "b"] and b["page_limit"] == 50 and b["order_by"] == "id" for b in bodies)
    assert form.page_offset is None  # the caller's form is left as it was


async def test_dags_are_paginated_too(fake_airflow: FakeAirflow, api_client: ApiClient) -> None:
    serve_runs(fake_airflow, total=130)
    ids = [dag.dag_id async for dag in paginate(DAGApi(api_client).get_dags)(tags=["t"], only_active=False)]
    assert ids == [f"d{i:05d}" for i in range(130)]
    assert all(("tags", "t") in r.query and ("only_active", "false") in r.query for r in fake_airflow.requests)


async def test_empty_collection_yields_nothing(fake_airflow: FakeAirflow, api_client: ApiClient) -> None:
    serve_runs(fake_airflow, total=0)
    assert [run async for run in paginate(DAGRunApi(api_client).get_dag_runs)("d")] == []
    assert len(fake_airflow.requests) == 1


async def test_collection_shrinking_during_iteration_ends_cleanly(
    fake_airflow: FakeAirflow, api_client: ApiClient
) -> None:
    fake_airflow.reply(200, {"dag_runs": [{"dag_run_id": f"r{i}"} for i in range(100)], "total_entries": 300})
    fake_airflow.reply(200, {"dag_runs": [{"dag_run_id": f"r{i}"} for i in range(100, 150)], "total_entries": 150})
    ids = [run.dag_run_id async for run in paginate(DAGRunApi(api_client).get_dag_runs, prefetch=0)("d")]
    assert len(ids) == 150
    assert len(fake_airflow.requests) == 2


def test_only_paginated_methods_and_sane_prefetch_are_accepted(api_client: ApiClient) -> None:
    with pytest.raises(ApiTypeError, match=r"paginate\(\) takes a list method of an API object .*got 'get_dag_run'"):
        paginate(DAGRunApi(api_client).get_dag_run)  # type: ignore[call-overload]
    with pytest.raises(ApiValueError, match="prefetch must be an int >= 0"):
        paginate(DAGRunApi(api_client).get_dag_runs, prefetch=-1)
    with pytest.raises(ApiTypeError, match="get_dag_runs\\(\\) got unexpected keyword argument\\(s\\): no_such_filter"):
        paginate(DAGRunApi(api_client).get_dag_runs)("d", no_such_filter=1)  # type: ignore[call-arg]
