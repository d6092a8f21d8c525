"""Authentication per endpoint: v1's Basic, v2's JWT login and renewal, no credentials at all, a token provider;
and the server-root host v2 needs. Against the local recording server playing Airflow 3."""

from __future__ import annotations

import asyncio
import base64
import json
from typing import AsyncIterator, List

import pytest

from titanium_airflow_client import (
    ApiClient,
    ApiDecodeError,
    ApiException,
    ApiTypeError,
    ApiValueError,
    Configuration,
    DAGApi,
    ForbiddenException,
    UnauthorizedException,
    auth,
)
from titanium_airflow_client.auth import TokenSource, jwt_lifetime, renew_after, token_rejected
from titanium_airflow_client.endpoint import Endpoint
from titanium_airflow_client.exceptions import TokenProviderError

from .conftest import FakeAirflow, Recorded, Reply, wait_until
from .fault_server import FaultServer
from .v2_api import PASSWORD, USERNAME, Airflow3Auth, FakeClock, V2Api, airflow3, logins, make_jwt, root_of


@pytest.fixture
def airflow_auth(fake_airflow: FakeAirflow) -> Airflow3Auth:
    issuer = Airflow3Auth()
    fake_airflow.responder = airflow3(issuer)
    return issuer


@pytest.fixture
async def v2(fake_airflow: FakeAirflow, airflow_auth: Airflow3Auth) -> AsyncIterator[V2Api]:
    configuration = Configuration(host=root_of(fake_airflow.host), username=USERNAME, password=PASSWORD, retries=0)
    async with ApiClient(configuration) as client:
        yield V2Api(client)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(auth, "clock", fake)
    return fake


def bearer(request: Recorded) -> str:
    return request.headers["Authorization"].removeprefix("Bearer ")


# --- the JWT login ------------------------------------------------------------------------------------------------


async def test_username_and_password_log_in_once_and_send_the_jwt(
    fake_airflow: FakeAirflow, airflow_auth: Airflow3Auth, v2: V2Api
) -> None:
    for _ in range(3):
        assert (await v2.get_dag("d")).dag_id == "d"
    login, *calls = fake_airflow.requests
    assert (login.method, login.path) == ("POST", "/auth/token")
    assert login.json() == {"username": USERNAME, "password": PASSWORD}
    assert login.headers["Content-Type"] == "application/json" and "Authorization" not in login.headers
    assert login.headers["User-Agent"].startswith("titanium-airflow-client/")
    (token,) = airflow_auth.issued
    assert [(call.path, bearer(call)) for call in calls] == [("/api/v2/dags/d", token)] * 3


async def test_v1_endpoints_keep_http_basic_with_the_same_credentials(
    fake_airflow: FakeAirflow, airflow_auth: Airflow3Auth, v2: V2Api
) -> None:
    v2.api_client.configuration.host = fake_airflow.host  # the v1 API's base URL
    airflow_auth.open_paths = ("/api/v1/dags/d",)
    await DAGApi(v2.api_client).get_dag("d")
    basic = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
    assert [r.headers["Authorization"] for r in fake_airflow.requests] == [f"Basic {basic}"]


async def test_endpoints_without_auth_send_no_authorization_and_never_log_in(
    fake_airflow: FakeAirflow, v2: V2Api
) -> None:
    assert (await v2.get_version()).version == "3.3.2"
    (request,) = fake_airflow.requests
    assert request.path == "/api/v2/version" and "Authorization" not in request.headers


async def test_concurrent_calls_share_one_login(fake_airflow: FakeAirflow, airflow_auth: Airflow3Auth,
                                                v2: V2Api) -> None:
    airflow_auth.login_hold = asyncio.Event()
    calls = asyncio.gather(*(v2.get_dag(f"d{i}") for i in range(20)))
    await wait_until(lambda: logins(fake_airflow.requests) == 1, what="the login reached the server")
    assert len(fake_airflow.requests) == 1  # every call waits for that one login
    airflow_auth.login_hold.set()
    await calls
    assert logins(fake_airflow.requests) == 1 and len(fake_airflow.requests) == 21
    assert {bearer(r) for r in fake_airflow.requests[1:]} == set(airflow_auth.issued)


async def test_a_caller_cancelled_during_the_login_leaves_it_to_the_others(
    fake_airflow: FakeAirflow, airflow_auth: Airflow3Auth, v2: V2Api
) -> None:
    airflow_auth.login_hold = asyncio.Event()
    first = asyncio.ensure_future(v2.get_dag("a"))
    second = asyncio.ensure_future(v2.get_dag("b"))
    await wait_until(lambda: logins(fake_airflow.requests) == 1)
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    airflow_auth.login_hold.set()
    assert (await second).dag_id == "d"
    assert logins(fake_airflow.requests) == 1


async def test_the_token_is_renewed_before_it_expires(
    fake_airflow: FakeAirflow, airflow_auth: Airflow3Auth, v2: V2Api, clock: FakeClock
) -> None:
    await v2.get_dag("d")
    clock.now += 3600 - 60 - 1  # a minute and a second before the end of its hour: still good
    await v2.get_dag("d")
    assert airflow_auth.logins == 1
    clock.now += 2  # within the last minute: renewed first
    await v2.get_dag("d")
    assert airflow_auth.logins == 2
    assert bearer(fake_airflow.requests[-1]) == airflow_auth.issued[-1]


async def test_a_short_lived_token_is_renewed_in_its_last_tenth(
    fake_airflow: FakeAirflow, airflow_auth: Airflow3Auth, v2: V2Api, clock: FakeClock
) -> None:
    airflow_auth.lifetime = 100
    await v2.get_dag("d")
    clock.now += 89
    await v2.get_dag("d")
    clock.now += 2
    await v2.get_dag("d")
    assert airflow_auth.logins == 2


@pytest.mark.parametrize("refusal", ["expired (403 Invalid JWT token)", "no token (401)"])
async def test_a_refused_token_is_renewed_once_and_the_call_sent_again(
    fake_airflow: FakeAirflow, airflow_auth: Airflow3Auth, v2: V2Api, refusal: str
) -> None:
    await v2.get_dag("d")
    if refusal.startswith("expired"):
        airflow_auth.revoke_all()  # as the server sees a token past its exp
    else:
        fake_airflow.reply(401, {"detail": "Not authenticated"})
    assert (await v2.patch_dag("d", {"is_paused": True})).dag_id == "d"  # a PATCH too: the refused one never ran
    paths = [(r.method, r.path) for r in fake_airflow.requests[1:]]
    assert paths == [("GET", "/api/v2/dags/d"), ("PATCH", "/api/v2/dags/d"), ("POST", "/auth/token"),
                     ("PATCH", "/api/v2/dags/d")]
    assert bearer(fake_airflow.requests[-1]) == airflow_auth.issued[1]


async def test_a_token_refused_again_is_not_retried_twice(
    fake_airflow: FakeAirflow, airflow_auth: Airflow3Auth, v2: V2Api
) -> None:
    fake_airflow.responder = lambda request: (
        airflow_auth.login(request) if request.path == "/auth/token"
        else Reply(403, b'{"detail": "Invalid JWT token"}')
    )
    with pytest.raises(ForbiddenException, match="Invalid JWT token"):
        await v2.get_dag("d")
    assert [r.path for r in fake_airflow.requests].count("/api/v2/dags/d") == 2
    assert airflow_auth.logins == 2


async def test_a_403_for_a_missing_permission_is_not_a_reason_to_log_in_again(
    fake_airflow: FakeAirflow, airflow_auth: Airflow3Auth, v2: V2Api
) -> None:
    await v2.get_dag("d")
    fake_airflow.reply(403, {"detail": "Access denied: the user lacks the permission"})
    with pytest.raises(ForbiddenException, match="lacks the permission"):
        await v2.get_dag("d")
    assert airflow_auth.logins == 1 and len(fake_airflow.requests) == 3


async def test_a_wrong_password_names_the_login_url_and_not_the_password(
    fake_airflow: FakeAirflow, airflow_auth: Airflow3Auth, v2: V2Api
) -> None:
    airflow_auth.password = "another one"
    with pytest.raises(UnauthorizedException) as caught:
        await v2.get_dag("d")
    login_url = root_of(fake_airflow.host) + "/auth/token"
    assert caught.value.url == login_url and caught.value.method == "POST"
    assert f"logging in at {login_url} failed" in str(caught.value)
    assert "Invalid credentials" in str(caught.value)
    assert PASSWORD not in str(caught.value) and PASSWORD not in repr(caught.value)
    assert [r.path for r in fake_airflow.requests] == ["/auth/token"]  # the call itself never went out
    airflow_auth.password = PASSWORD
    assert (await v2.get_dag("d")).dag_id == "d"  # the next call logs in again


@pytest.mark.parametrize("body", [b'{"token": "x"}', b"<html>login</html>", b'{"access_token": ""}',
                                  b'{"access_token": "a\\nb"}'])
async def test_a_login_answer_without_a_usable_token_is_a_decode_error(
    fake_airflow: FakeAirflow, airflow_auth: Airflow3Auth, v2: V2Api, body: bytes
) -> None:
    airflow_auth.login_reply = Reply(201, body)
    with pytest.raises(ApiDecodeError, match=r"logging in at .*/auth/token"):
        await v2.get_dag("d")


async def test_changed_credentials_log_in_again(fake_airflow: FakeAirflow, airflow_auth: Airflow3Auth,
                                                v2: V2Api) -> None:
    await v2.get_dag("d")
    airflow_auth.username = v2.api_client.configuration.username = "viewer"
    await v2.get_dag("d")
    assert airflow_auth.logins == 2
    assert json.loads(fake_airflow.requests[-2].body)["username"] == "viewer"


async def test_a_per_call_authorization_wins_and_no_login_happens(fake_airflow: FakeAirflow, v2: V2Api) -> None:
    token = make_jwt()
    fake_airflow.responder = None
    await v2.get_dag("d", _headers={"authorization": f"Bearer {token}"})
    (request,) = fake_airflow.requests
    assert request.headers.getall("Authorization") == [f"Bearer {token}"]


async def test_an_access_token_is_sent_as_it_is_and_never_renewed(fake_airflow: FakeAirflow) -> None:
    token = make_jwt(lifetime=1)
    fake_airflow.reply(200, {"dag_id": "d"})
    fake_airflow.reply(403, {"detail": "Invalid JWT token"})
    async with ApiClient(Configuration(host=root_of(fake_airflow.host), access_token=token, retries=0)) as client:
        await V2Api(client).get_dag("d")
        with pytest.raises(ForbiddenException):
            await V2Api(client).get_dag("d")
    assert [bearer(r) for r in fake_airflow.requests] == [token, token]


async def test_without_credentials_v2_calls_carry_no_authorization(fake_airflow: FakeAirflow) -> None:
    async with ApiClient(Configuration(host=root_of(fake_airflow.host))) as client:
        await V2Api(client).get_dag("d")
    assert "Authorization" not in fake_airflow.last.headers


async def test_the_login_never_follows_a_redirect_to_another_origin(fake_airflow: FakeAirflow) -> None:
    async with FaultServer() as elsewhere:
        fake_airflow.reply(307, body=b"", headers={"Location": elsewhere.origin + "/auth/token"})
        configuration = Configuration(host=root_of(fake_airflow.host), username=USERNAME, password=PASSWORD)
        async with ApiClient(configuration) as client:
            with pytest.raises(ApiException) as caught:
                await V2Api(client).get_dag("d")
        assert caught.value.status == 307
        assert elsewhere.requests == []  # the password stayed with the server it was meant for


# --- a token provider ---------------------------------------------------------------------------------------------


class Provider:
    def __init__(self, *tokens: str) -> None:
        self.tokens = list(tokens)
        self.calls = 0
        self.hold: asyncio.Event | None = None

    async def __call__(self) -> str:
        self.calls += 1
        if self.hold is not None:
            await self.hold.wait()
        return self.tokens[min(self.calls, len(self.tokens)) - 1]


async def test_a_token_provider_serves_v1_and_v2_endpoints_as_bearer(fake_airflow: FakeAirflow) -> None:
    provider = Provider("opaque-token-1")
    configuration = Configuration(host=root_of(fake_airflow.host), token_provider=provider)
    async with ApiClient(configuration) as client:
        await V2Api(client).get_dag("d")
        await V2Api(client).get_version()  # auth="none": no token
        configuration.host = fake_airflow.host
        await DAGApi(client).get_dag("d")
    assert [r.headers.get("Authorization") for r in fake_airflow.requests] == [
        "Bearer opaque-token-1", None, "Bearer opaque-token-1"]
    assert provider.calls == 2  # the host changed: the token is asked for anew
    assert logins(fake_airflow.requests) == 0


async def test_a_provider_is_asked_once_for_concurrent_calls_and_again_after_a_refusal(
    fake_airflow: FakeAirflow,
) -> None:
    provider = Provider("first", "second")
    provider.hold = asyncio.Event()
    async with ApiClient(Configuration(host=root_of(fake_airflow.host), token_provider=provider)) as client:
        calls = asyncio.gather(*(V2Api(client).get_dag("d") for _ in range(10)))
        await wait_until(lambda: provider.calls == 1)
        provider.hold.set()
        await calls
        assert provider.calls == 1
        fake_airflow.reply(401, {"detail": "Not authenticated"})
        await V2Api(client).get_dag("d")
    assert provider.calls == 2
    assert [bearer(r) for r in fake_airflow.requests[-2:]] == ["first", "second"]


async def test_a_provider_jwt_is_renewed_before_it_expires(fake_airflow: FakeAirflow, clock: FakeClock) -> None:
    provider = Provider(make_jwt(600), make_jwt(600))
    async with ApiClient(Configuration(host=root_of(fake_airflow.host), token_provider=provider)) as client:
        await V2Api(client).get_dag("d")
        clock.now += 539
        await V2Api(client).get_dag("d")
        assert provider.calls == 1
        clock.now += 2  # into the last 60 s (10% of 600)
        await V2Api(client).get_dag("d")
    assert provider.calls == 2


async def test_a_failing_provider_raises_token_provider_error_with_the_cause(fake_airflow: FakeAirflow) -> None:
    async def broken() -> str:
        raise RuntimeError("no credentials found on this machine")

    async with ApiClient(Configuration(host=root_of(fake_airflow.host), token_provider=broken)) as client:
        with pytest.raises(TokenProviderError, match="token_provider failed: RuntimeError: no credentials") as caught:
            await V2Api(client).get_dag("d")
    assert isinstance(caught.value.__cause__, RuntimeError)
    assert fake_airflow.requests == []


@pytest.mark.parametrize("token", [None, 42, "", "tok\r\nX-Injected: 1", " padded "])
async def test_a_provider_giving_no_usable_token_is_refused_without_showing_it(
    fake_airflow: FakeAirflow, token: object
) -> None:
    async def provider() -> object:
        return token

    configuration = Configuration(host=root_of(fake_airflow.host), token_provider=provider)  # type: ignore[arg-type]
    async with ApiClient(configuration) as client:
        with pytest.raises(TokenProviderError, match=r"token_provider must give a str|token_provider gave") as caught:
            await V2Api(client).get_dag("d")
    if isinstance(token, str) and token.strip():
        assert token.strip() not in str(caught.value)
    assert fake_airflow.requests == []


def test_a_provider_must_be_callable() -> None:
    with pytest.raises(ApiTypeError, match="token_provider must be an async callable"):
        Configuration(token_provider="a token")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "credentials",
    [{"access_token": "t"}, {"username": "u", "password": "p"}, {"username": "u"}],
)
async def test_a_provider_with_other_credentials_is_refused_before_sending(
    fake_airflow: FakeAirflow, credentials: dict[str, str]
) -> None:
    configuration = Configuration(host=fake_airflow.host, token_provider=Provider("t"), **credentials)
    async with ApiClient(configuration) as client:
        with pytest.raises(ApiValueError, match="set only one of username/password, access_token and token_provider"):
            await DAGApi(client).get_dag("d")
        with pytest.raises(ApiValueError, match="set only one of"):
            await V2Api(client).get_version()
    assert fake_airflow.requests == []


# --- the host of the v2 API ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["/api/v1", "/api/v2", "/api/v2/"])
async def test_a_v2_call_with_an_api_url_as_host_asks_for_the_root(fake_airflow: FakeAirflow, suffix: str) -> None:
    root = root_of(fake_airflow.host)
    async with ApiClient(Configuration(host=root + suffix, username=USERNAME, password=PASSWORD)) as client:
        with pytest.raises(ApiValueError, match=f"set host to '{root}'"):
            await V2Api(client).get_dag("d")
        with pytest.raises(ApiValueError, match="server's root"):
            await V2Api(client).get_version()
        client.configuration.host = root
        fake_airflow.responder = airflow3(Airflow3Auth())
        await V2Api(client).get_version()
    assert [r.path for r in fake_airflow.requests] == ["/api/v2/version"]


def test_endpoint_auth_is_checked_when_declared() -> None:
    with pytest.raises(ValueError, match="auth must be one of basic, jwt, none"):
        Endpoint("x", "GET", "/api/v2/x", None, auth="bearer")
    assert Endpoint("x", "GET", "/api/v2/x", None).auth == "basic"
    assert Endpoint("x", "GET", "/api/v2/x", None).rooted and not Endpoint("x", "GET", "/dags", None).rooted


# --- the pieces -----------------------------------------------------------------------------------------------------


def test_jwt_lifetime_reads_exp_and_iat_without_checking_the_signature() -> None:
    assert jwt_lifetime(make_jwt(3600)) == 3600
    assert jwt_lifetime(make_jwt(3600, issued=0)) == 3600  # iat and exp: the client's clock does not matter
    assert jwt_lifetime(make_jwt(None)) is None  # no exp
    assert 3500 < (jwt_lifetime(make_jwt(3600, with_iat=False)) or 0) <= 3600  # exp against this machine's clock
    assert jwt_lifetime(make_jwt(-10, with_iat=False)) is None  # already past: kept until the server refuses it
    for token in ["opaque", "a.b.c", "a.!!!.c", "a." + base64.urlsafe_b64encode(b"[1]").decode() + ".c", ""]:
        assert jwt_lifetime(token) is None
    assert renew_after(3600) == 3540 and renew_after(100) == 90 and renew_after(None) is None


@pytest.mark.parametrize(
    ("status", "body", "rejected"),
    [(401, b"", True), (403, b'{"detail": "Invalid JWT token"}', True), (403, b'{"detail": "Token Expired"}', True),
     (403, b'{"detail": "Forbidden"}', False), (403, b"<html>", False),
     (404, b'{"detail": "Invalid JWT token"}', False)],
)
def test_which_answers_refuse_the_token(status: int, body: bytes, rejected: bool) -> None:
    assert token_rejected(status, body) is rejected


async def test_a_token_source_never_shows_its_token() -> None:
    async def fetch() -> str:
        return "tok-secret-1"

    source = TokenSource(fetch)
    assert await source.token() == "tok-secret-1"
    assert "tok-secret-1" not in repr(source)


async def test_a_failed_fetch_nobody_waits_for_leaves_no_warning(recwarn: pytest.WarningsRecorder) -> None:
    started = asyncio.Event()

    async def fetch() -> str:
        started.set()
        await asyncio.sleep(0)
        raise RuntimeError("boom")

    source = TokenSource(fetch)
    waiter = asyncio.ensure_future(source.token())
    await started.wait()
    waiter.cancel()
    await wait_until(lambda: source._pending is None)
    messages: List[str] = [str(w.message) for w in recwarn]
    assert not any("never retrieved" in m for m in messages)


async def test_redirects_of_a_login_within_the_server_are_followed(fake_airflow: FakeAirflow,
                                                                    airflow_auth: Airflow3Auth) -> None:
    fake_airflow.reply(307, body=b"", headers={"Location": "/auth/token"})
    configuration = Configuration(host=root_of(fake_airflow.host), username=USERNAME, password=PASSWORD)
    async with ApiClient(configuration) as client:
        await V2Api(client).get_dag("d")
    assert [r.path for r in fake_airflow.requests] == ["/auth/token", "/auth/token", "/api/v2/dags/d"]
    assert fake_airflow.requests[1].json()["password"] == PASSWORD  # same origin: the body went along
