"""Secrets stay secret; TLS, authentication, redirects and proxies behave as documented.

Everything runs on 127.0.0.1: ``FaultServer`` (plain or TLS, with certificates made
by ``trustme``) and a tiny ``ForwardProxy``.
"""

from __future__ import annotations

import base64
import json
import logging
import pickle
import re
import ssl
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import AsyncIterator, Awaitable, Dict, Iterator, List, Mapping, Set, Tuple

import aiohttp
import pytest
import trustme

from titanium_airflow_client import (
    ApiClient,
    ApiConnectionError,
    ApiException,
    ApiTimeoutError,
    ApiTypeError,
    ApiValueError,
    Configuration,
    DAGApi,
    OpenApiException,
    rest,
)

from .conftest import DEADLINE, NEVER, FakeAirflow, Reply
from .fault_server import HEAD_200, FaultServer, ForwardProxy, raw, redirect, reply, status
from .v2_api import Airflow3Auth, V2Api, airflow3, root_of

PASSWORD = "pw-Zq8!secret"
TOKEN = "tok-Xy7.secret"
GATEWAY_KEY = "gw-Kk3-secret"
PROXY_PASSWORD = "proxy-Pp9-secret"
BASIC = base64.b64encode(f"admin:{PASSWORD}".encode()).decode()
SECRETS = (PASSWORD, TOKEN, GATEWAY_KEY, PROXY_PASSWORD, BASIC)


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"a secret leaked: {text!r}"


@pytest.fixture
async def server() -> AsyncIterator[FaultServer]:
    async with FaultServer() as fault_server:
        yield fault_server


@pytest.fixture
async def other_server() -> AsyncIterator[FaultServer]:
    """Another origin: same address, another port."""
    async with FaultServer() as fault_server:
        yield fault_server


# --- repr, str, configuration -----------------------------------------------------------------------------------


def test_repr_and_str_show_no_secret() -> None:
    configurations = [
        Configuration(username="admin", password=PASSWORD, default_headers={"X-Gateway-Key": GATEWAY_KEY}),
        Configuration(access_token=TOKEN, proxy=f"http://puser:{PROXY_PASSWORD}@127.0.0.1:3128",
                      proxy_headers={"Proxy-Authorization": f"Basic {BASIC}"}),
        Configuration(proxy=f"http://{PROXY_PASSWORD}@127.0.0.1:3128"),  # a lone user part may be a token
    ]
    for configuration in configurations:
        for text in (repr(configuration), str(configuration)):
            assert_no_secret(text)
        api_client = ApiClient(configuration, header_name="X-Other-Key", header_value=GATEWAY_KEY)
        for text in (repr(api_client), str(api_client)):
            assert_no_secret(text)
    assert "proxy='http://puser:***@127.0.0.1:3128'" in repr(configurations[1])


@pytest.mark.parametrize(
    "host",
    [f"http://admin:{PASSWORD}@127.0.0.1:8080/api/v1", f"https://{TOKEN}@airflow.example/api/v1",
     f"http://:{PASSWORD}@h/api/v1", f"admin:{PASSWORD}@h/api/v1"],
)
def test_host_with_credentials_is_refused_without_showing_them(host: str) -> None:
    with pytest.raises(ApiValueError) as caught:
        Configuration(host=host)
    assert_no_secret(str(caught.value))
    if "://" in host:
        assert "set username and password" in str(caught.value)


# --- logs and exception texts -----------------------------------------------------------------------------------


def exception_texts(error: BaseException) -> List[str]:
    """Everything a user may see of an exception: str, repr, and the whole chained traceback."""
    return [str(error), repr(error), "".join(traceback.format_exception(error))]


@pytest.mark.parametrize("auth", ["basic", "bearer"])
async def test_secrets_never_reach_logs_or_exception_texts(
    server: FaultServer, other_server: FaultServer, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
    auth: str,
) -> None:
    monkeypatch.setattr(rest, "BACKOFF_BASE", 0.01)
    monkeypatch.setattr(rest, "MAX_REDIRECTS", 2)
    caplog.set_level(logging.DEBUG)  # every logger: ours, aiohttp's, asyncio's
    credentials = {"username": "admin", "password": PASSWORD} if auth == "basic" else {"access_token": TOKEN}
    configuration = Configuration(host=server.host, default_headers={"X-Gateway-Key": GATEWAY_KEY}, retries=1,
                                  **credentials)  # type: ignore[arg-type]
    problem = {"title": "Unauthorized", "detail": "bad credentials", "status": 401, "type": "about:blank"}
    server.script(
        reply(200, {"dag_id": "d"}),
        reply(401, problem, content_type="application/problem+json"),
        reply(500, body=b"<html>Internal Server Error</html>", content_type="text/html"),
        status(503, retry_after="0"), status(503, retry_after="0"),
        reply(200, body=b'{"dag_id": 1'),  # truncated JSON
        reply(200, {"dag_id": "d"}, delay=NEVER),  # a timeout
        redirect(other_server.origin + "/elsewhere"),
    )
    other_server.script(reply(404, {"title": "nowhere", "status": 404}))
    errors: List[BaseException] = []
    async with ApiClient(configuration) as api_client:
        api = DAGApi(api_client)
        await api.get_dag("d")
        for timeout in (DEADLINE, DEADLINE, DEADLINE, DEADLINE, 0.5, DEADLINE):  # 0.5 s for the one that never ends
            with pytest.raises(OpenApiException) as caught:
                await api.get_dag("d", _request_timeout=timeout)
            errors.append(caught.value)
        server.responder = lambda seen: redirect(seen.target)  # a redirect loop
        with pytest.raises(ApiException) as caught:
            await api.get_dag("d")
        errors.append(caught.value)
        api_client.default_headers["X-Gateway-Key"] = GATEWAY_KEY.encode()  # bytes, set behind the checks' back
        with pytest.raises(ApiTypeError, match="the value of 'X-Gateway-Key' must be str, got bytes") as caught:
            await api.get_dag("d")
        errors.append(caught.value)
        api_client.default_headers["X-Gateway-Key"] = GATEWAY_KEY
        await server.close()  # connection refused, retried once
        with pytest.raises(ApiConnectionError) as caught:
            await api.get_dag("d")
        errors.append(caught.value)
    assert [type(error).__name__ for error in errors] == [
        "UnauthorizedException", "ServiceException", "ServiceException", "ApiDecodeError", "ApiTimeoutError",
        "NotFoundException", "ApiException", "ApiTypeError", "ApiConnectionError",
    ]
    for error in errors:
        for text in exception_texts(error):
            assert_no_secret(text)
    assert caplog.records
    for record in caplog.records:
        assert_no_secret(record.getMessage())
        if record.exc_info:
            assert_no_secret("".join(traceback.format_exception(*record.exc_info)))
    # The DEBUG log tells method, URL, status and timing of each request, and each retry and redirect.
    messages = [record.getMessage() for record in caplog.records if record.name == "titanium_airflow_client"]
    assert any(re.fullmatch(rf"GET {re.escape(server.host)}/dags/d -> 200 in \d+\.\d ms", m) for m in messages)
    assert any(re.fullmatch(rf"GET {re.escape(server.host)}/dags/d -> 401 in \d+\.\d ms", m) for m in messages)
    assert any("answered 503; retry 1 in" in m for m in messages)
    assert any(f"redirected (302) to {other_server.origin}/elsewhere" in m for m in messages)
    assert any("failed (" in m and "; retry 1 in" in m for m in messages)
    # ... and the credentials did go out, so the checks above were not vacuous.
    sent = server.requests[0].headers
    assert sent["Authorization"] == (f"Basic {BASIC}" if auth == "basic" else f"Bearer {TOKEN}")
    assert sent["X-Gateway-Key"] == GATEWAY_KEY


# --- redirects --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("auth", ["basic", "bearer", "per-call header"])
async def test_redirect_to_another_origin_drops_authorization(
    server: FaultServer, other_server: FaultServer, auth: str
) -> None:
    credentials = {"username": "admin", "password": PASSWORD} if auth == "basic" else {"access_token": TOKEN}
    if auth == "per-call header":
        credentials = {}
    configuration = Configuration(host=server.host, **credentials)  # type: ignore[arg-type]
    server.script(redirect(other_server.origin + "/api/v1/dags/d", 307))
    other_server.script(redirect(server.origin + "/api/v1/dags/back", 302))  # and back again
    async with ApiClient(configuration) as api_client:
        headers = {"authorization": f"Bearer {TOKEN}"} if auth == "per-call header" else None
        await DAGApi(api_client).get_dag("d", _headers=headers)
    first, back = server.requests
    (elsewhere,) = other_server.requests
    assert first.headers["Authorization"] in (f"Basic {BASIC}", f"Bearer {TOKEN}")
    assert "Authorization" not in elsewhere.headers
    assert elsewhere.path == "/api/v1/dags/d" and elsewhere.headers["User-Agent"].startswith("titanium")
    assert "Authorization" not in back.headers  # once handed to another origin, the credentials stay off


async def test_redirect_within_the_origin_keeps_authorization(server: FaultServer) -> None:
    server.script(redirect("/api/v1/dags/moved", 301), redirect(server.origin + "/api/v1/dags/final", 308))
    async with ApiClient(Configuration(host=server.host, access_token=TOKEN)) as api_client:
        await DAGApi(api_client).get_dag("d")
    assert [seen.path for seen in server.requests] == ["/api/v1/dags/d", "/api/v1/dags/moved", "/api/v1/dags/final"]
    assert all(seen.headers["Authorization"] == f"Bearer {TOKEN}" for seen in server.requests)


# --- TLS --------------------------------------------------------------------------------------------------------


@dataclass
class PKI:
    ca: trustme.CA
    ca_file: str
    server_cert: trustme.LeafCert  # for 127.0.0.1
    client_cert_file: str
    client_key_file: str
    client_combined_file: str


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PKI]:
    directory: Path = tmp_path_factory.mktemp("pki")
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(directory / "ca.pem"))
    client = ca.issue_cert("client.example")
    client.cert_chain_pems[0].write_to_path(str(directory / "client.pem"))
    client.private_key_pem.write_to_path(str(directory / "client.key"))
    client.private_key_and_cert_chain_pem.write_to_path(str(directory / "client-combined.pem"))
    yield PKI(ca, str(directory / "ca.pem"), ca.issue_cert("127.0.0.1"), str(directory / "client.pem"),
              str(directory / "client.key"), str(directory / "client-combined.pem"))


def server_context(pki: PKI, *, cert: trustme.LeafCert | None = None, client_auth: bool = False) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    (cert or pki.server_cert).configure_cert(context)
    if client_auth:
        context.verify_mode = ssl.CERT_REQUIRED
        pki.ca.configure_trust(context)
    return context


@pytest.fixture
async def tls_server(pki: PKI) -> AsyncIterator[FaultServer]:
    async with FaultServer(server_context(pki)) as fault_server:
        yield fault_server


async def test_tls_verification_is_on_by_default(tls_server: FaultServer) -> None:
    configuration = Configuration(host=tls_server.host, username="admin", password=PASSWORD)
    assert configuration.verify_ssl is True
    async with ApiClient(configuration) as api_client:
        with pytest.raises(ApiConnectionError, match="certificate verify failed") as caught:
            await DAGApi(api_client).get_dag("d")
    assert isinstance(caught.value.__cause__, aiohttp.ClientConnectorCertificateError)
    assert tls_server.requests == []  # the credentials never left the client
    assert tls_server.connections_total <= 1  # and a certificate error is not retried


async def test_the_default_tls_set_up_is_aiohttps_own_verified_context(
    tls_server: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No second default context is built (some 40 ms of CPU loading the system's CAs), and it still verifies."""

    def second_context(*args: object, **kwargs: object) -> ssl.SSLContext:
        raise AssertionError("a second default TLS context was built")

    monkeypatch.setattr(ssl, "create_default_context", second_context)
    configuration = Configuration(host=tls_server.host, username="admin", password=PASSWORD)
    async with ApiClient(configuration) as api_client:
        with pytest.raises(ApiConnectionError, match="certificate verify failed"):
            await DAGApi(api_client).get_dag("d")
    assert tls_server.requests == []


async def test_ssl_ca_cert_trusts_the_server(tls_server: FaultServer, pki: PKI) -> None:
    configuration = Configuration(host=tls_server.host, username="admin", password=PASSWORD, ssl_ca_cert=pki.ca_file)
    tls_server.script(reply(200, {"dag_id": "d"}))
    async with ApiClient(configuration) as api_client:
        assert (await DAGApi(api_client).get_dag("d")).dag_id == "d"
    assert tls_server.requests[0].headers["Authorization"] == f"Basic {BASIC}"


async def test_verify_ssl_false_accepts_an_untrusted_certificate(tls_server: FaultServer) -> None:
    configuration = Configuration(host=tls_server.host, access_token=TOKEN, verify_ssl=False)
    async with ApiClient(configuration) as api_client:
        await DAGApi(api_client).get_dag("d")
    assert tls_server.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"


async def test_certificate_for_another_name_is_refused(pki: PKI) -> None:
    async with FaultServer(server_context(pki, cert=pki.ca.issue_cert("airflow.example"))) as tls_server:
        configuration = Configuration(host=tls_server.host, ssl_ca_cert=pki.ca_file)
        async with ApiClient(configuration) as api_client:
            with pytest.raises(ApiConnectionError) as caught:
                await DAGApi(api_client).get_dag("d")
        assert isinstance(caught.value.__cause__, aiohttp.ClientConnectorCertificateError)
        assert tls_server.requests == []


async def test_client_certificate(pki: PKI) -> None:
    async with FaultServer(server_context(pki, client_auth=True)) as tls_server:
        without = Configuration(host=tls_server.host, ssl_ca_cert=pki.ca_file, retries=0)
        async with ApiClient(without) as api_client:
            with pytest.raises(ApiConnectionError):
                await DAGApi(api_client).get_dag("d")
        assert tls_server.requests == []
        for cert_file, key_file in [(pki.client_cert_file, pki.client_key_file), (pki.client_combined_file, None)]:
            configuration = Configuration(host=tls_server.host, ssl_ca_cert=pki.ca_file, cert_file=cert_file,
                                          key_file=key_file)
            async with ApiClient(configuration) as api_client:
                await DAGApi(api_client).get_dag("d")
            peer = tls_server.peer_certs[-1]
            assert peer is not None and ("DNS", "client.example") in peer["subjectAltName"]
        assert len(tls_server.requests) == 2


@pytest.mark.parametrize("setting", ["ssl_ca_cert", "cert_file"])
async def test_unreadable_tls_files_are_refused_before_sending(tmp_path: Path, setting: str) -> None:
    missing = str(tmp_path / "missing.pem")
    async with ApiClient(Configuration(**{setting: missing})) as api_client:  # type: ignore[arg-type]
        with pytest.raises(ApiValueError, match="cannot load TLS settings"):
            await DAGApi(api_client).get_dag("d")


# --- proxies and custom headers ---------------------------------------------------------------------------------


@pytest.fixture
async def proxy() -> AsyncIterator[ForwardProxy]:
    forward_proxy = ForwardProxy()
    await forward_proxy.start()
    yield forward_proxy
    await forward_proxy.close()


async def test_http_proxy_gets_proxy_credentials_and_the_server_does_not(
    server: FaultServer, proxy: ForwardProxy
) -> None:
    proxy_credentials = base64.b64encode(f"puser:{PROXY_PASSWORD}".encode()).decode()
    configuration = Configuration(
        host=server.host, username="admin", password=PASSWORD, proxy=proxy.url,
        proxy_headers={"Proxy-Authorization": f"Basic {proxy_credentials}"},
        default_headers={"X-Gateway-Key": GATEWAY_KEY},
    )
    server.script(reply(200, {"dag_id": "d"}))
    async with ApiClient(configuration) as api_client:
        assert (await DAGApi(api_client).get_dag("d")).dag_id == "d"
    (at_proxy,) = proxy.requests
    assert (at_proxy.method, at_proxy.target) == ("GET", f"{server.host}/dags/d")  # absolute-form: via the proxy
    assert at_proxy.headers["Proxy-Authorization"] == f"Basic {proxy_credentials}"
    (upstream,) = server.requests
    assert "Proxy-Authorization" not in upstream.headers
    assert upstream.headers["Authorization"] == f"Basic {BASIC}"
    assert upstream.headers["X-Gateway-Key"] == GATEWAY_KEY  # a custom auth header, e.g. for an API gateway


async def test_https_through_a_proxy_tunnel_keeps_each_credential_to_its_hop(
    tls_server: FaultServer, proxy: ForwardProxy, pki: PKI
) -> None:
    configuration = Configuration(
        host=tls_server.host, access_token=TOKEN, ssl_ca_cert=pki.ca_file,
        proxy=f"http://puser:{PROXY_PASSWORD}@127.0.0.1:{proxy.port}",  # credentials in the proxy URL work too
        default_headers={"X-Gateway-Key": GATEWAY_KEY},
    )
    async with ApiClient(configuration) as api_client:
        await DAGApi(api_client).get_dag("d")
        await DAGApi(api_client).get_dag("e")
    (connect,) = proxy.requests  # one tunnel, kept alive for both calls
    assert (connect.method, connect.target) == ("CONNECT", f"127.0.0.1:{tls_server.port}")
    expected = base64.b64encode(f"puser:{PROXY_PASSWORD}".encode()).decode()
    assert connect.headers["Proxy-Authorization"] == f"Basic {expected}"
    assert "Authorization" not in connect.headers and "X-Gateway-Key" not in connect.headers  # the proxy sees neither
    assert [seen.path for seen in tls_server.requests] == ["/api/v1/dags/d", "/api/v1/dags/e"]
    for upstream in tls_server.requests:
        assert "Proxy-Authorization" not in upstream.headers
        assert upstream.headers["Authorization"] == f"Bearer {TOKEN}"
        assert upstream.headers["X-Gateway-Key"] == GATEWAY_KEY


# --- nothing reachable from a raised exception holds a credential -------------------------------------------------


def reachable(root: object, depth: int = 8) -> Iterator[object]:
    """Every object reachable from ``root`` through exception chains, args, attributes and containers."""
    seen: Set[int] = set()
    stack: List[Tuple[object, int]] = [(root, 0)]
    while stack:
        obj, level = stack.pop()
        if id(obj) in seen or level > depth:
            continue
        seen.add(id(obj))
        yield obj
        children: List[object] = []
        if isinstance(obj, BaseException):
            children += [obj.__cause__, obj.__context__, obj.args]
        if isinstance(obj, Mapping):
            children += [*obj.keys(), *obj.values()]
        elif isinstance(obj, (tuple, list, set, frozenset)):
            children += list(obj)
        if not isinstance(obj, (str, bytes, int, float, type)) and hasattr(obj, "__dict__"):
            children += list(vars(obj).values())
        for slot in getattr(type(obj), "__slots__", ()):
            children.append(getattr(obj, slot, None))
        stack.extend((child, level + 1) for child in children if child is not None)


def assert_holds_no_secret(error: BaseException) -> None:
    for text in exception_texts(error):
        assert_no_secret(text)
    count = 0
    for obj in reachable(error):
        count += 1
        assert_no_secret(repr(obj) if not isinstance(obj, bytes) else obj.decode("latin-1"))
    assert count > 3  # the walk did reach into the exception


@pytest.mark.parametrize("auth", ["basic", "bearer"])
@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(b"HTTP/1.1 2x0 OK\r\n\r\n", id="bad-status-line"),
        pytest.param(HEAD_200 + b"Content-Length: abc\r\n\r\n{}", id="bad-content-length"),
        pytest.param(HEAD_200 + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", id="bad-chunk"),
        pytest.param(HEAD_200 + b"Content-Length: 1000\r\n\r\n{}", id="body-cut-short"),
        pytest.param(b"", id="no-answer"),
    ],
)
async def test_no_object_reachable_from_a_transport_error_holds_a_credential(
    server: FaultServer, auth: str, answer: bytes
) -> None:
    # aiohttp's parser errors keep the request's headers (Authorization among them) in request_info.
    credentials: Dict[str, str] = (
        {"username": "admin", "password": PASSWORD} if auth == "basic" else {"access_token": TOKEN}
    )
    server.responder = lambda seen: raw(answer)
    configuration = Configuration(host=server.host, retries=0, default_headers={"X-Gateway-Key": GATEWAY_KEY},
                                  **credentials)  # type: ignore[arg-type]
    async with ApiClient(configuration) as api_client:
        with pytest.raises(ApiConnectionError) as caught:
            await DAGApi(api_client).get_dag("d")
    assert server.requests[0].headers["Authorization"].endswith(BASIC if auth == "basic" else TOKEN)  # it went out
    assert isinstance(caught.value.__cause__, aiohttp.ClientError)  # the cause is still chained, cleaned
    assert caught.value.__context__ is None or caught.value.__context__ is caught.value.__cause__
    assert_holds_no_secret(caught.value)
    assert_holds_no_secret(pickle.loads(pickle.dumps(caught.value)))


async def test_a_refused_proxy_leaves_no_proxy_credential_in_the_error() -> None:
    async with FaultServer() as closed:
        port = closed.port  # a loopback port nobody listens on once the server is closed
    configuration = Configuration(host="http://127.0.0.1:9/api/v1", username="admin", password=PASSWORD, retries=0,
                                  proxy=f"http://puser:{PROXY_PASSWORD}@127.0.0.1:{port}")
    async with ApiClient(configuration) as api_client:
        with pytest.raises(ApiConnectionError) as caught:
            await DAGApi(api_client).get_dag("d")
    assert isinstance(caught.value.__cause__, aiohttp.ClientConnectorError)
    assert_holds_no_secret(caught.value)


async def test_a_timeout_leaves_no_credential_in_the_error(server: FaultServer) -> None:
    server.responder = lambda seen: reply(200, {}, delay=NEVER)
    configuration = Configuration(host=server.host, username="admin", password=PASSWORD, retries=0)
    async with ApiClient(configuration) as api_client:
        with pytest.raises(ApiTimeoutError) as caught:
            await DAGApi(api_client).get_dag("d", _request_timeout=0.2)
    assert_holds_no_secret(caught.value)


# --- v2: JWTs from the login, token providers -----------------------------------------------------------------------


def test_repr_hides_the_token_provider() -> None:
    class Provider:
        def __repr__(self) -> str:
            return f"Provider(secret={TOKEN!r})"  # a provider's repr may show what it holds

        async def __call__(self) -> str:
            return TOKEN

    configuration = Configuration(token_provider=Provider())
    assert "token_provider='***'" in repr(configuration)
    assert_no_secret(repr(configuration))
    assert_no_secret(repr(ApiClient(configuration)))


async def test_v2_logins_tokens_and_providers_never_reach_logs_or_exception_texts(
    fake_airflow: FakeAirflow, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    issuer = Airflow3Auth(password=PASSWORD)
    fake_airflow.responder = airflow3(issuer)
    root = root_of(fake_airflow.host)
    errors: List[BaseException] = []

    async def expect(call: Awaitable[object]) -> None:
        with pytest.raises(OpenApiException) as caught:
            await call
        errors.append(caught.value)

    configuration = Configuration(host=root, username="admin", password=PASSWORD, retries=0)
    async with ApiClient(configuration) as api_client:
        api = V2Api(api_client)
        issuer.password = "not the one configured"
        await expect(api.get_dag("d"))  # 401 at the login
        issuer.login_reply = Reply(422, json.dumps({"detail": [
            {"type": "string_too_long", "loc": ["body", "password"], "msg": "too long", "input": PASSWORD},
        ]}).encode())
        await expect(api.get_dag("d"))  # a login answer that quotes the password
        issuer.password, issuer.login_reply = PASSWORD, None
        await api.get_dag("d")
        fake_airflow.reply(500, {"detail": "Internal Server Error"})
        await expect(api.get_dag("d"))
        fake_airflow.responder = lambda request: (  # every token refused, the fresh one too
            issuer.login(request) if request.path == "/auth/token" else Reply(403, b'{"detail": "Invalid JWT token"}')
        )
        await expect(api.get_dag("d"))
        fake_airflow.responder = airflow3(issuer)
        fake_airflow.reply(200, {"dag_id": "d"}, delay=NEVER)
        await expect(api.get_dag("d", _request_timeout=0.3))
    assert issuer.logins == 2

    async def provider() -> str:
        return TOKEN

    async def failing_provider() -> str:
        raise RuntimeError("the metadata server did not answer")

    async with ApiClient(Configuration(host=root, token_provider=provider, retries=0)) as api_client:
        fake_airflow.reply(404, {"detail": "The Dag with ID: `d` was not found"})
        await expect(V2Api(api_client).get_dag("d"))
    async with ApiClient(Configuration(host=root, token_provider=failing_provider)) as api_client:
        await expect(V2Api(api_client).get_dag("d"))

    assert [type(error).__name__ for error in errors] == [
        "UnauthorizedException", "UnprocessableEntityException", "ServiceException", "ForbiddenException",
        "ApiTimeoutError", "NotFoundException", "TokenProviderError",
    ]
    secrets = (*SECRETS, *issuer.issued)
    for error in errors:
        for obj in reachable(error):
            text = repr(obj) if not isinstance(obj, bytes) else obj.decode("latin-1")
            assert not any(secret in text for secret in secrets), f"a secret leaked: {text!r}"
        for text in exception_texts(error):
            assert not any(secret in text for secret in secrets), f"a secret leaked: {text!r}"
    for record in caplog.records:
        assert not any(secret in record.getMessage() for secret in secrets)
    # ... and they did go out, so the checks above were not vacuous.
    sent = [request.headers.get("Authorization", "") for request in fake_airflow.requests]
    assert f"Bearer {issuer.issued[0]}" in sent and f"Bearer {TOKEN}" in sent
    assert any(request.body and PASSWORD.encode() in request.body for request in fake_airflow.requests)
