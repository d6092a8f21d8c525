"""``titanium-airflow datasets list`` (also as ``assets list``) against the real Airflow 2.11: the datasets
of test/dags/tit_dataset*.py, with the DAGs that consume and produce them."""

from __future__ import annotations

import subprocess

from titanium_airflow_client import DatasetCollection

from ..cli_process import run_cli, table
from ..cli_waiting import until
from .conftest import ADMIN, API_URL


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(API_URL, *args, user=ADMIN)


def test_datasets_and_assets_list_the_datasets_with_their_dags() -> None:
    done = until(
        lambda: cli("datasets", "list", "--uri-pattern", "titanium/ds1"),
        lambda done: done.returncode == 0 and "ds1" in done.stdout,
        "the dataset of tit_dataset.py",
    )
    rows = table(done.stdout)
    assert rows[0] == ["ID", "URI", "CONSUMERS", "PRODUCERS", "UPDATED_AT"]
    assert [row[1:4] for row in rows[1:]] == [
        ["file:///tmp/titanium/ds1", "tit_dataset_consumer", "tit_dataset_producer.produce"]
    ]
    assert done.stderr == ""  # no "1 of N shown" from Airflow 2's count, which ignores the filters

    done = cli("assets", "list", "--dag", "tit_dataset_queue", "--all", "--limit", "1", "--json")
    assert done.returncode == 0, done.stderr
    listing = DatasetCollection.from_json(done.stdout)
    assert done.stdout == listing.to_json() + "\n"
    assert sorted(d.uri or "" for d in listing.datasets or []) == [
        "file:///tmp/titanium/queue_a", "file:///tmp/titanium/queue_b"
    ]
    done = cli("datasets", "list", "--uri-pattern", "no-such-dataset-anywhere")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "no datasets match\n")
