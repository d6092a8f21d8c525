"""What Airflow 2.9.3 lacks, taken from the generated ``since=`` data (test/version_marks.py), so none is missed:

- the client refuses each addition with ApiVersionError before sending, knowing the version from the server
  (``GET /version``, asked once) or from ``Configuration.server_version``;
- the data is true: sent anyway (the client told the server is newer), the server answers each as something it
  lacks (404/405 for an operation, 400 "Extra query parameter" for a parameter), and its own spec
  (``/api/v1/openapi.yaml``) has none of them, while it has every operation and parameter not marked.
"""

from __future__ import annotations

import urllib.request
from typing import Any, Dict, List, Set

import pytest
import yaml

from titanium_airflow_client import ApiClient, ApiException, ApiVersionError, DAGApi, DAGRun

from ..version_marks import (
    Addition,
    ServedRoutes,
    additions,
    call_arguments,
    route_of,
    served_additions,
    unmarked_but_not_served,
)
from .conftest import AIRFLOW_VERSION, API_URL, client_29

ADDITIONS = additions("titanium_airflow_client.api")
CLOSED_PORT_URL = "http://127.0.0.1:9/api/v1"  # the discard port: nothing listens, nothing may be sent


def ids(addition: Addition) -> str:
    return addition.label


@pytest.fixture
async def real_path_values(client: ApiClient, bash_run: DAGRun) -> Dict[str, Any]:
    """Path fields of real objects (a finished tit_bash run), so a 404 comes from the route, not the object."""
    assert bash_run.dag_run_id is not None
    file_token = (await DAGApi(client).get_dag("tit_bash")).file_token
    assert file_token
    return {
        "dag_id": "tit_bash",
        "dag_run_id": bash_run.dag_run_id,
        "task_id": "hello",
        "map_index": -1,
        "task_try_number": 1,
        "xcom_key": "return_value",  # what hello's BashOperator pushed
        "file_token": file_token,
    }


def test_the_additions_of_2_10_and_2_11_are_known() -> None:
    labels = {addition.label for addition in ADDITIONS}
    assert {"get_dag_stats()", "reparse_dag_file()", "get_xcom_entry(stringify=...)"} <= labels
    assert {addition.since for addition in ADDITIONS} <= {"2.10", "2.11"}


@pytest.mark.parametrize("addition", ADDITIONS, ids=ids)
async def test_each_addition_is_refused_before_sending(addition: Addition, real_path_values: Dict[str, Any]) -> None:
    async with client_29() as learning:  # learns the version from the server: GET /version
        with pytest.raises(ApiVersionError) as refused:
            await learning.call(addition.endpoint, call_arguments(addition, real_path_values))
    error = refused.value
    assert (error.operation, error.needed, error.server_version) == (
        addition.endpoint.operation_id,
        addition.since,
        AIRFLOW_VERSION,
    )
    assert addition.label in str(error) and "GET version" in str(error) and "nothing was sent" in str(error)

    # Told the version, the client sends nothing at all: a host where nothing listens gives the same error.
    async with client_29(host=CLOSED_PORT_URL, server_version=AIRFLOW_VERSION, retries=0) as told:
        with pytest.raises(ApiVersionError, match=r"Configuration\.server_version"):
            await told.call(addition.endpoint, call_arguments(addition, real_path_values))


@pytest.mark.parametrize("addition", ADDITIONS, ids=ids)
async def test_sent_anyway_the_server_answers_each_addition_as_missing(
    addition: Addition, real_path_values: Dict[str, Any]
) -> None:
    async with client_29(server_version="2.11.2") as misinformed:  # so the client sends it
        with pytest.raises(ApiException) as answered:
            await misinformed.call(addition.endpoint, call_arguments(addition, real_path_values))
    error = answered.value
    if addition.query is None:
        assert error.status in (404, 405), f"{addition.label}: {error.status} {error.body!r}"
    else:
        assert error.status == 400, f"{addition.label}: {error.status} {error.body!r}"
        assert f"Extra query parameter(s) {addition.query.name} not in spec" in str(error.body)


# --------------------------------------------------------------------------- the server's own spec


@pytest.fixture(scope="module")
def served_spec(airflow29_server: str) -> ServedRoutes:
    """(method, path with ``{}`` fields) -> query parameter names, from 2.9.3's ``/api/v1/openapi.yaml``."""
    with urllib.request.urlopen(API_URL + "/openapi.yaml", timeout=30) as response:
        spec = yaml.safe_load(response.read())
    shared = spec["components"]["parameters"]

    def names(parameters: List[Dict[str, Any]]) -> Set[str]:
        found = set()
        for parameter in parameters:
            if "$ref" in parameter:
                parameter = shared[parameter["$ref"].rsplit("/", 1)[1]]
            if parameter["in"] == "query":
                found.add(parameter["name"])
        return found

    routes: ServedRoutes = {}
    for path, item in spec["paths"].items():
        common = item.get("parameters", [])
        for method, operation in item.items():
            if method != "parameters":
                routes[(method, route_of(path))] = names(common) | names(operation.get("parameters", []))
    return routes


def test_the_served_spec_lacks_each_addition(served_spec: ServedRoutes) -> None:
    present = served_additions(ADDITIONS, served_spec)
    assert present == [], f"marked newer than {AIRFLOW_VERSION}, yet served by it"


def test_the_served_spec_has_everything_not_marked(served_spec: ServedRoutes) -> None:
    missing = unmarked_but_not_served("titanium_airflow_client.api", served_spec)
    assert missing == [], f"not marked newer than {AIRFLOW_VERSION}, yet not served by it"
