"""Every generated method sends exactly the request the spec describes, and returns its declared type.

The cases come from the generator (wire_cases.py), worked out from the spec apart from the
client's encoder; each runs against the recording server as the method and as its
``_with_http_info`` twin.
"""

from __future__ import annotations

from typing import Any, Dict
from urllib.parse import urlsplit

import pytest

import titanium_airflow_client
from titanium_airflow_client import ApiClient, ApiResponse

from .conftest import FakeAirflow
from .wire_cases import CASES


def _reply(fake_airflow: FakeAirflow, case: Dict[str, Any]) -> None:
    if case["returns"] is None:
        fake_airflow.reply(204)
    elif case["returns"] == "str":
        fake_airflow.reply(200, body="line one\nline two ä\n".encode(), content_type="text/plain")
    else:
        fake_airflow.reply(200, {})


def _check_result(case: Dict[str, Any], result: Any) -> None:
    if case["returns"] is None:
        assert result is None
    elif case["returns"] == "str":
        assert result == "line one\nline two ä\n"
    else:
        assert isinstance(result, getattr(titanium_airflow_client, case["returns"]))


@pytest.mark.parametrize("twin", [False, True], ids=["method", "http_info"])
@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
async def test_exact_request_and_result(
    fake_airflow: FakeAirflow, api_client: ApiClient, case: Dict[str, Any], twin: bool
) -> None:
    api = getattr(titanium_airflow_client, case["api"])(api_client)
    _reply(fake_airflow, case)
    result = await getattr(api, case["method"] + ("_with_http_info" if twin else ""))(**case["kwargs"])
    if twin:
        assert isinstance(result, ApiResponse)
        result = result.data
    _check_result(case, result)

    sent = fake_airflow.last
    prefix = urlsplit(fake_airflow.host).path
    assert sent.method == case["http_method"]
    assert sent.raw_path == prefix + case["path"]
    assert sent.headers["Accept"] == case["accept"]
    if case["body"] is None:
        assert sent.body == b""
        assert "Content-Type" not in sent.headers
    else:
        assert sent.json() == case["body"]
        assert sent.headers["Content-Type"] == "application/json"


def test_cases_cover_every_generated_method() -> None:
    covered = {(case["api"], case["method"]) for case in CASES}
    for api_name in titanium_airflow_client.api.__all__:
        api_class = getattr(titanium_airflow_client, api_name)
        for endpoint in api_class.endpoints:
            assert (api_name, endpoint.operation_id) in covered, f"{api_name}.{endpoint.operation_id}"
    assert len(covered) == sum(
        len(getattr(titanium_airflow_client, n).endpoints) for n in titanium_airflow_client.api.__all__
    )


PAGED = [
    (api_name, endpoint)
    for api_name in titanium_airflow_client.api.__all__
    for endpoint in getattr(titanium_airflow_client, api_name).endpoints
    if endpoint.paging is not None
]


@pytest.mark.parametrize(("api_name", "endpoint"), PAGED, ids=[f"{a}.{e.operation_id}" for a, e in PAGED])
async def test_paginate_walks_every_list_endpoint(
    fake_airflow: FakeAirflow, api_client: ApiClient, api_name: str, endpoint: Any
) -> None:
    paging = endpoint.paging
    case = next(c for c in CASES if (c["api"], c["method"]) == (api_name, endpoint.operation_id))
    kwargs = dict(case["kwargs"])
    if paging.form is not None:
        kwargs[paging.form] = {**kwargs[paging.form], paging.limit: 2, paging.offset: 0}
    elif paging.limit is not None:
        kwargs.update({paging.limit: 2, paging.offset: 0})
    fake_airflow.reply(200, {paging.items: [{}, {}], "total_entries": 3})
    fake_airflow.reply(200, {paging.items: [{}], "total_entries": 3})
    method = getattr(getattr(titanium_airflow_client, api_name)(api_client), endpoint.operation_id)
    items = [item async for item in titanium_airflow_client.paginate(method, prefetch=0)(**kwargs)]

    if paging.limit is None:  # answered in one page
        assert len(items) == 2 and len(fake_airflow.requests) == 1
        return
    assert len(items) == 3 and len(fake_airflow.requests) == 2
    if paging.form is not None:
        offsets = [request.json()[paging.offset] for request in fake_airflow.requests]
    else:
        offsets = [int(dict(request.query)[paging.offset]) for request in fake_airflow.requests]
    assert offsets == [0, 2]


def test_every_collection_answer_pages() -> None:
    """A method answering a ``…Collection`` is paginable, so no list endpoint is left out of paginate()."""
    for api_name in titanium_airflow_client.api.__all__:
        for endpoint in getattr(titanium_airflow_client, api_name).endpoints:
            returns = getattr(endpoint.returns, "__name__", "")
            if returns.endswith(("Collection", "CollectionSchema")) and returns != "ExtraLinkCollection":
                assert endpoint.paging is not None, f"{api_name}.{endpoint.operation_id}"
