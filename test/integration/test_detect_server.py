"""detect_server() against the local Airflow 2.11: it serves v1, and says its version (with credentials where
the server wants them for it)."""

from __future__ import annotations

from titanium_airflow_client import Configuration, detect_server

from .conftest import ADMIN, API_URL, BASE_URL


async def test_the_local_airflow_2_serves_v1() -> None:
    info = await detect_server(API_URL)  # a URL ending in /api/v1 is taken to its root
    assert (info.api, info.base_url, info.host) == ("v1", BASE_URL, API_URL)
    with_credentials = await detect_server(BASE_URL, configuration=Configuration(username=ADMIN[0], password=ADMIN[1]))
    assert (with_credentials.api, with_credentials.version) == ("v1", "2.11.2")
