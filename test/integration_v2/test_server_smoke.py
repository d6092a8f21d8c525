"""The local Airflow 3.3 server itself, seen with plain aiohttp: login, tokens and the answers a client relies on."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from typing import Any, Dict, List

from .conftest import AIRFLOW_VERSION, API_PATH, SHORT_JWT_SECONDS, Credentials, login, raw_request


def jwt_payload(token: str) -> Dict[str, Any]:
    """The (unverified) claims of a JWT."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


async def test_login_answers_201_with_a_jwt_that_expires(base_url: str, admin_credentials: Credentials) -> None:
    answer = await raw_request("POST", "/auth/token", admin_credentials.login_body(), user=None)
    assert answer.status == 201, answer.body
    assert answer.content_type == "application/json"
    body = answer.json()
    assert list(body) == ["access_token"]
    claims = jwt_payload(body["access_token"])
    assert claims["sub"] == "admin"
    assert claims["role"] == "admin"
    assert claims["exp"] > time.time()
    assert claims["exp"] - claims["iat"] == 86400  # [api_auth] jwt_expiration_time's default


async def test_login_takes_a_form_too(base_url: str, viewer_credentials: Credentials) -> None:
    answer = await raw_request(
        "POST",
        "/auth/token",
        user=None,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        data=b"username=viewer&password=viewer",
    )
    assert answer.status == 201, answer.body
    assert jwt_payload(answer.json()["access_token"])["role"] == "viewer"


async def test_version_and_health_need_no_token(base_url: str) -> None:
    version = await raw_request("GET", API_PATH + "/version", user=None)
    assert version.status == 200, version.body
    assert version.json()["version"] == AIRFLOW_VERSION
    health = await raw_request("GET", API_PATH + "/monitor/health", user=None)
    assert health.status == 200, health.body
    components = ("metadatabase", "scheduler", "triggerer", "dag_processor")
    assert {part: health.json()[part]["status"] for part in components} == dict.fromkeys(components, "healthy")


async def test_dags_lists_every_expected_dag(base_url: str, expected_dags: List[str]) -> None:
    answer = await raw_request("GET", API_PATH + "/dags?limit=100&dag_id_pattern=tit_")
    assert answer.status == 200, answer.body
    listed = {dag["dag_id"] for dag in answer.json()["dags"]}
    # tit_sandbox_deleted is the one DAG tests delete; its file brings it back later.
    assert sorted(set(expected_dags) - listed - {"tit_sandbox_deleted"}) == []


async def test_wrong_password_is_401(base_url: str) -> None:
    answer = await raw_request("POST", "/auth/token", {"username": "admin", "password": "wrong"}, user=None)
    assert (answer.status, answer.json()) == (401, {"detail": "Invalid credentials"})


async def test_missing_authorization_header_is_401(base_url: str) -> None:
    answer = await raw_request("GET", API_PATH + "/dags", user=None)
    assert (answer.status, answer.json()) == (401, {"detail": "Not authenticated"})
    assert "WWW-Authenticate" not in answer.headers


async def test_tampered_token_is_403(base_url: str, admin_credentials: Credentials) -> None:
    token = await login(admin_credentials)
    header, _payload, signature = token.split(".")
    forged = dict(jwt_payload(token), sub="someone-else")
    forged_payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    answer = await raw_request("GET", API_PATH + "/dags?limit=1", token=f"{header}.{forged_payload}.{signature}")
    assert (answer.status, answer.json()) == (403, {"detail": "Invalid JWT token"})


async def test_expired_token_on_the_short_jwt_server(short_jwt_url: str, admin_credentials: Credentials) -> None:
    token = await login(admin_credentials, base=short_jwt_url)
    claims = jwt_payload(token)
    assert claims["exp"] - claims["iat"] == SHORT_JWT_SECONDS
    fresh = await raw_request("GET", API_PATH + "/dags?limit=1", token=token, base=short_jwt_url)
    assert fresh.status == 200, fresh.body
    await asyncio.sleep(max(0.0, claims["exp"] - time.time()) + 1.5)  # that server allows no leeway
    expired = await raw_request("GET", API_PATH + "/dags?limit=1", token=token, base=short_jwt_url)
    assert (expired.status, expired.content_type) == (401, "application/json")
    assert expired.json() == {"detail": "Token Expired"}  # not 403 "Invalid JWT token": that is for bad tokens
