"""The DAG endpoints beyond listing and pausing, through titanium_airflow_client.v2 against the local Airflow 3.3:
details (and its file token), tags, favourites, patching DAGs by pattern, deleting a DAG and re-parsing its file
to bring it back (DAGApi, DAGParsingApi)."""

from __future__ import annotations

from pathlib import Path

import pytest

from titanium_airflow_client import ApiClient, NotFoundException
from titanium_airflow_client.v2 import DAGApi, DAGDetailsResponse, DAGParsingApi, DAGPatchBody, DAGResponse

from .test_dag_run_api import eventually

pytestmark = pytest.mark.integration

SANDBOX_FILE = Path(__file__).resolve().parents[1] / "dags3" / "tit_sandbox.py"


async def test_dag_details_carry_what_the_file_declares(v2_client: ApiClient) -> None:
    details = await DAGApi(v2_client).get_dag_details("tit_backfill")
    assert isinstance(details, DAGDetailsResponse)
    assert details.dag_id == "tit_backfill" and details.relative_fileloc == "tit_backfill.py"
    assert details.description == "Titanium test DAG: daily, for backfills"
    assert sorted(tag.name for tag in details.tags or []) == ["backfill", "titanium"]
    assert details.owners == ["titanium"] and details.max_active_runs == 3 and details.catchup is False
    assert details.timetable_summary == "0 0 * * *" and details.is_backfillable is True
    assert details.start_date is not None and details.start_date.isoformat() == "2024-01-01T00:00:00+00:00"
    assert details.file_token  # the handle reparse_dag_file takes
    assert details.latest_dag_version is not None and details.latest_dag_version.dag_id == "tit_backfill"


async def test_dag_tags_filter_by_name(v2_client: ApiClient) -> None:
    dags = DAGApi(v2_client)
    sandbox = await dags.get_dag_tags(tag_name_pattern="sandbox")
    assert sandbox.tags == ["sandbox"] and sandbox.total_entries == 1
    titanium = await dags.get_dag_tags(tag_name_prefix_pattern="ti", order_by=["-name"])
    assert "titanium" in (titanium.tags or []) and titanium.tags == sorted(titanium.tags or [], reverse=True)


async def test_favorite_and_unfavorite_a_dag(v2_client: ApiClient) -> None:
    dags = DAGApi(v2_client)
    try:
        assert await dags.favorite_dag("tit_sandbox_b") is None
        assert (await dags.get_dag_details("tit_sandbox_b")).is_favorite is True
        favorites = await dags.get_dags(dag_id_pattern="tit_sandbox_", is_favorite=True)
        assert "tit_sandbox_b" in [dag.dag_id for dag in favorites.dags or []]
    finally:
        assert await dags.unfavorite_dag("tit_sandbox_b") is None
    assert (await dags.get_dag_details("tit_sandbox_b")).is_favorite is False
    others = await dags.get_dags(dag_id_pattern="tit_sandbox_", is_favorite=False)
    assert "tit_sandbox_b" in [dag.dag_id for dag in others.dags or []]


async def test_patch_dags_by_pattern_pauses_only_the_matching_dag(v2_client: ApiClient) -> None:
    dags = DAGApi(v2_client)
    before = (await dags.get_dag("tit_sandbox_b")).is_paused
    assert before is not None
    flipped = not before
    try:
        patched = await dags.patch_dags(
            DAGPatchBody(is_paused=flipped), update_mask=["is_paused"], dag_id_pattern="tit_sandbox_b"
        )
        assert [dag.dag_id for dag in patched.dags or []] == ["tit_sandbox_b"] and patched.total_entries == 1
        assert all(isinstance(dag, DAGResponse) and dag.is_paused is flipped for dag in patched.dags or [])
        assert (await dags.get_dag("tit_sandbox_b")).is_paused is flipped
    finally:
        restored = await dags.patch_dags({"is_paused": before}, dag_id_pattern="tit_sandbox_b")
        assert [dag.is_paused for dag in restored.dags or []] == [before]
    assert (await dags.get_dag("tit_sandbox_b")).is_paused is before


async def test_delete_dag_then_reparse_its_file_brings_it_back(v2_client: ApiClient) -> None:
    dags = DAGApi(v2_client)
    parsing = DAGParsingApi(v2_client)
    # tit_sandbox_deleted (the DAG tests delete) shares its file with tit_sandbox_b, whose details hold its token.
    token = (await dags.get_dag_details("tit_sandbox_b")).file_token
    assert token

    async def sandbox_deleted() -> DAGResponse | None:
        try:
            return await dags.get_dag("tit_sandbox_deleted")
        except NotFoundException:
            return None

    if await sandbox_deleted() is None:  # deleted by another test and not parsed again yet
        await parsing.reparse_dag_file(token)
        await eventually(sandbox_deleted, "tit_sandbox_deleted parsed again")

    deleted = await dags.delete_dag_with_http_info("tit_sandbox_deleted")
    assert (deleted.status_code, deleted.data, deleted.raw_data) == (204, None, b"")
    with pytest.raises(NotFoundException) as missing:
        await dags.get_dag("tit_sandbox_deleted")
    assert missing.value.detail == "The Dag with ID: `tit_sandbox_deleted` was not found"

    reparse = await parsing.reparse_dag_file_with_http_info(token)
    assert (reparse.status_code, reparse.data) == (201, None)
    back = await eventually(sandbox_deleted, "tit_sandbox_deleted back after reparse_dag_file")
    assert back.dag_id == "tit_sandbox_deleted" and back.relative_fileloc == SANDBOX_FILE.name


async def test_reparse_with_an_unknown_token_is_refused(v2_client: ApiClient) -> None:
    with pytest.raises(NotFoundException) as unknown:
        await DAGParsingApi(v2_client).reparse_dag_file("not-a-file-token")
    assert unknown.value.detail == "File not found"
