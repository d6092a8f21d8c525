"""XComApi against the real server: the entries tit_xcom and tit_mapped pushed, and their values.

tit_xcom's task "push" returns RETURN_VALUE (XCom "return_value") and pushes XCOM_DICT under
XCOM_KEY; both constants are read from test/dags/tit_xcom.py itself, so they cannot drift apart.
tit_mapped's "square" returns 1, 4, 9 at map indexes 0, 1, 2.
"""

from __future__ import annotations

import ast
import contextlib
from pathlib import Path
from typing import Any, Dict, List

import pytest

from titanium_airflow_client import ApiClient, DAGRun, NotFoundException, XCom, XComApi, XComCollection, paginate

from .conftest import REPO_ROOT


def _dag_file_constants(path: Path) -> Dict[str, Any]:
    """The module-level literal assignments of a DAG file (it cannot be imported without Airflow)."""
    constants: Dict[str, Any] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            with contextlib.suppress(ValueError):  # not a literal
                constants[node.targets[0].id] = ast.literal_eval(node.value)
    return constants


_XCOM_DAG = _dag_file_constants(REPO_ROOT / "test" / "dags" / "tit_xcom.py")
XCOM_KEY: str = _XCOM_DAG["XCOM_KEY"]  # "titanium_dict"
XCOM_DICT: Dict[str, Any] = _XCOM_DAG["XCOM_DICT"]
RETURN_VALUE: str = _XCOM_DAG["RETURN_VALUE"]  # "titanium-return-value"
SQUARES = [1, 4, 9]


def run_id_of(run: DAGRun) -> str:
    assert run.dag_run_id is not None
    return run.dag_run_id


def keys(collection: XComCollection) -> List[str]:
    return sorted(entry.key for entry in collection.xcom_entries or [] if entry.key)


@pytest.fixture
def xcom_api(api_client: ApiClient) -> XComApi:
    return XComApi(api_client)


# --------------------------------------------------------------------------- get_xcom_entries


async def test_get_xcom_entries_of_push(xcom_api: XComApi, xcom_run: DAGRun) -> None:
    listed = await xcom_api.get_xcom_entries("tit_xcom", run_id_of(xcom_run), "push")
    assert listed.total_entries == 2 and keys(listed) == sorted(["return_value", XCOM_KEY])
    for entry in listed.xcom_entries or []:
        assert (entry.dag_id, entry.task_id, entry.map_index) == ("tit_xcom", "push", -1)
        assert entry.execution_date == xcom_run.logical_date
        assert entry.timestamp is not None and xcom_run.start_date is not None
        assert xcom_run.start_date <= entry.timestamp
        assert not isinstance(entry, XCom)  # a listing carries no values
    one = await xcom_api.get_xcom_entries("tit_xcom", run_id_of(xcom_run), "push", xcom_key=XCOM_KEY)
    assert keys(one) == [XCOM_KEY] and one.total_entries == 1


async def test_get_xcom_entries_with_wildcards(xcom_api: XComApi, xcom_run: DAGRun) -> None:
    run_id = run_id_of(xcom_run)
    any_dag_any_task = await xcom_api.get_xcom_entries("~", run_id, "~")  # run ids are unique: only ours
    assert keys(any_dag_any_task) == sorted(["return_value", XCOM_KEY])
    assert {(e.dag_id, e.task_id) for e in any_dag_any_task.xcom_entries or []} == {("tit_xcom", "push")}
    any_run = await xcom_api.get_xcom_entries("tit_xcom", "~", "push", xcom_key=XCOM_KEY, limit=100)
    assert {e.dag_id for e in any_run.xcom_entries or []} == {"tit_xcom"}
    assert xcom_run.logical_date in {e.execution_date for e in any_run.xcom_entries or []}
    everything = await xcom_api.get_xcom_entries("~", "~", "~", limit=1)
    assert len(everything.xcom_entries or []) == 1
    assert everything.total_entries is not None and any_run.total_entries is not None
    assert everything.total_entries > any_run.total_entries


async def test_paginate_xcom_entries_one_per_page(xcom_api: XComApi, mapped_run: DAGRun) -> None:
    paged = [
        (entry.key, entry.map_index)
        async for entry in paginate(xcom_api.get_xcom_entries)("~", run_id_of(mapped_run), "~", limit=1)
    ]
    assert sorted(paged) == [("return_value", 0), ("return_value", 1), ("return_value", 2)]


async def test_get_xcom_entries_of_a_mapped_task(xcom_api: XComApi, mapped_run: DAGRun) -> None:
    run_id = run_id_of(mapped_run)
    every_index = await xcom_api.get_xcom_entries("tit_mapped", run_id, "square")
    assert sorted(e.map_index for e in every_index.xcom_entries or []) == [0, 1, 2]
    one_index = await xcom_api.get_xcom_entries("tit_mapped", run_id, "square", map_index=2)
    assert [(e.key, e.map_index) for e in one_index.xcom_entries or []] == [("return_value", 2)]


# --------------------------------------------------------------------------- get_xcom_entry


async def test_get_xcom_entry_dict_value_with_stringify_false(xcom_api: XComApi, xcom_run: DAGRun) -> None:
    entry = await xcom_api.get_xcom_entry("tit_xcom", run_id_of(xcom_run), "push", XCOM_KEY, stringify=False)
    assert (entry.key, entry.task_id, entry.dag_id, entry.map_index) == (XCOM_KEY, "push", "tit_xcom", -1)
    assert entry.value == XCOM_DICT
    assert isinstance(entry.value, dict) and entry.value["text"] == "héllo ✓"
    deserialized = await xcom_api.get_xcom_entry(
        "tit_xcom", run_id_of(xcom_run), "push", XCOM_KEY, deserialize=True, stringify=False
    )
    assert deserialized.value == XCOM_DICT


async def test_get_xcom_entry_value_is_a_python_repr_by_default(xcom_api: XComApi, xcom_run: DAGRun) -> None:
    """As the spec's stringify (default true) says: str() of the value, here of a dict, not JSON."""
    for entry in (
        await xcom_api.get_xcom_entry("tit_xcom", run_id_of(xcom_run), "push", XCOM_KEY),
        await xcom_api.get_xcom_entry("tit_xcom", run_id_of(xcom_run), "push", XCOM_KEY, stringify=True),
    ):
        assert entry.value == str(XCOM_DICT)
        assert isinstance(entry.value, str) and ast.literal_eval(entry.value) == XCOM_DICT


async def test_get_xcom_entry_return_value(xcom_api: XComApi, xcom_run: DAGRun) -> None:
    run_id = run_id_of(xcom_run)
    for stringify in (None, True, False):
        entry = await xcom_api.get_xcom_entry("tit_xcom", run_id, "push", "return_value", stringify=stringify)
        assert entry.value == RETURN_VALUE


async def test_get_xcom_entry_of_each_map_index(xcom_api: XComApi, mapped_run: DAGRun) -> None:
    run_id = run_id_of(mapped_run)
    for index, square in enumerate(SQUARES):
        raw = await xcom_api.get_xcom_entry(
            "tit_mapped", run_id, "square", "return_value", map_index=index, stringify=False
        )
        assert raw.map_index == index and raw.value == square and type(raw.value) is int
        text = await xcom_api.get_xcom_entry("tit_mapped", run_id, "square", "return_value", map_index=index)
        assert text.value == str(square)
    with pytest.raises(NotFoundException):  # a mapped task's XCom needs its map_index
        await xcom_api.get_xcom_entry("tit_mapped", run_id, "square", "return_value")


async def test_get_xcom_entry_of_a_missing_key(xcom_api: XComApi, xcom_run: DAGRun) -> None:
    with pytest.raises(NotFoundException) as caught:
        await xcom_api.get_xcom_entry("tit_xcom", run_id_of(xcom_run), "push", "no_such_key")
    assert caught.value.problem is not None and caught.value.problem.title == "XCom entry not found"
