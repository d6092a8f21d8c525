"""``titanium-airflow assets list`` (also as ``datasets list``) against the real Airflow 3.3: the assets of
test/dags3/tit_asset*.py, with the DAGs they schedule and the tasks that produce them."""

from __future__ import annotations

import subprocess

from titanium_airflow_client.v2 import AssetCollectionResponse

from ..cli_process import run_cli, table
from ..cli_waiting import until
from .conftest import ADMIN, BASE_URL


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(BASE_URL, *args, user=(ADMIN.username, ADMIN.password))


def test_assets_and_datasets_list_the_assets_with_their_dags() -> None:
    done = until(
        lambda: cli("assets", "list", "--uri-pattern", "titanium/asset1"),
        lambda done: done.returncode == 0 and "asset1" in done.stdout,
        "the asset of tit_asset.py",
    )
    assert done.stderr == ""
    rows = table(done.stdout)
    assert rows[0] == ["ID", "NAME", "URI", "GROUP", "CONSUMERS", "PRODUCERS", "UPDATED_AT"]
    assert [row[1:6] for row in rows[1:]] == [
        ["tit_asset", "file:///tmp/titanium/asset1", "titanium", "tit_asset_consumer", "tit_asset_producer.produce"]
    ]

    done = cli("datasets", "list", "--dag", "tit_asset_queue", "--all", "--limit", "1", "--json")
    assert done.returncode == 0, done.stderr
    listing = AssetCollectionResponse.from_json(done.stdout)
    assert done.stdout == listing.to_json() + "\n"
    assert sorted(asset.name or "" for asset in listing.assets or []) == ["tit_queue_a", "tit_queue_b"]
    done = cli("assets", "list", "--uri-pattern", "no-such-asset-anywhere")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "no assets match\n")
