"""Every generated method, of both APIs, sends exactly the request the spec describes, and returns its declared type.

The cases come from the generator (wire_cases.py for v1, wire_cases_v2.py for v2), worked out from the
spec apart from the client's encoder; each runs against the recording server as the method and as its
``_with_http_info`` twin (the NDJSON streams have none: they are iterated).
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, AsyncIterator, Dict, List, Tuple
from urllib.parse import urlsplit

import pytest

import titanium_airflow_client
import titanium_airflow_client.v2
from titanium_airflow_client import ApiClient, ApiResponse, Configuration

from .conftest import FakeAirflow
from .wire_cases import CASES as V1_CASES
from .wire_cases_v2 import CASES as V2_CASES

# Generation → (its package, its cases). v2's host is the server root, and its calls carry a Bearer token.
GENERATIONS: Dict[str, Tuple[ModuleType, List[Dict[str, Any]]]] = {
    "v1": (titanium_airflow_client, V1_CASES),
    "v2": (titanium_airflow_client.v2, V2_CASES),
}
CASES = [(generation, case) for generation, (_, cases) in GENERATIONS.items() for case in cases]
V2_TOKEN = "wire-test-token"


@pytest.fixture
async def clients(fake_airflow: FakeAirflow, api_client: ApiClient) -> AsyncIterator[Dict[str, ApiClient]]:
    # The servers' versions are given: each case is one request (test_server_version.py covers asking).
    api_client.configuration.server_version = "2.11.2"
    root = fake_airflow.host.rsplit("/api/v1", 1)[0]
    configuration = Configuration(host=root, access_token=V2_TOKEN, retries=0, server_version="3.3.2")
    async with ApiClient(configuration) as v2_client:
        yield {"v1": api_client, "v2": v2_client}


def _reply(fake_airflow: FakeAirflow, case: Dict[str, Any]) -> None:
    if case["accept"] == "application/x-ndjson":
        fake_airflow.reply(200, body=b'{}\n{"k": 1}\n', content_type="application/x-ndjson")
    elif case["returns"] is None:
        fake_airflow.reply(204)
    elif case["returns"] == "str":
        fake_airflow.reply(200, body="line one\nline two ä\n".encode(), content_type="text/plain")
    else:
        fake_airflow.reply(200, {})


def _check_result(package: ModuleType, case: Dict[str, Any], result: Any) -> None:
    if case["accept"] == "application/x-ndjson":
        assert [type(item) for item in result] == [getattr(package, case["returns"])] * 2
        assert result[1].to_dict() == {"k": 1}
    elif case["returns"] is None:
        assert result is None
    elif case["returns"] == "str":
        assert result == "line one\nline two ä\n"
    else:
        assert isinstance(result, getattr(package, case["returns"]))


@pytest.mark.parametrize("twin", [False, True], ids=["method", "http_info"])
@pytest.mark.parametrize(("generation", "case"), CASES, ids=[f"{g}.{case['id']}" for g, case in CASES])
async def test_exact_request_and_result(
    fake_airflow: FakeAirflow, clients: Dict[str, ApiClient], generation: str, case: Dict[str, Any], twin: bool
) -> None:
    package = GENERATIONS[generation][0]
    api = getattr(package, case["api"])(clients[generation])
    streams = case["accept"] == "application/x-ndjson"
    if twin and streams:
        assert not hasattr(api, case["method"] + "_with_http_info")
        return
    _reply(fake_airflow, case)
    if streams:
        result: Any = [item async for item in getattr(api, case["method"])(**case["kwargs"])]
    else:
        result = await getattr(api, case["method"] + ("_with_http_info" if twin else ""))(**case["kwargs"])
    if twin:
        assert isinstance(result, ApiResponse)
        result = result.data
    _check_result(package, case, result)

    sent = fake_airflow.last
    prefix = urlsplit(clients[generation].configuration.host).path
    assert sent.method == case["http_method"]
    assert sent.raw_path == prefix + case["path"]
    assert sent.headers["Accept"] == case["accept"]
    for name, value in case.get("headers", {}).items():
        assert sent.headers[name] == value
    if generation == "v2":  # v2's open endpoints (auth="none": version, health, login) carry no credentials
        endpoint = next(e for e in type(api).endpoints if e.operation_id == case["method"])
        assert sent.headers.get("Authorization") == (None if endpoint.auth == "none" else f"Bearer {V2_TOKEN}")
    if case["body"] is None:
        assert sent.body == b""
        assert "Content-Type" not in sent.headers
    else:
        assert sent.json() == case["body"]
        assert sent.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("generation", GENERATIONS)
def test_cases_cover_every_generated_method(generation: str) -> None:
    package, cases = GENERATIONS[generation]
    covered = {(case["api"], case["method"]) for case in cases}
    for api_name in package.api.__all__:
        api_class = getattr(package, api_name)
        for endpoint in api_class.endpoints:
            assert (api_name, endpoint.operation_id) in covered, f"{api_name}.{endpoint.operation_id}"
    assert len(covered) == sum(len(getattr(package, n).endpoints) for n in package.api.__all__)


PAGED = [
    (generation, api_name, endpoint)
    for generation, (package, _) in GENERATIONS.items()
    for api_name in package.api.__all__
    for endpoint in getattr(package, api_name).endpoints
    if endpoint.paging is not None
]


@pytest.mark.parametrize(
    ("generation", "api_name", "endpoint"), PAGED, ids=[f"{g}.{a}.{e.operation_id}" for g, a, e in PAGED]
)
async def test_paginate_walks_every_list_endpoint(
    fake_airflow: FakeAirflow, clients: Dict[str, ApiClient], generation: str, api_name: str, endpoint: Any
) -> None:
    package, cases = GENERATIONS[generation]
    paging = endpoint.paging
    case = next(c for c in cases if (c["api"], c["method"]) == (api_name, endpoint.operation_id))
    kwargs = dict(case["kwargs"])
    if paging.form is not None:
        kwargs[paging.form] = {**kwargs[paging.form], paging.limit: 2, paging.offset: 0}
    elif paging.limit is not None:
        kwargs.update({paging.limit: 2, paging.offset: 0})
    item: Any = "x" if paging.items == "tags" and generation == "v2" else {}  # v2's DAG tags are plain names
    if paging.cursor is not None:
        kwargs.pop(paging.cursor, None)
        fake_airflow.reply(200, {paging.items: [item, item], "total_entries": 3, "next_cursor": "c2"})
        fake_airflow.reply(200, {paging.items: [item], "total_entries": 3, "next_cursor": None})
    else:
        fake_airflow.reply(200, {paging.items: [item, item], "total_entries": 3})
        fake_airflow.reply(200, {paging.items: [item], "total_entries": 3})
    method = getattr(getattr(package, api_name)(clients[generation]), endpoint.operation_id)
    items = [item async for item in titanium_airflow_client.paginate(method, prefetch=0)(**kwargs)]

    if paging.limit is None:  # answered in one page
        assert len(items) == 2 and len(fake_airflow.requests) == 1
        return
    assert len(items) == 3 and len(fake_airflow.requests) == 2
    if paging.cursor is not None:  # the first page asks with an empty cursor, then with the one the answer gave
        cursors = [dict(request.query)[paging.cursor] for request in fake_airflow.requests]
        assert cursors == ["", "c2"]
        return
    if paging.form is not None:
        offsets = [request.json()[paging.offset] for request in fake_airflow.requests]
    else:
        offsets = [int(dict(request.query)[paging.offset]) for request in fake_airflow.requests]
    assert offsets == [0, 2]


@pytest.mark.parametrize("generation", GENERATIONS)
def test_every_collection_answer_pages(generation: str) -> None:
    """A method answering a collection with ``total_entries`` is paginable, so no list endpoint is left out of
    paginate() (the extra links come whole: a map of links, not a list)."""
    package = GENERATIONS[generation][0]
    for api_name in package.api.__all__:
        for endpoint in getattr(package, api_name).endpoints:
            fields = getattr(endpoint.returns, "model_fields", {})
            whole = getattr(endpoint.returns, "__name__", "").startswith("ExtraLink")  # a map of links, not a list
            if "total_entries" in fields and endpoint.accept == "application/json" and not whole:
                assert endpoint.paging is not None, f"{api_name}.{endpoint.operation_id}"


async def test_a_callers_accept_reaches_the_wire(fake_airflow: FakeAirflow, clients: Dict[str, ApiClient]) -> None:
    config = titanium_airflow_client.v2.ConfigApi(clients["v2"])
    fake_airflow.reply(200, {"sections": []})
    assert isinstance(await config.get_config(accept="application/json"), titanium_airflow_client.v2.Config)
    assert fake_airflow.last.headers["Accept"] == "application/json"
    fake_airflow.reply(200, {"sections": []})
    await config.get_config(_headers={"Accept": "*/*"})
    assert fake_airflow.last.headers["Accept"] == "*/*"
