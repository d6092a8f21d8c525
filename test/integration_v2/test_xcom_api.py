"""XComs through titanium_airflow_client.v2 against the local Airflow 3.3: the entries tit_xcom's task pushed
(listed, filtered, read native, deserialized and stringified), the return values of tit_mapped's instances
by map index, and an entry of our own created, read, updated and deleted (then 404)."""

from __future__ import annotations

import ast
import uuid
from typing import Any, Union

import pytest

from titanium_airflow_client import ApiClient, ConflictException, NotFoundException
from titanium_airflow_client.v2 import (
    XComApi,
    XComCreateBody,
    XComResponseNative,
    XComResponseString,
    XComUpdateBody,
)

from .test_task_instance_api import triggered

pytestmark = pytest.mark.integration

# What test/dags3/tit_xcom.py pushes (that file imports the plugin of test/plugins3, so it is not imported here).
XCOM_KEY = "titanium_dict"
XCOM_DICT = {"answer": 42, "items": [1, "two", 3.5, None, True], "nested": {"ok": True}, "text": "héllo ✓"}
RETURN_VALUE = "titanium-return-value"
XComEntry = Union[XComResponseNative, XComResponseString]


async def entry(xcoms: XComApi, dag_id: str, task_id: str, dag_run_id: str, key: str, **query: Any) -> XComEntry:
    """get_xcom_entry's answer, unwrapped from its union (native or string value)."""
    answer = (await xcoms.get_xcom_entry(dag_id, task_id, dag_run_id, key, **query)).actual_instance
    assert isinstance(answer, (XComResponseNative, XComResponseString)) and answer.key == key
    return answer


async def test_read_the_xcoms_a_task_pushed(v2_client: ApiClient) -> None:
    xcoms = XComApi(v2_client)
    async with triggered(v2_client, "tit_xcom") as dag_run_id:
        listing = await xcoms.get_xcom_entries("tit_xcom", dag_run_id, "push")
        keys = [entry.key for entry in listing.xcom_entries or []]
        assert {XCOM_KEY, "return_value"} <= set(keys)  # and the extra link's own "_link_TitaniumLink"
        assert all(
            (entry.dag_id, entry.run_id, entry.task_id, entry.map_index) == ("tit_xcom", dag_run_id, "push", -1)
            for entry in listing.xcom_entries or []
        )
        only = await xcoms.get_xcom_entries("tit_xcom", dag_run_id, "push", xcom_key=XCOM_KEY)
        assert [entry.key for entry in only.xcom_entries or []] == [XCOM_KEY] and only.total_entries == 1

        native = await entry(xcoms, "tit_xcom", "push", dag_run_id, XCOM_KEY)
        assert isinstance(native, XComResponseNative)
        assert (native.key, native.value) == (XCOM_KEY, XCOM_DICT)
        deserialized = (await entry(xcoms, "tit_xcom", "push", dag_run_id, XCOM_KEY, deserialize=True)).value
        assert deserialized == XCOM_DICT
        # stringify: the value as Python's str() of it (keys in the database's order, so compared parsed back).
        text = (await entry(xcoms, "tit_xcom", "push", dag_run_id, XCOM_KEY, stringify=True)).value
        assert isinstance(text, str) and ast.literal_eval(text) == XCOM_DICT
        returned = await entry(xcoms, "tit_xcom", "push", dag_run_id, "return_value")
        assert returned.value == RETURN_VALUE

        with pytest.raises(NotFoundException):
            await xcoms.get_xcom_entry("tit_xcom", "push", dag_run_id, "no_such_key")


async def test_return_values_of_mapped_instances_by_map_index(v2_client: ApiClient) -> None:
    xcoms = XComApi(v2_client)
    async with triggered(v2_client, "tit_mapped") as dag_run_id:
        listing = await xcoms.get_xcom_entries("tit_mapped", dag_run_id, "square", xcom_key="return_value")
        assert sorted(entry.map_index for entry in listing.xcom_entries or []) == [0, 1, 2]
        one = await xcoms.get_xcom_entries("tit_mapped", dag_run_id, "square", map_index=1)
        assert [(entry.key, entry.map_index) for entry in one.xcom_entries or []] == [("return_value", 1)]
        values = [
            (await entry(xcoms, "tit_mapped", "square", dag_run_id, "return_value", map_index=index)).value
            for index in (0, 1, 2)
        ]
        assert values == [1, 4, 9]


async def test_create_read_update_and_delete_an_xcom_entry(v2_client: ApiClient) -> None:
    xcoms = XComApi(v2_client)
    key = f"ti_suite_{uuid.uuid4().hex[:8]}"
    async with triggered(v2_client, "tit_xcom") as dag_run_id:
        created = await xcoms.create_xcom_entry(
            "tit_xcom", "push", dag_run_id, XComCreateBody(key=key, value={"rows": [1, 2], "ok": True})
        )
        assert isinstance(created, XComResponseNative)
        assert (created.key, created.value, created.run_id, created.map_index) == (
            key,
            {"rows": [1, 2], "ok": True},
            dag_run_id,
            -1,
        )
        try:
            read = await entry(xcoms, "tit_xcom", "push", dag_run_id, key)
            assert read.value == {"rows": [1, 2], "ok": True}
            with pytest.raises(ConflictException):  # the key exists already
                await xcoms.create_xcom_entry("tit_xcom", "push", dag_run_id, {"key": key, "value": 0})

            updated = await xcoms.update_xcom_entry("tit_xcom", "push", dag_run_id, key, XComUpdateBody(value="v2"))
            assert (updated.key, updated.value) == (key, "v2")
            assert (await entry(xcoms, "tit_xcom", "push", dag_run_id, key)).value == "v2"
            listed = await xcoms.get_xcom_entries("tit_xcom", dag_run_id, "push", xcom_key=key)
            assert [entry.key for entry in listed.xcom_entries or []] == [key]
        finally:
            assert await xcoms.delete_xcom_entry("tit_xcom", "push", dag_run_id, key) is None
        with pytest.raises(NotFoundException):
            await xcoms.get_xcom_entry("tit_xcom", "push", dag_run_id, key)
        with pytest.raises(NotFoundException):
            await xcoms.update_xcom_entry("tit_xcom", "push", dag_run_id, key, {"value": 1})
