"""Helpers shared by the asset tests: the seed assets of test/dags3 by name."""

from __future__ import annotations

from titanium_airflow_client.v2 import AssetApi, AssetResponse

QUEUE_A = "tit_queue_a"  # tit_asset_queue waits for it and QUEUE_B: one event on it stays queued
QUEUE_B = "tit_queue_b"
STATE_ASSET = "tit_state_asset"  # produced by the paused tit_asset_alias only: private to these tests
ALIAS = "tit_alias"  # the AssetAlias of tit_asset_alias


async def asset_named(assets: AssetApi, name: str) -> AssetResponse:
    """The asset of test/dags3 called ``name`` (fails the test when the server does not list it)."""
    listing = await assets.get_assets(name_pattern=name)
    found = [asset for asset in listing.assets or [] if asset.name == name]
    assert len(found) == 1, f"asset {name!r}: {[asset.name for asset in listing.assets or []]}"
    return found[0]


async def asset_id_named(assets: AssetApi, name: str) -> int:
    asset_id = (await asset_named(assets, name)).id
    assert asset_id is not None
    return asset_id
