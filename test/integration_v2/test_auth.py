"""How titanium_airflow_client authenticates to a live Airflow 3.3, proven against the local server: one login
per JWT renewal however many calls are in flight (short-lived tokens, counted by a forward proxy); an expired
token refused with 401 "Token Expired", a revoked one with 403 "Invalid JWT token", and the client renewing
once; a static access_token; an async token_provider asked again after a refusal; a wrong password and a
viewer's write refused; 422s with their parsed errors or text; and detect_server without credentials."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Awaitable, Callable, List

import pytest

from titanium_airflow_client import (
    ApiClient,
    ApiValueError,
    Configuration,
    ForbiddenException,
    NotFoundException,
    UnauthorizedException,
    UnprocessableEntityException,
    detect_server,
)
from titanium_airflow_client.auth import jwt_lifetime
from titanium_airflow_client.v2 import DAGApi, DagRunApi, LoginApi, PoolApi, PoolBody

from .conftest import (
    AIRFLOW_VERSION,
    API_PATH,
    SHORT_JWT_SECONDS,
    CountingProxy,
    Credentials,
    RawAnswer,
    login,
    make_client,
)

pytestmark = pytest.mark.integration

RawRequest = Callable[..., Awaitable[RawAnswer]]
IN_FLIGHT = 10  # calls sent at once
EXPIRIES = 2  # token lifetimes the renewal test runs past


async def dag_count(client: ApiClient) -> int:
    listing = await DAGApi(client).get_dags(limit=1)
    return listing.total_entries


async def test_one_login_per_renewal_with_calls_in_flight(
    short_jwt_url: str, counting_proxy: CountingProxy, raw_request: RawRequest
) -> None:
    # A token the test keeps, never renewed: the server must refuse it once it has expired.
    kept = await login(base=short_jwt_url)
    assert jwt_lifetime(kept) == SHORT_JWT_SECONDS
    kept_refused: List[RawAnswer] = []
    batches: List[int] = []  # logins during each batch of calls in flight
    async with make_client(host=short_jwt_url, proxy=counting_proxy.url) as client:
        until = time.monotonic() + EXPIRIES * SHORT_JWT_SECONDS + 3
        while time.monotonic() < until:  # calls go on past two expiries of the first token
            before = counting_proxy.logins
            counts = await asyncio.gather(*(dag_count(client) for _ in range(IN_FLIGHT)))
            assert all(count > 0 for count in counts)
            batches.append(counting_proxy.logins - before)
            answer = await raw_request("GET", f"{API_PATH}/dags?limit=1", token=kept, base=short_jwt_url)
            if answer.status != 200:
                kept_refused.append(answer)
            await asyncio.sleep(1.0)  # load, about one batch a second; the loop ends on the clock

    calls = counting_proxy.api_calls()
    assert len(calls) == IN_FLIGHT * len(batches) and all(call.status == 200 for call in calls)
    tokens = counting_proxy.tokens_used()
    renewals = len(tokens) - 1
    assert renewals >= EXPIRIES, f"{len(tokens)} tokens over {EXPIRIES} lifetimes"
    assert counting_proxy.logins == 1 + renewals  # each token came from one login, each login's token was used
    assert max(batches) == 1, f"logins per batch of {IN_FLIGHT}: {batches}"  # never one per call in flight
    assert all(jwt_lifetime(token) == SHORT_JWT_SECONDS for token in tokens)

    # The kept token worked until it expired, then was refused: 401 "Token Expired" (a revoked one gets 403
    # "Invalid JWT token", below); the client takes either as "renew the token".
    assert kept_refused, "the kept token was never refused"
    assert {(answer.status, answer.body) for answer in kept_refused} == {(401, b'{"detail":"Token Expired"}')}

    given: List[str] = []

    async def provider() -> str:  # the expired token first, as if cached from before
        given.append(kept if not given else await login(base=short_jwt_url))
        return given[-1]

    async with ApiClient(Configuration(host=short_jwt_url, token_provider=provider)) as client:
        assert await dag_count(client) > 0
    assert given[0] == kept and len(given) == 2  # refused once, renewed once


async def test_a_refused_cached_token_is_renewed_once(
    base_url: str, counting_proxy: CountingProxy, raw_request: RawRequest
) -> None:
    async with make_client(host=base_url, proxy=counting_proxy.url) as client:
        assert await dag_count(client) > 0
        assert counting_proxy.logins == 1
        first = counting_proxy.tokens_used()[0]
        await LoginApi(client).logout()  # revokes the token the client holds, which does not know it yet
        revoked = await raw_request("GET", f"{API_PATH}/dags?limit=1", token=first)
        assert (revoked.status, revoked.json()) == (403, {"detail": "Invalid JWT token"})

        counts = await asyncio.gather(*(dag_count(client) for _ in range(5)))
        assert all(count > 0 for count in counts)
        assert counting_proxy.logins == 2  # one new login for the five refused calls
        assert len(counting_proxy.tokens_used()) == 2
        refused = [call for call in counting_proxy.api_calls() if call.status == 403]
        assert refused and all(call.authorization == f"Bearer {first}" for call in refused)
        assert await dag_count(client) > 0 and counting_proxy.logins == 2


async def test_a_static_access_token(base_url: str, counting_proxy: CountingProxy) -> None:
    token = await login()
    async with ApiClient(Configuration(host=base_url, access_token=token, proxy=counting_proxy.url)) as client:
        assert await dag_count(client) > 0
        assert (await DAGApi(client).get_dag("tit_bash")).dag_id == "tit_bash"
    assert counting_proxy.logins == 0
    assert [call.authorization for call in counting_proxy.api_calls()] == [f"Bearer {token}"] * 2


async def test_an_async_token_provider_is_asked_again_after_a_refusal(
    base_url: str, counting_proxy: CountingProxy, raw_request: RawRequest
) -> None:
    given: List[str] = []

    async def provider() -> str:
        given.append(await login())  # a raw login, outside the client
        return given[-1]

    async with ApiClient(Configuration(host=base_url, token_provider=provider, proxy=counting_proxy.url)) as client:
        assert await dag_count(client) > 0 and await dag_count(client) > 0
        assert len(given) == 1  # asked once, the token kept
        logout = await raw_request("GET", f"{API_PATH}/auth/logout", token=given[0])
        assert logout.status == 307  # the provider's token is revoked behind the client's back
        assert await dag_count(client) > 0
        assert len(given) == 2
    sent = [(call.status, call.authorization) for call in counting_proxy.api_calls()]
    assert sent == [(200, f"Bearer {given[0]}")] * 2 + [(403, f"Bearer {given[0]}"), (200, f"Bearer {given[1]}")]
    assert counting_proxy.logins == 0  # the provider's logins do not go through the client


async def test_a_wrong_password_names_the_login_url_never_the_password(base_url: str) -> None:
    password = f"wrong-{uuid.uuid4().hex}"
    async with make_client(Credentials("admin", password)) as client:
        with pytest.raises(UnauthorizedException) as refused:
            await dag_count(client)
    error = refused.value
    assert error.status == 401 and error.url == f"{base_url}/auth/token"
    assert f"logging in at {base_url}/auth/token failed" in str(error)
    assert password not in str(error) and password not in repr(error) and password.encode() not in (error.body or b"")


async def test_the_viewer_cannot_write(viewer_credentials: Credentials, v2_client: ApiClient) -> None:
    name = f"viewer_pool_{uuid.uuid4().hex[:8]}"
    async with make_client(viewer_credentials) as viewer:
        assert (await PoolApi(viewer).get_pool("tit_pool")).slots == 3  # reading is allowed
        with pytest.raises(ForbiddenException) as refused:
            await PoolApi(viewer).post_pool(PoolBody(name=name, slots=1))
    assert (refused.value.status, refused.value.detail) == (403, "Forbidden")
    with pytest.raises(NotFoundException):
        await PoolApi(v2_client).get_pool(name)


async def test_unprocessable_entity_with_errors_and_with_text(v2_client: ApiClient, raw_request: RawRequest) -> None:
    pools = PoolApi(v2_client)
    name = f"bad_pool_{uuid.uuid4().hex[:8]}"
    # A wrong type never leaves the client (the dict is validated as a PoolBody first)...
    with pytest.raises(ApiValueError, match="slots"):
        await pools.post_pool({"name": name, "slots": "many"})
    raw = await raw_request("POST", f"{API_PATH}/pools", {"name": name, "slots": "many"})
    assert raw.status == 422 and raw.json()["detail"][0]["loc"] == ["body", "slots"]

    # ...what only the server checks comes back as a list of errors, parsed.
    with pytest.raises(UnprocessableEntityException) as refused:
        await pools.post_pool({"name": name, "slots": -5, "bogus": 1})
    errors = sorted((tuple(item.loc), item.type) for item in refused.value.errors)
    assert errors == [(("body", "bogus"), "extra_forbidden"), (("body", "slots"), "greater_than_equal")]
    assert "body.slots: Input should be greater than or equal to -1" in (refused.value.detail or "")
    with pytest.raises(NotFoundException):
        await pools.get_pool(name)

    # A 422 whose detail is a plain string: no items, the text as it is.
    with pytest.raises(UnprocessableEntityException) as bad_state:
        await DagRunApi(v2_client).get_dag_runs("tit_bash", state=["bogus"])
    assert bad_state.value.errors == []
    assert bad_state.value.detail == "Invalid value for state. Valid values are queued, running, success, failed"


async def test_detect_server_without_credentials(base_url: str) -> None:
    info = await detect_server(base_url)
    assert (info.api, info.version, info.base_url, info.host) == ("v2", AIRFLOW_VERSION, base_url, base_url)
    from_api_url = await detect_server(base_url + "/api/v2")
    assert (from_api_url.api, from_api_url.base_url) == ("v2", base_url)
