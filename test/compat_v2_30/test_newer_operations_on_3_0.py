"""What Airflow 3.0.6 lacks, taken from the generated ``since=`` data (test/version_marks.py), so none is missed:

- the client refuses each addition with ApiVersionError before sending, knowing the version from the server
  (``GET /api/v2/version``, asked once) or from ``Configuration.server_version``;
- the data is true: sent anyway (the client told the server is newer), the server answers each operation as
  one it lacks (404/405/422), and ignores each parameter (the same answer as without it: the reason to refuse them
  before sending, as a filter would silently not apply); its own spec (``/openapi.json``) has none of them, while it has
  every operation and parameter not marked.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any, Dict, Tuple

import pytest

from titanium_airflow_client import ApiClient, ApiException, ApiVersionError
from titanium_airflow_client.v2 import DAGRunResponse

from ..version_marks import (
    Addition,
    ServedRoutes,
    additions,
    call_arguments,
    route_of,
    served_additions,
    unmarked_but_not_served,
)
from .conftest import AIRFLOW_VERSION, BASE_URL, client_30

ADDITIONS = additions("titanium_airflow_client.v2.api")
CLOSED_PORT_URL = "http://127.0.0.1:9"  # the discard port: nothing listens, nothing may be sent


def ids(addition: Addition) -> str:
    return addition.label


@pytest.fixture
def real_path_values(bash_run: DAGRunResponse) -> Dict[str, Any]:
    """Path fields of real objects (a finished tit_bash run), so a 404 comes from the route, not the object."""
    return {
        "dag_id": "tit_bash",
        "dag_run_id": bash_run.dag_run_id,
        "task_id": "hello",
        "map_index": -1,
        "try_number": 1,
        "xcom_key": "return_value",  # what hello's BashOperator pushed
        "asset_id": 1,
        "key": "tit",
        "group_id": "tit",
    }


def test_the_additions_of_3_1_to_3_3_are_known() -> None:
    labels = {addition.label for addition in ADDITIONS}
    assert {"wait_dag_run_until_finished()", "get_dag_runs(cursor=...)", "delete_xcom_entry()"} <= labels
    assert {addition.since for addition in ADDITIONS} <= {"3.1", "3.2", "3.3"}


async def call(client: ApiClient, addition: Addition, path_values: Dict[str, Any]) -> Any:
    """One call using ``addition``; a stream is read to its end."""
    arguments = call_arguments(addition, path_values)
    if addition.endpoint.accept == "application/x-ndjson":
        return [line async for line in client.stream(addition.endpoint, arguments)]
    return await client.call(addition.endpoint, arguments)


@pytest.mark.parametrize("addition", ADDITIONS, ids=ids)
async def test_each_addition_is_refused_before_sending(addition: Addition, real_path_values: Dict[str, Any]) -> None:
    async with client_30() as learning:  # learns the version from the server: GET /api/v2/version
        with pytest.raises(ApiVersionError) as refused:
            await call(learning, addition, real_path_values)
    error = refused.value
    assert (error.operation, error.needed, error.server_version) == (
        addition.endpoint.operation_id,
        addition.since,
        AIRFLOW_VERSION,
    )
    assert addition.label in str(error) and "GET version" in str(error) and "nothing was sent" in str(error)

    # Told the version, the client sends nothing at all (not even a login): nothing listens on that host.
    async with client_30(host=CLOSED_PORT_URL, server_version=AIRFLOW_VERSION, retries=0) as told:
        with pytest.raises(ApiVersionError, match=r"Configuration\.server_version"):
            await call(told, addition, real_path_values)


# Sent anyway: each operation, and each parameter of a read. A parameter of a write the server ignores would
# widen the write (patch_dags(dag_id_prefix_pattern=...) would patch every DAG): the served spec proves those.
SAFE_TO_SEND = [addition for addition in ADDITIONS if addition.query is None or addition.endpoint.method == "GET"]


@pytest.mark.parametrize("addition", SAFE_TO_SEND, ids=ids)
async def test_sent_anyway_the_server_lacks_each_addition(addition: Addition, real_path_values: Dict[str, Any]) -> None:
    async with client_30(server_version="3.3.2") as misinformed:  # so the client sends it
        if addition.query is None:
            with pytest.raises(ApiException) as answered:
                await call(misinformed, addition, real_path_values)
            error = answered.value
            # 422: the path parses as an older route's, e.g. .../taskInstances/{task_id}/{map_index} with
            # map_index "state-store"
            assert error.status in (404, 405, 422), f"{addition.label}: {error.status} {error.body!r}"
        else:  # the server ignores it: the same answer as without it
            with_it = await outcome(misinformed, addition, real_path_values)
            without = await outcome(misinformed, Addition(addition.endpoint, None), real_path_values)
            assert with_it == without, f"{addition.label}: {with_it} != {without}"


async def outcome(client: ApiClient, addition: Addition, path_values: Dict[str, Any]) -> Tuple[int, str]:
    """(status, detail) of a call: (200, "") when it succeeded."""
    try:
        await call(client, addition, path_values)
    except ApiException as error:
        return error.status or 0, str(error.body)
    return 200, ""


# --------------------------------------------------------------------------- the server's own spec


@pytest.fixture(scope="module")
def served_spec(airflow30_server: str) -> ServedRoutes:
    """(method, path with ``{}`` fields) -> query parameter names, from 3.0.6's ``/openapi.json``."""
    with urllib.request.urlopen(BASE_URL + "/openapi.json", timeout=30) as response:
        spec = json.loads(response.read())
    routes: ServedRoutes = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            names = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
            routes[(method, route_of(path))] = names
    return routes


def test_the_served_spec_lacks_each_addition(served_spec: ServedRoutes) -> None:
    present = served_additions(ADDITIONS, served_spec)
    assert present == [], f"marked newer than {AIRFLOW_VERSION}, yet served by it"


def test_the_served_spec_has_everything_not_marked(served_spec: ServedRoutes) -> None:
    missing = unmarked_but_not_served("titanium_airflow_client.v2.api", served_spec)
    assert missing == [], f"not marked newer than {AIRFLOW_VERSION}, yet not served by it"
