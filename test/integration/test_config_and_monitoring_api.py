"""ConfigApi, MonitoringApi, PluginApi and ProviderApi against the real server.

scripts/airflow-local.sh configures the server (SequentialExecutor, the DAG folder, expose_config
non-sensitive-only) and points its plugins folder at test/plugins (the "titanium" plugin).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Dict

import pytest

from titanium_airflow_client import (
    ApiClient,
    ApiDecodeError,
    Config,
    ConfigApi,
    MonitoringApi,
    NotFoundException,
    PluginApi,
    ProviderApi,
    paginate,
)


def options(config: Config, section: str) -> Dict[str, str]:
    """The options of one section, key → value."""
    for entry in config.sections or []:
        if entry.name == section:
            return {
                option.key: option.value for option in entry.options or [] if option.key and option.value is not None
            }
    raise AssertionError(f"no section {section!r} in {[s.name for s in config.sections or []]}")


@pytest.fixture
def config_api(api_client: ApiClient) -> ConfigApi:
    return ConfigApi(api_client)


# --------------------------------------------------------------------------- config


async def test_get_config_of_one_section(config_api: ConfigApi) -> None:
    config = await config_api.get_config(section="core")
    assert [s.name for s in config.sections or []] == ["core"]
    core = options(config, "core")
    assert core["executor"] == "SequentialExecutor"
    assert core["dags_folder"].endswith("/test/dags") and core["default_timezone"] == "utc"
    assert core["fernet_key"] == "< hidden >"  # expose_config = non-sensitive-only


async def test_get_config_of_every_section(config_api: ConfigApi) -> None:
    config = await config_api.get_config()
    names = [s.name for s in config.sections or []]
    assert {"core", "webserver", "scheduler", "api", "logging"} <= set(names) and len(names) == len(set(names))
    assert options(config, "scheduler")["min_file_process_interval"] == "5"
    assert options(config, "api")["maximum_page_limit"] == "100"


async def test_get_value_json_and_text(config_api: ConfigApi) -> None:
    value = await config_api.get_value("core", "dags_folder")
    assert [(s.name, [(o.key, o.value) for o in s.options or []]) for s in value.sections or []] == [
        ("core", [("dags_folder", options(await config_api.get_config(section="core"), "core")["dags_folder"])])
    ]
    folder = options(value, "core")["dags_folder"]
    response = await config_api.get_value_text_with_http_info("core", "dags_folder")
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.data == f"[core]\ndags_folder = {folder}\n"
    assert options(await config_api.get_value("core", "fernet_key"), "core") == {"fernet_key": "< hidden >"}
    with pytest.raises(NotFoundException) as caught:
        await config_api.get_value("core", "no_such_option")
    assert caught.value.problem is not None and caught.value.problem.title == "Config not found."


async def test_get_config_text_is_ini(config_api: ConfigApi) -> None:
    core = options(await config_api.get_config(section="core"), "core")
    response = await config_api.get_config_text_with_http_info(section="core")
    assert response.headers["Content-Type"].startswith("text/plain")
    text = response.data
    assert text.startswith("[core]\n") and text.count("\n[") == 0  # one section only
    assert f"executor = {core['executor']}\n" in text and f"dags_folder = {core['dags_folder']}\n" in text
    every = await config_api.get_config_text()
    sections = re.findall(r"^\[([^\]]+)\]$", every, flags=re.M)
    assert sections == [s.name for s in (await config_api.get_config()).sections or []]


async def test_get_config_with_a_text_accept_header_is_a_clear_decode_error(config_api: ConfigApi) -> None:
    for call in (
        config_api.get_config(section="core", _headers={"Accept": "text/plain"}),
        config_api.get_value("core", "executor", _headers={"Accept": "text/plain"}),
    ):
        with pytest.raises(ApiDecodeError) as caught:
            await call
        message = str(caught.value)
        assert "as Config" in message and "the server answered text/plain, not JSON" in message
        assert caught.value.status == 200 and caught.value.body is not None
        assert caught.value.body.startswith(b"[core]\n")


# --------------------------------------------------------------------------- monitoring


async def test_get_health(api_client: ApiClient, viewer_client: ApiClient) -> None:
    for client in (api_client, viewer_client):
        health = await MonitoringApi(client).get_health()
        assert health.metadatabase is not None and health.metadatabase.status == "healthy"
        assert health.scheduler is not None and health.scheduler.status == "healthy"
        heartbeat = health.scheduler.latest_scheduler_heartbeat
        assert heartbeat is not None and heartbeat.tzinfo is not None
        assert datetime.now(timezone.utc) - heartbeat < timedelta(seconds=60)
        # No triggerer and no standalone DAG processor run here: both report null.
        assert health.triggerer is not None and health.triggerer.status is None
        assert health.dag_processor is not None and health.dag_processor.status is None


async def test_get_version(api_client: ApiClient) -> None:
    response = await MonitoringApi(api_client).get_version_with_http_info()
    assert response.data.version == "2.11.2" and response.data.git_version is not None
    assert not response.data.model_extra


# --------------------------------------------------------------------------- plugins and providers


async def test_get_plugins_lists_the_titanium_plugin(api_client: ApiClient) -> None:
    plugins = PluginApi(api_client)
    listed = await plugins.get_plugins()
    assert listed.total_entries == len(listed.plugins or [])
    (titanium,) = [p for p in listed.plugins or [] if p.name == "titanium"]
    assert titanium.macros == ["titanium_plugin.titanium_greeting"]
    assert titanium.operator_extra_links == ["<titanium_plugin.TitaniumLink object>"]
    assert titanium.source == "$PLUGINS_FOLDER/titanium_plugin.py"
    assert titanium.hooks == [] and titanium.executors == [] and titanium.listeners == [] and titanium.timetables == []
    assert not titanium.model_extra
    paged = [p.name async for p in paginate(plugins.get_plugins)(limit=1)]
    assert paged == [p.name for p in listed.plugins or []]


async def test_get_providers(api_client: ApiClient) -> None:
    listed = await ProviderApi(api_client).get_providers()
    providers = {p.package_name: p for p in listed.providers or []}
    assert listed.total_entries == len(listed.providers or []) == len(providers)
    # What Airflow 2.11 itself depends on: the FAB auth manager, the SQLite metadatabase, common SQL.
    assert {
        "apache-airflow-providers-fab",
        "apache-airflow-providers-sqlite",
        "apache-airflow-providers-common-sql",
    } <= set(providers)
    for name, provider in providers.items():
        assert name is not None and name.startswith("apache-airflow-providers-")
        assert provider.version is not None and re.fullmatch(r"\d+\.\d+\.\d+\S*", provider.version)
        assert provider.description
    paged = [p.package_name async for p in paginate(ProviderApi(api_client).get_providers)()]
    assert paged == [p.package_name for p in listed.providers or []]
