"""``datasets list`` / ``assets list``: either name lists the server's own kind (get_datasets on Airflow 2,
get_assets on Airflow 3), with its filters as each generation takes them, as a table or ``--json``."""

from __future__ import annotations

import json

import pytest

from .cli_routes import asked, serve
from .cli_run import run
from .conftest import FakeAirflow

DATASET = {
    "id": 1, "uri": "s3://bucket/a", "extra": {}, "created_at": "2026-11-30T10:00:00+00:00",
    "updated_at": "2026-11-30T11:00:00+00:00",
    "consuming_dags": [{"dag_id": "consumer", "created_at": None, "updated_at": None}],
    "producing_tasks": [{"dag_id": "producer", "task_id": "emit", "created_at": None, "updated_at": None}],
    "aliases": [],
}
ASSET = {
    "id": 7, "name": "a", "uri": "s3://bucket/a", "group": "asset", "extra": {},
    "created_at": "2026-11-30T10:00:00+00:00", "updated_at": "2026-11-30T11:00:00+00:00",
    "scheduled_dags": [{"dag_id": "consumer", "created_at": "2026-11-30T10:00:00+00:00",
                        "updated_at": "2026-11-30T10:00:00+00:00"}],
    "producing_tasks": [{"dag_id": "producer", "task_id": "emit", "created_at": "2026-11-30T10:00:00+00:00",
                         "updated_at": "2026-11-30T10:00:00+00:00"}],
    "consuming_tasks": [], "aliases": [],
}


@pytest.mark.parametrize("name", ["datasets", "assets"])
async def test_either_name_lists_the_datasets_of_airflow_2(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    # Airflow 2 counts every dataset in total_entries, whatever the filters
    listing = {"datasets": [DATASET], "total_entries": 5}
    host = serve(fake_airflow, {"/api/v1/datasets": listing}, v2=False)
    result = await run(capsys, *host, name, "list", "--uri-pattern", "bucket", "--dag", "consumer,other")
    assert result.code == 0 and result.err == "", result  # no "1 of 5 shown" from the unfiltered count
    assert asked(fake_airflow) == [
        ("/api/v1/datasets", [("limit", "100"), ("uri_pattern", "bucket"), ("dag_ids", "consumer,other")])
    ]
    assert [line.split() for line in result.out.splitlines()] == [
        ["ID", "URI", "CONSUMERS", "PRODUCERS", "UPDATED_AT"],
        ["1", "s3://bucket/a", "consumer", "producer.emit", "2026-11-30T11:00:00+00:00"],
    ]
    as_json = await run(capsys, *host, name, "list", "--uri-pattern", "bucket", "--json")
    assert as_json.code == 0 and json.loads(as_json.out) == listing  # the server's own count, as it said it


async def test_an_unfiltered_partial_listing_on_airflow_2_says_how_many(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    host = serve(fake_airflow, {"/api/v1/datasets": {"datasets": [DATASET], "total_entries": 5}}, v2=False)
    result = await run(capsys, *host, "datasets", "list", "--limit", "1")
    assert result.code == 0 and result.err == "1 of 5 datasets shown; see --limit/--offset, or --all\n"


@pytest.mark.parametrize("name", ["datasets", "assets"])
async def test_either_name_lists_the_assets_of_airflow_3(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    listing = {"assets": [ASSET], "total_entries": 1}
    host = serve(fake_airflow, {"/api/v2/assets": listing}, v2=True)
    result = await run(capsys, *host, name, "list", "--uri-pattern", "bucket", "--dag", "consumer,other",
                       "--order-by", "-id")
    assert result.code == 0 and result.err == "", result
    assert asked(fake_airflow) == [("/api/v2/assets", [
        ("limit", "50"), ("offset", "0"), ("uri_pattern", "bucket"), ("dag_ids", "consumer"), ("dag_ids", "other"),
        ("only_active", "true"), ("order_by", "-id"),
    ])]
    assert [line.split() for line in result.out.splitlines()] == [
        ["ID", "NAME", "URI", "GROUP", "CONSUMERS", "PRODUCERS", "UPDATED_AT"],
        ["7", "a", "s3://bucket/a", "asset", "consumer", "producer.emit", "2026-11-30T11:00:00+00:00"],
    ]
    as_json = await run(capsys, *host, name, "list", "--json")
    assert as_json.code == 0 and json.loads(as_json.out) == listing


async def test_no_assets_is_said_on_stderr(fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]) -> None:
    host = serve(fake_airflow, {"/api/v2/assets": {"assets": [], "total_entries": 0}}, v2=True)
    result = await run(capsys, *host, "assets", "list", "--uri-pattern", "nothing")
    assert (result.code, result.out, result.err) == (0, "", "no assets match\n")
