"""Integration tests against a real Airflow 3.3 (``scripts/airflow3-local.sh``), for the ``/api/v2`` client.

- ``airflow3_server`` (session, autouse) makes sure the local Airflow 3 answers; when it does not, it runs
  ``scripts/airflow3-local.sh up`` and fails (never skips) if that does not help.
- Every test in this directory gets the ``integration`` marker.
- Fixtures: ``base_url`` (the server root, e.g. http://127.0.0.1:28180: the API is under /api/v2, the
  token endpoint is /auth/token), ``short_jwt_url`` (a second api-server on the same database whose tokens
  expire after ``SHORT_JWT_SECONDS``), ``admin_credentials`` / ``viewer_credentials``, ``expected_dags``
  (the DAG ids the script waits for) and ``raw_request`` (plain aiohttp, for the server's answer as it is).
- ``v2_client``: an ApiClient logged in as admin by the client itself (JWT from /auth/token, renewed by it);
  ``make_client`` builds others (another user, the short-JWT server, other settings).
- ``counting_proxy``: a plain-HTTP forward proxy on 127.0.0.1 (``Configuration(proxy=counting_proxy.url)``)
  that records what goes through it: how often a client logged in, which requests carried a token.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, List, Mapping, Optional, Tuple

import aiohttp
import pytest
import yarl
from aiohttp import web

from titanium_airflow_client import ApiClient, Configuration, NotFoundException

from ..local_airflow import ensure_local_airflow

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
SCRIPT = REPO_ROOT / "scripts" / "airflow3-local.sh"
PORT = int(os.environ.get("TITANIUM_AIRFLOW3_PORT") or "28180")
SHORT_JWT_PORT = int(os.environ.get("TITANIUM_AIRFLOW3_SHORT_JWT_PORT") or str(PORT + 1))
SHORT_JWT_SECONDS = int(os.environ.get("TITANIUM_AIRFLOW3_SHORT_JWT_SECONDS") or "20")
BASE_URL = f"http://127.0.0.1:{PORT}"
SHORT_JWT_URL = f"http://127.0.0.1:{SHORT_JWT_PORT}"
API_PATH = "/api/v2"
AIRFLOW_VERSION = "3.3.2"

UP_TIMEOUT = 900.0  # scripts/airflow3-local.sh up: a cold install (and PostgreSQL's) takes minutes


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str

    def login_body(self) -> Dict[str, str]:
        return {"username": self.username, "password": self.password}


ADMIN = Credentials("admin", "admin")  # simple auth manager role "admin"
VIEWER = Credentials("viewer", "viewer")  # role "viewer": read only


def expected_dag_ids() -> List[str]:
    """EXPECTED_DAGS of scripts/airflow3-local.sh: the DAG ids of test/dags3 that `up` waits for."""
    match = re.search(r"^EXPECTED_DAGS=\((.*?)^\)", SCRIPT.read_text(), re.MULTILINE | re.DOTALL)
    assert match, f"no EXPECTED_DAGS=( ... ) in {SCRIPT}"
    return match.group(1).split()


# --------------------------------------------------------------------------- marker


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.integration)


# --------------------------------------------------------------------------- the server


def _urlopen_json(request: urllib.request.Request | str) -> Any:
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def server_problem(
    base_url: str = BASE_URL,
    *,
    other_roots: Tuple[str, ...] = (SHORT_JWT_URL,),
    components: Tuple[str, ...] = ("metadatabase", "scheduler", "triggerer", "dag_processor"),
) -> Optional[str]:
    """None when the api-servers at ``base_url`` and ``other_roots`` answer, the ``components`` are healthy and
    admin can list DAGs, else what is wrong (also used by test/compat_v2_30 for its Airflow 3.0)."""
    try:
        for url in (base_url, *other_roots):
            _urlopen_json(url + API_PATH + "/version")
        health = _urlopen_json(base_url + API_PATH + "/monitor/health")
        for part in components:
            status = (health.get(part) or {}).get("status")
            if status != "healthy":
                return f"/api/v2/monitor/health says {part} is {status!r}"
        login = urllib.request.Request(
            base_url + "/auth/token",
            data=json.dumps(ADMIN.login_body()).encode(),
            headers={"Content-Type": "application/json"},
        )
        token = _urlopen_json(login)["access_token"]
        listing = urllib.request.Request(
            base_url + API_PATH + "/dags?limit=1", headers={"Authorization": f"Bearer {token}"}
        )
        _urlopen_json(listing)
    except urllib.error.HTTPError as exc:
        exc.close()
        return f"{exc.url} answered {exc.code}"
    except (OSError, ValueError, KeyError) as exc:
        return f"{exc!r}"
    return None


@pytest.fixture(scope="session", autouse=True)
def airflow3_server(request: pytest.FixtureRequest) -> str:
    """The root URL of a local Airflow 3 that answers; started with ``airflow3-local.sh up`` if needed."""
    ensure_local_airflow(
        request,
        problem=server_problem,
        script=SCRIPT,
        env={"TITANIUM_AIRFLOW3_PORT": str(PORT), "TITANIUM_AIRFLOW3_SHORT_JWT_PORT": str(SHORT_JWT_PORT)},
        label="integration_v2",
        url=BASE_URL,
        up_timeout=UP_TIMEOUT,
    )
    return BASE_URL


@pytest.fixture(scope="session")
def base_url(airflow3_server: str) -> str:
    """The main api-server's root, e.g. http://127.0.0.1:28180 (API under /api/v2, token at /auth/token)."""
    return airflow3_server


@pytest.fixture(scope="session")
def short_jwt_url(airflow3_server: str) -> str:
    """The second api-server's root: same database and JWT secret, tokens valid ``SHORT_JWT_SECONDS`` (no leeway)."""
    return SHORT_JWT_URL


@pytest.fixture(scope="session")
def admin_credentials() -> Credentials:
    return ADMIN


@pytest.fixture(scope="session")
def viewer_credentials() -> Credentials:
    return VIEWER


@pytest.fixture(scope="session")
def expected_dags() -> List[str]:
    return expected_dag_ids()


# --------------------------------------------------------------------------- the server's own answer


NO_BODY: Any = object()


@dataclass(frozen=True)
class RawAnswer:
    status: int
    content_type: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)  # case-insensitive

    def json(self) -> Any:
        return json.loads(self.body)


_tokens: Dict[Tuple[str, str], str] = {}  # (root URL, username) -> access token, for the whole session


async def login(user: Credentials = ADMIN, *, base: str = BASE_URL) -> str:
    """A fresh access token from ``POST {base}/auth/token`` (JSON body); fails the test unless it answers 201."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(base + "/auth/token", json=user.login_body()) as response,
    ):
        body = await response.read()
        assert response.status == 201, f"login as {user.username} at {base}: {response.status} {body[:300]!r}"
    return str(json.loads(body)["access_token"])


async def token_for(user: Credentials = ADMIN, *, base: str = BASE_URL) -> str:
    """The cached token of ``user`` at ``base`` (logs in on first use)."""
    key = (base, user.username)
    if key not in _tokens:
        _tokens[key] = await login(user, base=base)
    return _tokens[key]


async def raw_request(
    method: str,
    path: str,
    body: Any = NO_BODY,
    *,
    user: Optional[Credentials] = ADMIN,
    token: Optional[str] = None,
    base: str = BASE_URL,
    headers: Optional[Mapping[str, str]] = None,
    data: Optional[bytes] = None,
) -> RawAnswer:
    """One request with plain aiohttp, no redirect followed: the server's answer as it is.

    ``path`` is relative to the server root (e.g. "/api/v2/dags") and sent as given (already percent-encoded);
    ``body`` is sent as JSON, ``data`` as given (with a Content-Type in ``headers``). Authorization: ``token``
    when given, else the cached token of ``user`` at ``base`` (logged in once), none when ``user`` is None;
    ``headers`` are added last (and may replace it).
    """
    sent: Dict[str, str] = {"Accept": "application/json"}
    if token is None and user is not None:
        token = await token_for(user, base=base)
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    if body is not NO_BODY:
        assert data is None, "body (JSON) or data (bytes), not both"
        data = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    sent.update(headers or {})
    async with aiohttp.ClientSession() as session:
        response = await session.request(
            method, yarl.URL(base + path, encoded=True), data=data, headers=sent, allow_redirects=False
        )
        async with response:
            content = await response.read()
        return RawAnswer(response.status, response.headers.get("Content-Type", ""), content, response.headers.copy())


@pytest.fixture(name="raw_request")
def raw_request_fixture(airflow3_server: str) -> Any:
    """``raw_request`` (above) as a fixture, once the server is up."""
    return raw_request


# --------------------------------------------------------------------------- the client


def make_client(user: Credentials = ADMIN, *, host: str = BASE_URL, **config: Any) -> ApiClient:
    """An ApiClient for the local Airflow 3 (v2 hosts are the server root), logging in as ``user``."""
    return ApiClient(Configuration(host=host, username=user.username, password=user.password, **config))


def unique(prefix: str) -> str:
    """A name no other test (or engineer) uses: the server is shared."""
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


async def delete_all(delete: Callable[[str], Awaitable[None]], *names: str) -> None:
    """Clean-up in ``finally``: ``delete`` each of ``names``; one already gone (404) is fine."""
    for name in names:
        with contextlib.suppress(NotFoundException):
            await delete(name)


@pytest.fixture
async def v2_client(airflow3_server: str) -> AsyncIterator[ApiClient]:
    async with make_client() as client:
        yield client


# --------------------------------------------------------------------------- a counting forward proxy


@dataclass(frozen=True)
class Passed:
    """One request that went through the counting proxy."""

    method: str
    path: str
    authorization: Optional[str]  # the Authorization header it carried, if any
    status: int


# Hop-by-hop headers (RFC 9110 7.6.1) and the framing aiohttp sets itself: not forwarded either way.
_NOT_FORWARDED = frozenset(
    {
        "host",
        "content-length",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authorization",
    }
)


@dataclass
class CountingProxy:
    url: str
    passed: List[Passed] = field(default_factory=list)

    @property
    def logins(self) -> int:
        """How many times a client asked for a token (POST /auth/token)."""
        return sum(1 for request in self.passed if (request.method, request.path) == ("POST", "/auth/token"))

    def api_calls(self) -> List[Passed]:
        return [request for request in self.passed if request.path.startswith(API_PATH)]

    def tokens_used(self) -> List[str]:
        """The distinct Bearer tokens the API calls carried, in the order first seen."""
        tokens: Dict[str, None] = {}
        for request in self.api_calls():
            if request.authorization and request.authorization.startswith("Bearer "):
                tokens.setdefault(request.authorization[len("Bearer ") :], None)
        return list(tokens)


@pytest.fixture
async def counting_proxy(airflow3_server: str) -> AsyncIterator[CountingProxy]:
    """A forward proxy for plain HTTP to this machine's api-servers only, counting what passes."""
    proxy = CountingProxy(url="")

    async def forward(request: web.Request) -> web.StreamResponse:
        target = yarl.URL(request.raw_path, encoded=True)  # a proxy gets the absolute URL
        assert target.is_absolute() and target.host == "127.0.0.1", f"not a request for this machine: {target}"
        headers = {name: value for name, value in request.headers.items() if name.lower() not in _NOT_FORWARDED}
        async with (
            aiohttp.ClientSession(auto_decompress=False) as session,
            session.request(
                request.method, target, headers=headers, data=await request.read(), allow_redirects=False
            ) as response,
        ):
            body = await response.read()
            proxy.passed.append(
                Passed(request.method, target.path, request.headers.get("Authorization"), response.status)
            )
            kept = {name: value for name, value in response.headers.items() if name.lower() not in _NOT_FORWARDED}
            return web.Response(status=response.status, body=body, headers=kept)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", forward)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    proxy.url = f"http://127.0.0.1:{runner.addresses[0][1]}"  # port 0: the one the system chose
    try:
        yield proxy
    finally:
        await runner.cleanup()
