"""The command line against either generation: the API a host serves (said by its URL or asked), and the
commands that tell about the server (``health``, ``version``)."""

from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest

from titanium_airflow_client.cli.generation import said_by_host

from .cli_run import run
from .conftest import FakeAirflow, Recorded, Reply
from .v2_api import Airflow3Auth, airflow3, root_of

HEALTHY: Dict[str, Any] = {
    "metadatabase": {"status": "healthy"},
    "scheduler": {"status": "healthy", "latest_scheduler_heartbeat": "2026-11-30T10:00:00+00:00"},
    "triggerer": {"status": "healthy", "latest_triggerer_heartbeat": "2026-11-30T10:00:01+00:00"},
    "dag_processor": {"status": "healthy", "latest_dag_processor_heartbeat": "2026-11-30T10:00:02+00:00"},
}


def paths(fake: FakeAirflow) -> List[str]:
    return [f"{request.method} {request.path}" for request in fake.requests]


def airflow3_health(fake: FakeAirflow, health: Dict[str, Any]) -> None:
    """Serve an Airflow 3 that answers ``health`` to its health endpoint."""
    fake.responder = airflow3(Airflow3Auth(), Reply(body=json.dumps(health).encode()))


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("http://a:8080/api/v1", ("http://a:8080/api/v1", "v1")),
        ("http://a:8080/api/v1/", ("http://a:8080/api/v1", "v1")),
        ("http://a:8080/api/v2", ("http://a:8080", "v2")),
        ("https://a/prefix/api/v2/", ("https://a/prefix", "v2")),
        ("http://a:8080", ("http://a:8080", None)),
        ("http://a:8080/airflow", ("http://a:8080/airflow", None)),
    ],
)
def test_the_url_says_the_api_or_leaves_it_to_be_asked(host: str, expected: Any) -> None:
    assert said_by_host(host) == expected


async def test_a_root_url_of_airflow_3_is_asked_then_spoken_to_as_v2(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    airflow3_health(fake_airflow, HEALTHY)
    result = await run(capsys, "--host", root_of(fake_airflow.host), "version")
    assert result.code == 0, result
    assert result.out.split() == ["version", "3.3.2", "git_version", ".release:abc", "api", "/api/v2"]
    assert paths(fake_airflow) == ["GET /api/v2/version", "GET /api/v2/version"]  # asked, then the command


async def test_a_root_url_of_airflow_2_is_spoken_to_as_v1(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    def airflow2(request: Recorded) -> Reply:
        if request.path == "/api/v1/version":
            return Reply(body=b'{"version": "2.11.2", "git_version": null}')
        return Reply(404, b"<html>Not Found</html>", "text/html")

    fake_airflow.responder = airflow2
    result = await run(capsys, "--host", root_of(fake_airflow.host), "version", "--json")
    assert result.code == 0, result
    assert json.loads(result.out) == {"version": "2.11.2", "git_version": None}
    assert paths(fake_airflow) == ["GET /api/v2/version", "GET /api/v1/version", "GET /api/v1/version"]


async def test_a_url_that_names_the_api_is_not_asked(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    airflow3_health(fake_airflow, HEALTHY)
    result = await run(capsys, "--host", root_of(fake_airflow.host) + "/api/v2/", "health")
    assert result.code == 0, result
    assert paths(fake_airflow) == ["GET /api/v2/monitor/health"]


async def test_an_unhealthy_component_exits_1_and_is_named(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    health = {**HEALTHY, "scheduler": {"status": "unhealthy", "latest_scheduler_heartbeat": None}}
    health.pop("dag_processor")  # a server that does not report one: no row for it
    airflow3_health(fake_airflow, health)
    result = await run(capsys, "--host", root_of(fake_airflow.host), "health")
    assert result.code == 1, result
    assert [line.split()[:2] for line in result.out.splitlines()[1:]] == [
        ["metadatabase", "healthy"], ["scheduler", "unhealthy"], ["triggerer", "healthy"]
    ]
    assert result.err == "not healthy: scheduler\n"
    as_json = await run(capsys, "--host", root_of(fake_airflow.host) + "/api/v2", "health", "--json")
    assert as_json.code == 1 and json.loads(as_json.out)["scheduler"]["status"] == "unhealthy"


async def test_no_airflow_at_the_url_is_one_error_line(
    fake_airflow: FakeAirflow, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_airflow.responder = lambda request: Reply(404, b"<html>nothing here</html>", "text/html")
    root = root_of(fake_airflow.host)
    result = await run(capsys, "--host", root, "dags", "list")
    assert result.code == 2 and result.out == "", result
    assert result.err.startswith(f"titanium-airflow: error: no Airflow API found at {root}"), result
    assert len(result.err.splitlines()) == 1
