"""detect_server(): which API a server serves, against fake Airflow 2 and Airflow 3 servers."""

from __future__ import annotations

import asyncio
import base64
import json
import socket
from typing import Callable, Dict, Optional

import pytest

from titanium_airflow_client import ApiConnectionError, ApiException, ApiValueError, Configuration
from titanium_airflow_client.detect import ServerInfo, detect_server, server_root
from titanium_airflow_client.sync.detect import detect_server as blocking_detect_server

from .conftest import FakeAirflow, Recorded, Reply
from .v2_api import PASSWORD, USERNAME, Airflow3Auth, airflow3, root_of

NOT_FOUND_V2 = Reply(404, b'{"detail": "Not Found"}')
NOT_FOUND_V1 = Reply(404, b"<!doctype html><title>404 Not Found</title>", "text/html")
BASIC = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()


def airflow2(*, version_needs_auth: bool = False) -> Callable[[Recorded], Reply]:
    """Airflow 2's webserver: /api/v1 with HTTP Basic, nothing at /api/v2."""

    def respond(request: Recorded) -> Reply:
        if not request.path.startswith("/api/v1/"):
            return NOT_FOUND_V1
        if version_needs_auth and request.headers.get("Authorization") != BASIC:
            problem = {"title": "Unauthorized", "status": 401, "detail": "No credentials", "type": "x"}
            return Reply(401, json.dumps(problem).encode(), "application/problem+json")
        if request.path == "/api/v1/version":
            return Reply(body=b'{"version": "2.11.0", "git_version": null}')
        return NOT_FOUND_V1

    return respond


def airflow3_server(auth: Optional[Airflow3Auth] = None) -> Callable[[Recorded], Reply]:
    inner = airflow3(auth or Airflow3Auth())

    def respond(request: Recorded) -> Reply:
        if request.path.startswith("/api/v1/"):
            return NOT_FOUND_V2
        return inner(request)

    return respond


async def test_airflow_3_is_v2_with_its_version_and_no_credentials(fake_airflow: FakeAirflow) -> None:
    fake_airflow.responder = airflow3_server()
    root = root_of(fake_airflow.host)
    info = await detect_server(root)
    assert info == ServerInfo(api="v2", version="3.3.2", base_url=root)
    assert info.host == root
    assert [r.path for r in fake_airflow.requests] == ["/api/v2/version"]
    assert "Authorization" not in fake_airflow.last.headers


@pytest.mark.parametrize("suffix", ["", "/", "/api/v1", "/api/v2", "/api/v2/"])
async def test_airflow_2_is_v1_and_any_api_url_is_taken_to_the_root(fake_airflow: FakeAirflow, suffix: str) -> None:
    fake_airflow.responder = airflow2()
    root = root_of(fake_airflow.host)
    info = await detect_server(root + suffix)
    assert (info.api, info.version, info.base_url, info.host) == ("v1", "2.11.0", root, root + "/api/v1")
    assert [r.path for r in fake_airflow.requests] == ["/api/v2/version", "/api/v1/version"]


async def test_a_v1_that_wants_credentials_is_still_v1(fake_airflow: FakeAirflow) -> None:
    fake_airflow.responder = airflow2(version_needs_auth=True)
    root = root_of(fake_airflow.host)
    assert await detect_server(root) == ServerInfo("v1", None, root)
    configuration = Configuration(username=USERNAME, password=PASSWORD, retries=0)
    assert await detect_server(root, configuration=configuration) == ServerInfo("v1", "2.11.0", root)
    assert configuration.host == "http://localhost:8080/api/v1"  # the caller's configuration is not changed
    assert fake_airflow.last.headers["Authorization"] == BASIC


async def test_a_v2_behind_a_gateway_is_asked_again_with_the_token(fake_airflow: FakeAirflow) -> None:
    gateway_token = "gw-token"

    def gateway(request: Recorded) -> Reply:
        if request.headers.get("Authorization") != f"Bearer {gateway_token}":
            return Reply(401, b'{"detail": "gateway: sign in"}')
        return airflow3_server()(request)

    async def provider() -> str:
        return gateway_token

    fake_airflow.responder = gateway
    root = root_of(fake_airflow.host)
    with pytest.raises(ApiException, match="both APIs refused to say without credentials"):
        await detect_server(root)  # the gateway guards every path: which API is behind it cannot be told
    fake_airflow.requests.clear()
    info = await detect_server(root, configuration=Configuration(token_provider=provider))
    assert info == ServerInfo("v2", "3.3.2", root)
    assert [r.path for r in fake_airflow.requests] == ["/api/v2/version", "/api/v2/version"]


async def test_both_apis_refusing_without_credentials_says_so(fake_airflow: FakeAirflow) -> None:
    fake_airflow.responder = lambda request: Reply(401, b'{"detail": "sign in"}')
    with pytest.raises(ApiException, match=r"both APIs refused to say without credentials") as caught:
        await detect_server(root_of(fake_airflow.host))
    assert caught.value.status == 401
    with pytest.raises(ApiException, match=r"both APIs refused the credentials given"):
        await detect_server(root_of(fake_airflow.host), configuration=Configuration(access_token="wrong"))


async def test_a_server_that_is_no_airflow_raises_naming_what_each_answered(fake_airflow: FakeAirflow) -> None:
    fake_airflow.responder = lambda request: Reply(200, b"<html>welcome</html>", "text/html")
    root = root_of(fake_airflow.host)
    with pytest.raises(ApiException) as caught:
        await detect_server(root)
    message = str(caught.value)
    assert f"no Airflow API found at {root}" in message
    assert f"GET {root}/api/v2/version answered 200" in message and f"GET {root}/api/v1/version answered 200" in message
    fake_airflow.responder = lambda request: NOT_FOUND_V1
    with pytest.raises(ApiException, match=r"answered 404; GET .* answered 404"):
        await detect_server(root)


async def test_an_unreachable_server_is_a_connection_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ApiConnectionError, match=f"GET http://127.0.0.1:{port}/api/v2/version failed"):
        await detect_server(f"http://127.0.0.1:{port}", configuration=Configuration(retries=0))


@pytest.mark.parametrize("url", ["localhost:8080", "http://user:pw@h", "ftp://h"])
def test_a_bad_url_is_refused(url: str) -> None:
    with pytest.raises(ApiValueError):
        server_root(url)


async def test_the_blocking_detect_server(fake_airflow: FakeAirflow) -> None:
    fake_airflow.responder = airflow3_server()
    root = root_of(fake_airflow.host)
    info = await asyncio.to_thread(blocking_detect_server, root + "/api/v2")
    assert info == ServerInfo("v2", "3.3.2", root)


def test_server_info_is_frozen() -> None:
    info = ServerInfo("v2", "3.3.2", "http://h")
    with pytest.raises(AttributeError):
        info.api = "v1"  # type: ignore[misc]
    fields: Dict[str, object] = {"api": "v2", "version": "3.3.2", "base_url": "http://h"}
    assert vars(info) == fields
