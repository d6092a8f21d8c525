"""DatasetApi against the real server: datasets, dataset events, queued events (tit_dataset_queue), and
the upstream dataset events of a run, which DAGRunApi and DatasetApi both offer."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta, timezone
from typing import Any, Awaitable, Callable, List

import pytest

from titanium_airflow_client import (
    ApiClient,
    ApiValueError,
    BadRequestException,
    CreateDatasetEvent,
    DAGApi,
    DAGRunApi,
    DatasetApi,
    DatasetEvent,
    NotFoundException,
    paginate,
)

from .conftest import DATASET_URI, Cleanup, DatasetRuns, ensure_paused, raw_request, sync_paginate

QUEUE_DAG = "tit_dataset_queue"  # scheduled on QUEUE_A and QUEUE_B; an event on one only stays queued
QUEUE_A = "file:///tmp/titanium/queue_a"
QUEUE_B = "file:///tmp/titanium/queue_b"
TITANIUM_URIS = {DATASET_URI, QUEUE_A, QUEUE_B}


@pytest.fixture
def dataset_api(api_client: ApiClient) -> DatasetApi:
    return DatasetApi(api_client)


@pytest.fixture
async def empty_queue(dataset_api: DatasetApi, dag_api: DAGApi, cleanup: Cleanup) -> None:
    """tit_dataset_queue unpaused (events queue only for active DAGs) with nothing queued, before and after."""
    await ensure_paused(dag_api, QUEUE_DAG, False)
    with contextlib.suppress(NotFoundException):
        await dataset_api.delete_dag_dataset_queued_events(QUEUE_DAG)
    cleanup.add("queued events of tit_dataset_queue", lambda: dataset_api.delete_dag_dataset_queued_events(QUEUE_DAG))


async def queue_one(dataset_api: DatasetApi, label: str) -> DatasetEvent:
    """A dataset event on QUEUE_A, which queues one event for tit_dataset_queue."""
    event = await dataset_api.create_dataset_event(CreateDatasetEvent(dataset_uri=QUEUE_A, extra={"test": label}))
    assert event.dataset_uri == QUEUE_A
    return event


async def is_404(call: Callable[[], Awaitable[Any]]) -> bool:
    try:
        await call()
    except NotFoundException:
        return True
    return False


async def nothing_queued(dataset_api: DatasetApi) -> bool:
    """Every read of the queue answers 404 (the server's "none queued")."""
    return all(
        [
            await is_404(lambda: dataset_api.get_dag_dataset_queued_events(QUEUE_DAG)),
            await is_404(lambda: dataset_api.get_dag_dataset_queued_event(QUEUE_DAG, QUEUE_A)),
            await is_404(lambda: dataset_api.get_dataset_queued_events(QUEUE_A)),
        ]
    )


# --------------------------------------------------------------------------- datasets


async def test_get_datasets_lists_and_filters(dataset_api: DatasetApi) -> None:
    paged = [d async for d in paginate(dataset_api.get_datasets)(uri_pattern="titanium", limit=1, order_by="uri")]
    uris = [d.uri for d in paged]
    assert uris == sorted(uris) and set(uris) >= TITANIUM_URIS
    by_uri = {d.uri: d for d in paged}
    ds1 = by_uri[DATASET_URI]
    assert [r.dag_id for r in ds1.consuming_dags or []] == ["tit_dataset_consumer"]
    assert [(t.dag_id, t.task_id) for t in ds1.producing_tasks or []] == [("tit_dataset_producer", "produce")]
    assert [r.dag_id for r in by_uri[QUEUE_B].consuming_dags or []] == [QUEUE_DAG]
    assert by_uri[QUEUE_B].producing_tasks == [] and by_uri[QUEUE_B].extra == {}

    # dag_ids is one comma-joined value: datasets a listed DAG consumes or produces.
    queue = await dataset_api.get_datasets(dag_ids=QUEUE_DAG)
    assert {d.uri for d in queue.datasets or []} == {QUEUE_A, QUEUE_B}
    both = await dataset_api.get_datasets(dag_ids=f"{QUEUE_DAG},tit_dataset_producer")
    assert {d.uri for d in both.datasets or []} == TITANIUM_URIS
    # Server quirk: total_entries counts every dataset, not those the filters keep.
    assert (queue.total_entries or 0) >= (both.total_entries or 0) >= 3

    blocking = await asyncio.to_thread(sync_paginate, "DatasetApi", "get_datasets", uri_pattern="titanium", limit=2)
    assert {d.uri for d in blocking} >= TITANIUM_URIS


@pytest.mark.parametrize("uri", sorted(TITANIUM_URIS))
async def test_get_dataset_by_a_uri_with_slashes(dataset_api: DatasetApi, uri: str) -> None:
    dataset = await dataset_api.get_dataset(uri)
    assert dataset.uri == uri and isinstance(dataset.id, int)
    assert dataset.created_at is not None and dataset.updated_at is not None
    assert dataset.created_at <= dataset.updated_at


@pytest.mark.parametrize(
    "uri",
    [
        "file:///tmp/titanium/a b",
        "file:///tmp/titanium/q?x=1&y=2",
        "file:///tmp/titanium/h#frag",
        "file:///tmp/titanium/pct%41",
        "file:///tmp/titanium/ünï✓",
        "s3://bucket//double//slash/",
        "file:///tmp/titanium/plus+sign;semi",
        "file:///tmp/titanium/dots/../up",
        "x",
    ],
)
async def test_an_odd_uri_reaches_the_server_as_it_is(dataset_api: DatasetApi, uri: str) -> None:
    """No such datasets exist (only DAG files make them); the 404 names the URI as the server decoded it."""
    with pytest.raises(NotFoundException) as caught:
        await dataset_api.get_dataset(uri)
    assert caught.value.problem is not None
    assert caught.value.problem.detail == f"The Dataset with uri: `{uri}` was not found"


async def test_a_uri_with_a_leading_slash_is_refused(dataset_api: DatasetApi) -> None:
    """The server would merge the '//' and redirect to the URI without its leading '/' (another dataset)."""
    answer = await raw_request("GET", "/datasets/%2Ftmp%2Fx")
    assert answer.status == 308 and answer.location is not None and answer.location.endswith("/datasets/tmp/x")
    with pytest.raises(ApiValueError, match="parameter 'uri' must not start with '/'"):
        await dataset_api.get_dataset("/tmp/x")
    with pytest.raises(ApiValueError, match="parameter 'uri' must not start with '/'"):
        await dataset_api.delete_dataset_queued_events("/tmp/x")


# --------------------------------------------------------------------------- dataset events


async def test_create_dataset_event_and_find_it(dataset_api: DatasetApi, empty_queue: None) -> None:
    before = datetime.now(timezone.utc)
    event = await queue_one(dataset_api, "create")
    assert isinstance(event.id, int) and isinstance(event.dataset_id, int)
    assert event.extra == {"test": "create", "from_rest_api": True}  # the server adds from_rest_api
    assert (event.source_dag_id, event.source_task_id, event.source_run_id) == (None, None, None)
    assert event.source_map_index == -1 and event.created_dagruns == []
    assert event.timestamp is not None
    assert before - timedelta(minutes=1) < event.timestamp < before + timedelta(minutes=1)

    newest = await dataset_api.get_dataset_events(dataset_id=event.dataset_id, order_by="-timestamp", limit=5)
    assert event.id in [e.id for e in newest.dataset_events or []]
    found = [e async for e in paginate(dataset_api.get_dataset_events)(dataset_id=event.dataset_id, limit=3)]
    assert [e.to_dict() for e in found if e.id == event.id] == [event.to_dict()]
    assert all(e.dataset_uri == QUEUE_A for e in found)
    assert len(found) == newest.total_entries

    produced = await dataset_api.get_dataset_events(source_dag_id="tit_dataset_producer", limit=100)
    assert all(e.source_dag_id == "tit_dataset_producer" and e.dataset_uri == DATASET_URI
               for e in produced.dataset_events or [])
    blocking = await asyncio.to_thread(
        sync_paginate, "DatasetApi", "get_dataset_events", dataset_id=event.dataset_id, order_by="-timestamp", limit=2
    )
    assert event.id in [e.id for e in blocking]


async def test_create_dataset_event_refusals(dataset_api: DatasetApi) -> None:
    # dataset_uri is required by the spec itself: refused before sending, as the server would.
    answer = await raw_request("POST", "/datasets/events", {})
    assert answer.status == 400 and answer.json()["detail"] == "'dataset_uri' is a required property"
    with pytest.raises(ApiValueError, match=r"create_dataset_event\(\): .* must set dataset_uri"):
        await dataset_api.create_dataset_event(CreateDatasetEvent(extra={"a": 1}))
    with pytest.raises(NotFoundException) as unknown:
        await dataset_api.create_dataset_event(CreateDatasetEvent(dataset_uri="file:///tmp/titanium/none"))
    assert unknown.value.problem is not None
    assert unknown.value.problem.detail == "Dataset with uri: 'file:///tmp/titanium/none' not found"
    # The spec calls extra nullable; the server refuses a null.
    with pytest.raises(BadRequestException) as null_extra:
        await dataset_api.create_dataset_event(CreateDatasetEvent(dataset_uri=QUEUE_A, extra=None))
    assert null_extra.value.problem is not None
    assert null_extra.value.problem.detail == "{'extra': ['Field may not be null.']}"


# --------------------------------------------------------------------------- queued events


async def test_queued_event_read_then_deleted_for_one_dag_and_dataset(
    dataset_api: DatasetApi, empty_queue: None
) -> None:
    assert await nothing_queued(dataset_api)
    event = await queue_one(dataset_api, "one")
    assert event.timestamp is not None

    for_dag = await dataset_api.get_dag_dataset_queued_events(QUEUE_DAG)
    assert for_dag.total_entries == 1 and len(for_dag.queued_events or []) == 1
    queued = (for_dag.queued_events or [])[0]
    assert (queued.dag_id, queued.uri) == (QUEUE_DAG, QUEUE_A)
    assert queued.created_at is not None and abs(queued.created_at - event.timestamp) < timedelta(minutes=1)
    one = await dataset_api.get_dag_dataset_queued_event(QUEUE_DAG, QUEUE_A)
    assert one.to_dict() == queued.to_dict()
    for_dataset = await dataset_api.get_dataset_queued_events(QUEUE_A)
    assert [q.to_dict() for q in for_dataset.queued_events or []] == [queued.to_dict()]
    assert [q.dag_id async for q in paginate(dataset_api.get_dag_dataset_queued_events)(QUEUE_DAG)] == [QUEUE_DAG]

    # before: only events queued earlier than it.
    later, earlier = queued.created_at + timedelta(minutes=1), queued.created_at - timedelta(hours=1)
    assert (await dataset_api.get_dag_dataset_queued_event(QUEUE_DAG, QUEUE_A, before=later)).uri == QUEUE_A
    assert (await dataset_api.get_dataset_queued_events(QUEUE_A, before=later)).total_entries == 1
    assert await is_404(lambda: dataset_api.get_dag_dataset_queued_events(QUEUE_DAG, before=earlier))
    assert await is_404(lambda: dataset_api.get_dag_dataset_queued_event(QUEUE_DAG, QUEUE_A, before=earlier))
    assert await is_404(lambda: dataset_api.delete_dag_dataset_queued_event(QUEUE_DAG, QUEUE_A, before=earlier))
    assert (await dataset_api.get_dag_dataset_queued_event(QUEUE_DAG, QUEUE_A)).uri == QUEUE_A  # still queued

    await dataset_api.delete_dag_dataset_queued_event(QUEUE_DAG, QUEUE_A)
    assert await nothing_queued(dataset_api)
    assert await is_404(lambda: dataset_api.delete_dag_dataset_queued_event(QUEUE_DAG, QUEUE_A))
    # A dataset nothing was queued for: 404 as well.
    assert await is_404(lambda: dataset_api.get_dataset_queued_events(QUEUE_B))


async def test_queued_events_deleted_for_a_whole_dag_or_dataset(dataset_api: DatasetApi, empty_queue: None) -> None:
    await queue_one(dataset_api, "dag")
    assert (await dataset_api.get_dag_dataset_queued_events(QUEUE_DAG)).total_entries == 1
    await dataset_api.delete_dag_dataset_queued_events(QUEUE_DAG)
    assert await nothing_queued(dataset_api)
    assert await is_404(lambda: dataset_api.delete_dag_dataset_queued_events(QUEUE_DAG))

    await queue_one(dataset_api, "dataset")
    assert (await dataset_api.get_dataset_queued_events(QUEUE_A)).total_entries == 1
    await dataset_api.delete_dataset_queued_events(QUEUE_A, before=datetime.now(timezone.utc) + timedelta(hours=1))
    assert await nothing_queued(dataset_api)
    assert await is_404(lambda: dataset_api.delete_dataset_queued_events(QUEUE_A))


# --------------------------------------------------------------------------- upstream dataset events of a run


async def test_upstream_dataset_events_from_dataset_api_and_dag_run_api_agree(
    dataset_api: DatasetApi, dag_run_api: DAGRunApi, dataset_runs: DatasetRuns
) -> None:
    consumer, producer = dataset_runs.consumer, dataset_runs.producer
    assert consumer.dag_run_id is not None
    from_datasets = await dataset_api.get_upstream_dataset_events("tit_dataset_consumer", consumer.dag_run_id)
    from_runs = await dag_run_api.get_upstream_dataset_events("tit_dataset_consumer", consumer.dag_run_id)
    assert from_datasets.to_dict() == from_runs.to_dict()
    events = from_datasets.dataset_events or []
    assert events and from_datasets.total_entries == len(events)
    ours = [e for e in events if e.source_run_id == producer.dag_run_id]
    assert len(ours) == 1 and ours[0].dataset_uri == DATASET_URI and ours[0].source_task_id == "produce"
    assert ("tit_dataset_consumer", consumer.dag_run_id) in {
        (r.dag_id, r.dag_run_id) for r in ours[0].created_dagruns or []
    }
    paged: List[DatasetEvent] = [
        e async for e in paginate(dataset_api.get_upstream_dataset_events)("tit_dataset_consumer", consumer.dag_run_id)
    ]
    assert [e.id for e in paged] == [e.id for e in events]  # one page: no limit/offset
    # The event itself, as get_dataset_events lists it.
    listed = [e async for e in paginate(dataset_api.get_dataset_events)(source_run_id=producer.dag_run_id)]
    assert [e.id for e in listed] == [ours[0].id]
