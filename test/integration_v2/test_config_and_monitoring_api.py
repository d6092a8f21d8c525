"""The server's configuration, plugins, providers, health and version on Airflow 3, and the Login API's two
redirects, through titanium_airflow_client.v2 against the local Airflow 3.3: config as JSON and as text, whole
or one option; the test plugin; the providers installed; health and version asked without any credentials;
login's redirect to the auth manager's page; logout revoking the token it was called with."""

from __future__ import annotations

from typing import Awaitable, Callable

import pytest

from titanium_airflow_client import (
    ApiClient,
    Configuration,
    ForbiddenException,
    NotFoundException,
    UnauthorizedException,
    paginate,
)
from titanium_airflow_client.v2 import (
    Config,
    ConfigApi,
    DAGApi,
    LoginApi,
    MonitorApi,
    PluginApi,
    ProviderApi,
    VersionApi,
)

from .conftest import AIRFLOW_VERSION, API_PATH, CountingProxy, Credentials, RawAnswer, login, make_client

pytestmark = pytest.mark.integration

RawRequest = Callable[..., Awaitable[RawAnswer]]


def options_of(config: Config, section: str) -> dict[str, str]:
    found = [s for s in config.sections if s.name == section]
    assert len(found) == 1, f"section {section} once in {[s.name for s in config.sections]}"
    return {option.key: str(option.value) for option in found[0].options}


async def test_get_config_whole_and_by_section(v2_client: ApiClient, raw_request: RawRequest) -> None:
    config = ConfigApi(v2_client)
    whole = await config.get_config()
    names = [section.name for section in whole.sections]
    assert {"core", "api", "scheduler"} <= set(names)
    core = options_of(whole, "core")
    # What scripts/airflow3-local.sh configures, as the server says it raw.
    raw = {
        option["key"]: option["value"]
        for option in (await raw_request("GET", f"{API_PATH}/config?section=core")).json()["sections"][0]["options"]
    }
    assert core["parallelism"] == raw["parallelism"] == "2"
    assert core["executor"] == "LocalExecutor"

    only_core = await config.get_config(section="core")
    assert [section.name for section in only_core.sections] == ["core"]
    assert options_of(only_core, "core") == core

    with pytest.raises(NotFoundException) as refused:
        await config.get_config(section="no_such_section")
    assert refused.value.detail == "Section no_such_section not found."


async def test_get_config_as_text(v2_client: ApiClient) -> None:
    config = ConfigApi(v2_client)
    text = await config.get_config_text(section="core")
    assert text.startswith("[core]\n")
    assert "\nparallelism = 2\n" in text and "\nexecutor = LocalExecutor\n" in text
    whole = await config.get_config_text_with_http_info()
    assert whole.status_code == 200 and whole.headers["Content-Type"].startswith("text/plain")
    assert "[core]" in whole.data and "[scheduler]" in whole.data


async def test_get_config_value_as_json_and_text(v2_client: ApiClient) -> None:
    config = ConfigApi(v2_client)
    value = await config.get_config_value("core", "parallelism")
    assert [(s.name, [(o.key, o.value) for o in s.options]) for s in value.sections] == [
        ("core", [("parallelism", "2")])
    ]
    assert await config.get_config_value_text("core", "parallelism") == "[core]\nparallelism = 2\n"
    with pytest.raises(NotFoundException) as refused:
        await config.get_config_value("core", "no_such_option")
    assert refused.value.detail == "Option [core/no_such_option] not found."


async def test_get_plugins_and_import_errors(v2_client: ApiClient) -> None:
    plugins = PluginApi(v2_client)
    listing = await plugins.get_plugins()
    titanium = [plugin for plugin in listing.plugins if plugin.name == "titanium"]
    assert len(titanium) == 1  # test/plugins3/titanium_plugin.py
    assert titanium[0].macros == ["titanium_plugin.titanium_greeting"]
    assert titanium[0].source == "$PLUGINS_FOLDER/titanium_plugin.py"
    assert listing.total_entries == len(listing.plugins)
    walked = [plugin.name async for plugin in paginate(plugins.get_plugins)(limit=1)]
    assert "titanium" in walked

    errors = await plugins.import_errors()
    assert errors.import_errors == [] and errors.total_entries == 0  # the test plugin imports cleanly


async def test_get_providers(v2_client: ApiClient) -> None:
    providers = ProviderApi(v2_client)
    listing = await providers.get_providers(limit=100)
    by_name = {provider.package_name: provider for provider in listing.providers}
    # The providers the local Airflow is installed with (PostgreSQL is its database).
    assert {"apache-airflow-providers-standard", "apache-airflow-providers-postgres"} <= set(by_name)
    standard = by_name["apache-airflow-providers-standard"]
    assert standard.version and standard.description
    first = await providers.get_providers(limit=1, offset=0)
    assert len(first.providers) == 1 and first.total_entries == listing.total_entries


async def test_health_and_version_need_no_credentials(
    counting_proxy: CountingProxy, admin_credentials: Credentials, base_url: str
) -> None:
    # A wrong password: any login would raise UnauthorizedException, so answers prove none was tried.
    wrong = Credentials(admin_credentials.username, "not-the-password")
    async with make_client(wrong, proxy=counting_proxy.url) as client:
        version = await VersionApi(client).get_version()
        assert (version.version, version.git_version is not None) == (AIRFLOW_VERSION, True)
        health = await MonitorApi(client).get_health()
        for part in (health.metadatabase, health.scheduler, health.triggerer, health.dag_processor):
            assert part is not None and part.status == "healthy"
        assert health.scheduler is not None and health.scheduler.latest_scheduler_heartbeat is not None
        with pytest.raises(UnauthorizedException):  # a call that needs the token does log in, and fails
            await DAGApi(client).get_dags(limit=1)
    sent = [(request.method, request.path, request.authorization) for request in counting_proxy.passed]
    assert sent[:2] == [("GET", "/api/v2/version", None), ("GET", "/api/v2/monitor/health", None)]
    assert sent[2] == ("POST", "/auth/token", None)
    async with ApiClient(Configuration(host=base_url)) as anonymous:  # no credentials at all
        assert (await VersionApi(anonymous).get_version()).version == AIRFLOW_VERSION


async def test_login_redirects_to_the_auth_managers_page(v2_client: ApiClient, raw_request: RawRequest) -> None:
    raw = await raw_request("GET", f"{API_PATH}/auth/login?next=%2Fdags", user=None)
    assert (raw.status, raw.headers["Location"]) == (307, "/auth/login?next=%2Fdags")
    # The client follows the redirect (same server) to the simple auth manager's login page.
    answer = await LoginApi(v2_client).login_with_http_info(next="/dags")
    assert answer.status_code == 200 and answer.data is None
    assert answer.headers["Content-Type"].startswith("text/html") and b"<title>Airflow</title>" in answer.raw_data
    assert await LoginApi(v2_client).login() is None


async def test_logout_revokes_the_token_it_is_called_with(base_url: str, raw_request: RawRequest) -> None:
    token = await login()
    assert (await raw_request("GET", f"{API_PATH}/dags?limit=1", token=token)).status == 200
    raw = await raw_request("GET", f"{API_PATH}/auth/logout", token=token)
    assert (raw.status, raw.headers["Location"]) == (307, "/auth/login")  # and the revoked token is refused:
    assert (await raw_request("GET", f"{API_PATH}/dags?limit=1", token=token)).json() == {"detail": "Invalid JWT token"}

    token = await login()
    async with ApiClient(Configuration(host=base_url, access_token=token)) as client:
        assert (await DAGApi(client).get_dags(limit=1)).total_entries > 0
        assert await LoginApi(client).logout() is None
        with pytest.raises(ForbiddenException) as refused:  # a static token cannot be renewed
            await DAGApi(client).get_dags(limit=1)
        assert (refused.value.status, refused.value.detail) == (403, "Invalid JWT token")
    after = await raw_request("GET", f"{API_PATH}/dags?limit=1", token=token)
    assert (after.status, after.json()) == (403, {"detail": "Invalid JWT token"})
