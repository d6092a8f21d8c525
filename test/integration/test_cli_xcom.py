"""``titanium-airflow xcom`` against the real Airflow 2.11: the XComs tit_xcom and tit_mapped pushed, listed
and read, as tables and as JSON, and unknown ids as one error line with exit 2."""

from __future__ import annotations

import json
import subprocess

from titanium_airflow_client import DAGRun, XCom, XComCollection

from ..cli_process import one_error_line, run_cli, table
from .conftest import ADMIN, API_URL
from .test_xcom_api import RETURN_VALUE, XCOM_DICT, XCOM_KEY, run_id_of


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(API_URL, *args, user=ADMIN)


def test_list_and_get_the_xcoms_of_a_run(xcom_run: DAGRun) -> None:
    run_id = run_id_of(xcom_run)
    done = cli("xcom", "list", "tit_xcom", run_id)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    rows = table(done.stdout)
    assert rows[0] == ["TASK_ID", "MAP_INDEX", "KEY", "TIMESTAMP"]
    assert sorted(row[:3] for row in rows[1:]) == [["push", "-1", "return_value"], ["push", "-1", XCOM_KEY]]

    done = cli("xcom", "list", "tit_xcom", run_id, "--task", "push", "--key", XCOM_KEY, "--json")
    assert done.returncode == 0 and done.stderr == ""
    listing = XComCollection.from_json(done.stdout)
    assert done.stdout == listing.to_json() + "\n" and listing.total_entries == 1
    assert [entry.key for entry in listing.xcom_entries or []] == [XCOM_KEY]

    done = cli("xcom", "get", "tit_xcom", run_id, "push", XCOM_KEY)
    assert done.returncode == 0 and json.loads(done.stdout) == XCOM_DICT  # the value, as JSON
    done = cli("xcom", "get", "tit_xcom", run_id, "push", "return_value")
    assert (done.returncode, done.stdout) == (0, RETURN_VALUE + "\n")  # a string, as text
    done = cli("xcom", "get", "tit_xcom", run_id, "push", XCOM_KEY, "--json")
    entry = XCom.from_json(done.stdout)
    assert done.returncode == 0 and (entry.key, entry.task_id, entry.value) == (XCOM_KEY, "push", XCOM_DICT)


def test_the_xcoms_of_a_mapped_task_page_by_page_and_by_map_index(mapped_run: DAGRun) -> None:
    run_id = run_id_of(mapped_run)
    done = cli("xcom", "list", "~", run_id, "--all", "--limit", "1")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    rows = table(done.stdout)
    assert rows[0] == ["DAG_ID", "TASK_ID", "MAP_INDEX", "KEY", "TIMESTAMP"]
    assert sorted(row[:4] for row in rows[1:]) == [["tit_mapped", "square", str(i), "return_value"] for i in range(3)]
    done = cli("xcom", "get", "tit_mapped", run_id, "square", "return_value", "--map-index", "1")
    assert (done.returncode, done.stdout) == (0, "4\n")
    done = cli("xcom", "get", "tit_mapped", run_id, "square", "return_value")  # no map index: not found
    assert done.returncode == 2 and "XCom entry not found (HTTP 404)" in one_error_line(done)


def test_unknown_ids_are_one_error_line_naming_them(xcom_run: DAGRun) -> None:
    run_id = run_id_of(xcom_run)
    done = cli("xcom", "get", "tit_xcom", run_id, "push", "no_such_key")
    assert done.returncode == 2 and "XCom no_such_key of task push of run " in one_error_line(done)
    done = cli("xcom", "list", "tit_xcom", "no_such_run")
    assert done.returncode == 2 and "no_such_run" in one_error_line(done) and "(HTTP 404)" in done.stderr
    done = cli("xcom", "list", "no_such_dag", "~")
    assert done.returncode == 2 and "no_such_dag" in one_error_line(done)
    done = cli("xcom", "list", "tit_xcom", run_id, "--task", "no_such_task")
    assert done.returncode == 2 and "task no_such_task" in one_error_line(done)
    done = cli("xcom", "list", "tit_xcom", run_id, "--key", "no_such_key")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "no XComs match\n")
