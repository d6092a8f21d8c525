"""paginate(): every item of a paginated endpoint, against a local server that pages like Airflow."""

from __future__ import annotations

import asyncio
import json
from typing import Any, AsyncIterator, Dict, List, Optional, Tuple

import pytest

from titanium_airflow_client import (
    ApiClient,
    ApiTypeError,
    ApiValueError,
    Configuration,
    DAGApi,
    DAGRun,
    DAGRunApi,
    ListDagRunsForm,
    paginate,
)
from titanium_airflow_client.exceptions import ApiVersionError

from .conftest import NEVER, FakeAirflow, Recorded, Reply, wait_until
from .v2_api import V2Api, root_of


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


# --------------------------------------------------------------------------- cursor paging (v2, Airflow 3.2+)


def serve_v2_runs(
    fake: FakeAirflow, total: int, *, cursor: bool = True, cap: int = 100, total_limit: int = 150
) -> None:
    """Answer v2's get_dag_runs: by cursor when asked with one (and ``cursor``), else by offset, without next_cursor."""

    def respond(request: Recorded) -> Reply:
        query = dict(request.query)
        limit = min(int(query.get("limit", 50)), cap)
        if cursor and "cursor" in query:
            start = int(query["cursor"].removeprefix("after-") or -1) + 1
            indexes = range(start, min(total, start + limit))
            more = indexes.stop < total
            body: Dict[str, Any] = {
                "dag_runs": [{"dag_id": "d", "dag_run_id": f"r{i:05d}"} for i in indexes],
                "total_entries": min(total, total_limit), "total_entries_limit": total_limit,
                "next_cursor": f"after-{indexes.stop - 1}" if more else None,
                "previous_cursor": None if start == 0 else f"before-{start}",
            }
        else:
            offset = int(query.get("offset", 0))
            indexes = range(offset, min(total, offset + limit))
            body = {"dag_runs": [{"dag_id": "d", "dag_run_id": f"r{i:05d}"} for i in indexes], "total_entries": total}
        return Reply(body=json.dumps(body).encode())

    fake.responder = respond


@pytest.fixture
async def v2_api(fake_airflow: FakeAirflow) -> AsyncIterator[V2Api]:
    configuration = Configuration(host=root_of(fake_airflow.host), access_token="t", retries=0, server_version="3.3.2")
    async with ApiClient(configuration) as client:
        yield V2Api(client)


def queries(fake: FakeAirflow) -> List[List[Tuple[str, str]]]:
    return [request.query for request in fake.requests]


def paging_of(fake: FakeAirflow) -> List[Tuple[Optional[str], Optional[str], Optional[str]]]:
    """(cursor, limit, offset) of each request."""
    return [(q.get("cursor"), q.get("limit"), q.get("offset")) for q in map(dict, queries(fake))]


@pytest.mark.parametrize("prefetch", [0, 1, 3])
async def test_an_endpoint_with_a_cursor_is_paged_by_it(
    fake_airflow: FakeAirflow, v2_api: V2Api, prefetch: int
) -> None:
    serve_v2_runs(fake_airflow, total=250)  # more than total_entries says (it is capped at 150 in this mode)
    ids = [run.dag_run_id async for run in paginate(v2_api.get_dag_runs, prefetch=prefetch)("d", state=["failed"])]
    assert ids == [f"r{i:05d}" for i in range(250)]
    assert paging_of(fake_airflow) == [("", "100", None), ("after-99", "100", None), ("after-199", "100", None)]
    assert all(("state", "failed") in query for query in queries(fake_airflow))
    assert fake_airflow.requests[0].raw_path.startswith("/api/v2/dags/d/dagRuns?cursor=&limit=100&")  # cursor= is sent


async def test_cursor_paging_ends_on_an_empty_first_page(fake_airflow: FakeAirflow, v2_api: V2Api) -> None:
    serve_v2_runs(fake_airflow, total=0)
    assert [run async for run in paginate(v2_api.get_dag_runs)("d")] == []
    assert len(fake_airflow.requests) == 1


async def test_a_server_without_cursors_is_paged_by_offset_from_its_first_answer(
    fake_airflow: FakeAirflow, v2_api: V2Api
) -> None:
    serve_v2_runs(fake_airflow, total=230, cursor=False, cap=100)  # Airflow 3.0/3.1: cursor is ignored
    ids = [run.dag_run_id async for run in paginate(v2_api.get_dag_runs, prefetch=0)("d", limit=500)]
    assert ids == [f"r{i:05d}" for i in range(230)]
    # The first answer has no next_cursor: offset paging goes on from it, by what came.
    assert paging_of(fake_airflow) == [("", "500", None), (None, "100", "100"), (None, "100", "200")]


async def test_a_server_known_to_predate_cursors_is_paged_by_offset_without_one(fake_airflow: FakeAirflow) -> None:
    serve_v2_runs(fake_airflow, total=120, cursor=False)
    configuration = Configuration(host=root_of(fake_airflow.host), access_token="t", retries=0, server_version="3.1.8")
    async with ApiClient(configuration) as client:
        runs = V2Api(client)
        ids = [run.dag_run_id async for run in paginate(runs.get_dag_runs, prefetch=0)("d", limit=50)]
        assert ids == [f"r{i:05d}" for i in range(120)]
        assert paging_of(fake_airflow) == [(None, "50", "0"), (None, "50", "50"), (None, "50", "100")]
        with pytest.raises(ApiVersionError, match=r"get_dag_runs\(cursor=\.\.\.\) needs Airflow 3\.2"):
            [run async for run in paginate(runs.get_dag_runs)("d", cursor="after-9")]  # the caller's own cursor


async def test_by_offset_forces_offset_paging(fake_airflow: FakeAirflow, v2_api: V2Api) -> None:
    serve_v2_runs(fake_airflow, total=120)
    ids = [run.dag_run_id async for run in paginate(v2_api.get_dag_runs, by="offset", prefetch=0)("d", limit=50)]
    assert len(ids) == 120
    assert [dict(q).get("cursor") for q in queries(fake_airflow)] == [None, None, None]
    assert [dict(q)["offset"] for q in queries(fake_airflow)] == ["0", "50", "100"]


async def test_a_start_offset_pages_by_offset_and_a_given_cursor_starts_there(
    fake_airflow: FakeAirflow, v2_api: V2Api
) -> None:
    serve_v2_runs(fake_airflow, total=120)
    ids = [run.dag_run_id async for run in paginate(v2_api.get_dag_runs, prefetch=0)("d", offset=100)]
    assert ids == [f"r{i:05d}" for i in range(100, 120)]
    assert "cursor" not in dict(fake_airflow.requests[0].query)
    fake_airflow.requests.clear()
    ids = [run.dag_run_id async for run in paginate(v2_api.get_dag_runs)("d", cursor="after-109")]
    assert ids == [f"r{i:05d}" for i in range(110, 120)]
    assert dict(fake_airflow.requests[0].query)["cursor"] == "after-109"
    with pytest.raises(ApiValueError, match="was given a cursor, but by='offset'"):
        paginate(v2_api.get_dag_runs, by="offset")("d", cursor="after-1")
    with pytest.raises(ApiValueError, match="by must be one of 'auto', 'offset'"):
        paginate(v2_api.get_dag_runs, by="cursor")  # type: ignore[arg-type]


async def test_a_cursor_that_does_not_move_ends_the_iteration(fake_airflow: FakeAirflow, v2_api: V2Api) -> None:
    page = {"dag_runs": [{"dag_run_id": "r"}], "total_entries": 1, "next_cursor": "same"}
    fake_airflow.responder = lambda request: Reply(body=json.dumps(page).encode())
    ids = [run.dag_run_id async for run in paginate(v2_api.get_dag_runs)("d", cursor="same")]
    assert ids == ["r"] and len(fake_airflow.requests) == 1


async def test_breaking_out_of_cursor_paging_cancels_the_prefetched_page(
    fake_airflow: FakeAirflow, v2_api: V2Api
) -> None:
    serve_v2_runs(fake_airflow, total=1000)
    first_page = fake_airflow.responder
    assert first_page is not None

    def slow_after_the_first_page(request: Recorded) -> Reply:
        reply = first_page(request)
        reply.delay = 0 if dict(request.query)["cursor"] == "" else NEVER
        return reply

    fake_airflow.responder = slow_after_the_first_page
    async for run in paginate(v2_api.get_dag_runs)("d"):
        assert run.dag_run_id == "r00000"
        break
    await wait_until(lambda: fake_airflow.in_flight == 1, what="the next page was asked for")
    await wait_until(lambda: not [t for t in asyncio.all_tasks() if not t.done()
                                  and getattr(t.get_coro(), "__qualname__", "") == "V2Api.get_dag_runs"],
                     what="the prefetched page is cancelled")
