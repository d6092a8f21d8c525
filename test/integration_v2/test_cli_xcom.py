"""``titanium-airflow xcom`` against the real Airflow 3.3: the XComs of new tit_xcom and tit_mapped runs,
listed and read (deserialized by the server), as tables and as JSON, and unknown ids as one error line."""

from __future__ import annotations

import asyncio
import json
import subprocess

from titanium_airflow_client import ApiClient
from titanium_airflow_client.v2 import ResponseGetXcomEntry, XComCollectionResponse

from ..cli_process import one_error_line, run_cli, table
from .conftest import ADMIN, BASE_URL
from .test_task_instance_api import triggered
from .test_xcom_api import RETURN_VALUE, XCOM_DICT, XCOM_KEY

LINK_KEY = "_link_TitaniumLink"  # the XCom Airflow 3 keeps for the task's extra link


async def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(run_cli, BASE_URL, *args, user=(ADMIN.username, ADMIN.password))


async def test_list_and_get_the_xcoms_of_a_run(v2_client: ApiClient) -> None:
    async with triggered(v2_client, "tit_xcom") as run_id:
        done = await cli("xcom", "list", "tit_xcom", run_id)
        assert done.returncode == 0 and done.stderr == "", done.stderr
        rows = table(done.stdout)
        assert rows[0] == ["TASK_ID", "MAP_INDEX", "KEY", "TIMESTAMP"]
        assert sorted(row[:3] for row in rows[1:]) == [
            ["push", "-1", LINK_KEY], ["push", "-1", "return_value"], ["push", "-1", XCOM_KEY]
        ]

        done = await cli("xcom", "list", "tit_xcom", run_id, "--task", "push", "--key", XCOM_KEY, "--json")
        assert done.returncode == 0 and done.stderr == ""
        listing = XComCollectionResponse.from_json(done.stdout)
        assert done.stdout == listing.to_json() + "\n" and listing.total_entries == 1
        assert [(entry.key, entry.run_id) for entry in listing.xcom_entries or []] == [(XCOM_KEY, run_id)]

        done = await cli("xcom", "get", "tit_xcom", run_id, "push", XCOM_KEY)
        assert done.returncode == 0 and json.loads(done.stdout) == XCOM_DICT  # the value, as JSON
        done = await cli("xcom", "get", "tit_xcom", run_id, "push", "return_value")
        assert (done.returncode, done.stdout) == (0, RETURN_VALUE + "\n")  # a string, as text
        done = await cli("xcom", "get", "tit_xcom", run_id, "push", XCOM_KEY, "--json")
        entry = ResponseGetXcomEntry.from_json(done.stdout).actual_instance
        assert done.returncode == 0 and entry is not None and (entry.key, entry.value) == (XCOM_KEY, XCOM_DICT)

        done = await cli("xcom", "get", "tit_xcom", run_id, "push", "no_such_key")
        assert done.returncode == 2 and "no_such_key" in one_error_line(done) and "(HTTP 404)" in done.stderr
        done = await cli("xcom", "list", "tit_xcom", run_id, "--task", "no_such_task")
        assert done.returncode == 2 and "no_such_task" in one_error_line(done)
        done = await cli("xcom", "list", "tit_xcom", run_id, "--key", "no_such_key")
        assert (done.returncode, done.stdout, done.stderr) == (0, "", "no XComs match\n")


async def test_the_xcoms_of_a_mapped_task_page_by_page_and_by_map_index(v2_client: ApiClient) -> None:
    async with triggered(v2_client, "tit_mapped") as run_id:
        done = await cli("xcom", "list", "~", run_id, "--all", "--limit", "1")
        assert done.returncode == 0 and done.stderr == "", done.stderr
        rows = table(done.stdout)
        assert rows[0] == ["DAG_ID", "TASK_ID", "MAP_INDEX", "KEY", "TIMESTAMP"]
        assert sorted(row[:4] for row in rows[1:]) == [
            ["tit_mapped", "square", str(i), "return_value"] for i in range(3)
        ]
        done = await cli("xcom", "get", "tit_mapped", run_id, "square", "return_value", "--map-index", "1")
        assert (done.returncode, done.stdout) == (0, "4\n")


async def test_an_unknown_run_or_dag_is_one_error_line_naming_it() -> None:
    done = await cli("xcom", "list", "tit_xcom", "no_such_run")
    assert done.returncode == 2 and "no_such_run" in one_error_line(done) and "(HTTP 404)" in done.stderr
    done = await cli("xcom", "list", "no_such_dag", "~")
    assert done.returncode == 2 and "no_such_dag" in one_error_line(done)
