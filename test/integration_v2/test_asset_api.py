"""AssetApi against the local Airflow 3.3: list, filter and read assets; create asset events and list them;
the queued events an event leaves for tit_asset_queue (read and deleted per asset, per DAG and per DAG and
asset); asset aliases (tit_asset_alias declares one); materializing an asset (a run of its producing DAG)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Awaitable, Callable, List

import pytest

from titanium_airflow_client import ApiClient, NotFoundException
from titanium_airflow_client.v2 import (
    AssetAliasResponse,
    AssetApi,
    AssetEventResponse,
    CreateAssetEventsBody,
    DagRunApi,
    DagRunState,
    MaterializeAssetBody,
    QueuedEventResponse,
)

from .asset_helpers import ALIAS, QUEUE_A, QUEUE_B, STATE_ASSET, asset_id_named, asset_named
from .conftest import RawAnswer

pytestmark = pytest.mark.integration

RawRequest = Callable[..., Awaitable[RawAnswer]]
QUEUE_DAG = "tit_asset_queue"


def marker() -> str:
    return f"titanium-{uuid.uuid4().hex[:10]}"


async def test_list_filter_and_read_assets(v2_client: ApiClient) -> None:
    assets = AssetApi(v2_client)
    listing = await assets.get_assets(name_prefix_pattern="tit_queue_", order_by=["-name"])
    names = [asset.name for asset in listing.assets or []]
    assert names[:2] == [QUEUE_B, QUEUE_A]  # the prefix filter and the descending order, both server-side
    by_uri = await assets.get_assets(uri_pattern="titanium/queue_a")
    assert [asset.name for asset in by_uri.assets or []] == [QUEUE_A]
    by_dag = await assets.get_assets(dag_ids=[QUEUE_DAG])
    assert {QUEUE_A, QUEUE_B} <= {asset.name for asset in by_dag.assets or []}

    listed = next(asset for asset in listing.assets or [] if asset.name == QUEUE_A)
    asset = await assets.get_asset(listed.id or 0)
    assert (asset.id, asset.name, asset.uri, asset.group) == (
        listed.id,
        QUEUE_A,
        "file:///tmp/titanium/queue_a",
        "titanium",
    )
    assert [dag.dag_id for dag in asset.scheduled_dags or []] == [QUEUE_DAG]
    producer = await asset_named(assets, "tit_asset")
    assert [(task.dag_id, task.task_id) for task in producer.producing_tasks or []] == [
        ("tit_asset_producer", "produce")
    ]

    with pytest.raises(NotFoundException) as missing:
        await assets.get_asset(987654321)
    assert missing.value.status == 404 and missing.value.detail == "The Asset with ID: `987654321` was not found"


async def test_asset_events_leave_queued_events_that_can_be_read_and_deleted(v2_client: ApiClient) -> None:
    assets = AssetApi(v2_client)
    queue_a = await asset_id_named(assets, QUEUE_A)
    queue_b = await asset_id_named(assets, QUEUE_B)

    async def post_event(tag: str) -> AssetEventResponse:
        # An event on QUEUE_A only: tit_asset_queue also waits for QUEUE_B, so the event stays queued.
        return await assets.create_asset_event(CreateAssetEventsBody(asset_id=queue_a, extra={"titanium": tag}))

    async def queued_for_dag() -> List[QueuedEventResponse]:
        listing = await assets.get_dag_asset_queued_events(QUEUE_DAG)
        return [event for event in listing.queued_events or [] if event.asset_id == queue_a]

    try:
        tag = marker()
        event = await post_event(tag)
        assert (event.asset_id, event.name, event.uri, event.group) == (
            queue_a,
            QUEUE_A,
            "file:///tmp/titanium/queue_a",
            "titanium",
        )
        assert event.extra == {"titanium": tag, "from_rest_api": True}  # the server marks its own events
        assert event.source_dag_id is None and event.created_dagruns == []

        events = await assets.get_asset_events(asset_id=queue_a, order_by=["-timestamp"], limit=20)
        assert event.id in [listed.id for listed in events.asset_events or []]
        since = await assets.get_asset_events(asset_id=queue_a, timestamp_gte=event.timestamp)
        assert all(listed.timestamp >= event.timestamp for listed in since.asset_events or [] if listed.timestamp)
        assert tag in [(listed.extra or {}).get("titanium") for listed in since.asset_events or []]

        by_asset = await assets.get_asset_queued_events(queue_a)
        assert [(queued.dag_id, queued.asset_id) for queued in by_asset.queued_events or []] == [(QUEUE_DAG, queue_a)]
        assert [(queued.dag_id, queued.asset_id) for queued in await queued_for_dag()] == [(QUEUE_DAG, queue_a)]
        one = await assets.get_dag_asset_queued_event(QUEUE_DAG, queue_a)
        assert (one.dag_id, one.asset_id, one.dag_display_name) == (QUEUE_DAG, queue_a, QUEUE_DAG)
        assert one.created_at is not None and event.timestamp is not None and one.created_at >= event.timestamp
        with pytest.raises(NotFoundException) as none_for_b:
            await assets.get_dag_asset_queued_event(QUEUE_DAG, queue_b)
        assert none_for_b.value.detail == (
            f"Queued event with dag_id: `{QUEUE_DAG}` and asset_id: `{queue_b}` was not found"
        )
        # `before` filters on the queued event's creation: none was created before 2020.
        earlier = await assets.get_asset_queued_events(queue_a, before="2020-01-01T00:00:00Z")
        assert earlier.queued_events == [] and earlier.total_entries == 0

        # One DAG's queued event for one asset.
        assert await assets.delete_dag_asset_queued_event(QUEUE_DAG, queue_a) is None
        with pytest.raises(NotFoundException):
            await assets.get_dag_asset_queued_event(QUEUE_DAG, queue_a)

        # Every queued event of the asset.
        await post_event(marker())
        assert await queued_for_dag()
        assert await assets.delete_asset_queued_events(queue_a) is None
        assert (await assets.get_asset_queued_events(queue_a)).queued_events == []
        with pytest.raises(NotFoundException) as nothing_queued:
            await assets.delete_asset_queued_events(queue_a)
        assert nothing_queued.value.detail == f"Queue event with asset_id: `{queue_a}` was not found"

        # Every queued event of the DAG.
        await post_event(marker())
        assert await queued_for_dag()
        assert await assets.delete_dag_asset_queued_events(QUEUE_DAG) is None
        assert await queued_for_dag() == []
        with pytest.raises(NotFoundException) as nothing_for_dag:
            await assets.delete_dag_asset_queued_events(QUEUE_DAG)
        assert nothing_for_dag.value.detail == f"Queue event with dag_id: `{QUEUE_DAG}` was not found"
    finally:
        if (await assets.get_asset_queued_events(queue_a)).queued_events:
            await assets.delete_asset_queued_events(queue_a)


async def test_get_asset_alias_answers_one_alias(v2_client: ApiClient, raw_request: RawRequest) -> None:
    assets = AssetApi(v2_client)
    aliases = await assets.get_asset_aliases(name_pattern=ALIAS, order_by=["name"])
    found = [alias for alias in aliases.asset_aliases or [] if alias.name == ALIAS]
    assert len(found) == 1 and found[0].group == "titanium" and found[0].id is not None
    alias_id = found[0].id
    assert (await assets.get_asset_aliases(name_prefix_pattern="no_such_alias_")).asset_aliases == []

    # The spec gives the 200 answer no schema; the server sends the alias (override: AssetAliasResponse).
    answer = await raw_request("GET", f"/api/v2/assets/aliases/{alias_id}")
    assert answer.status == 200 and answer.json() == {"id": alias_id, "name": ALIAS, "group": "titanium"}
    alias = await assets.get_asset_alias(alias_id)
    assert isinstance(alias, AssetAliasResponse)
    assert (alias.id, alias.name, alias.group) == (alias_id, ALIAS, "titanium")

    with pytest.raises(NotFoundException) as missing:
        await assets.get_asset_alias(987654321)
    assert missing.value.detail == "The Asset Alias with ID: `987654321` was not found"


async def test_materialize_asset_triggers_its_producing_dag(v2_client: ApiClient) -> None:
    assets, runs = AssetApi(v2_client), DagRunApi(v2_client)
    # tit_state_asset's only producer is the paused tit_asset_alias: its runs stay queued and affect nothing.
    state_asset = await asset_id_named(assets, STATE_ASSET)
    made: List[str] = []
    try:
        plain = await assets.materialize_asset(state_asset)  # no body: the server names the run
        made.append(plain.dag_run_id or "")
        assert plain.dag_id == "tit_asset_alias" and plain.run_type == "asset_materialization"
        assert (plain.dag_run_id or "").startswith("asset_materialization__")
        assert plain.state == DagRunState.QUEUED and plain.conf == {}

        wanted = f"materialize_{uuid.uuid4().hex[:10]}"
        after = datetime.now(timezone.utc) + timedelta(minutes=5)
        body = MaterializeAssetBody(dag_run_id=wanted, conf={"rows": 2}, note="materialized", run_after=after)
        named = await assets.materialize_asset(state_asset, body)
        made.append(wanted)
        assert (named.dag_run_id, named.conf, named.note) == (wanted, {"rows": 2}, "materialized")
        assert named.run_after == after and named.logical_date is None
        stored = await runs.get_dag_run("tit_asset_alias", wanted)
        assert (stored.run_type, stored.conf, stored.note) == ("asset_materialization", {"rows": 2}, "materialized")

        queue_a = await asset_id_named(assets, QUEUE_A)
        with pytest.raises(NotFoundException) as no_producer:
            await assets.materialize_asset(queue_a, None)
        assert no_producer.value.detail == f"No Dag materializes asset with ID: {queue_a}"
    finally:
        for dag_run_id in made:
            await runs.delete_dag_run("tit_asset_alias", dag_run_id)
