"""What an older server lacks is refused before sending, once the client knows the server's version
(``Configuration.server_version``, or asked once per host); unknown, an error answer says what may be why."""

from __future__ import annotations

import asyncio
import pickle
from typing import AsyncIterator, Optional

import pytest

from titanium_airflow_client import ApiClient, Configuration, DAGRunApi, DagStatsApi
from titanium_airflow_client.exceptions import ApiValueError, ApiVersionError, UnprocessableEntityException
from titanium_airflow_client.v2 import DagRunApi

from .conftest import FakeAirflow, Recorded, Reply
from .v2_api import root_of

RUNS = {"dag_runs": [], "total_entries": 0}


def v2_configuration(fake: FakeAirflow, server_version: Optional[str] = None) -> Configuration:
    return Configuration(host=root_of(fake.host), access_token="tok", retries=0, server_version=server_version)


def version_requests(fake: FakeAirflow) -> list[str]:
    return [request.path for request in fake.requests if request.path.endswith("/version")]


@pytest.fixture
async def v2_runs(fake_airflow: FakeAirflow) -> AsyncIterator[DagRunApi]:
    """DagRunApi on the fake server, whose version endpoint says 3.0.6 and whose other answers are empty runs."""

    def answer(request: Recorded) -> Reply:
        if request.path == "/api/v2/version":
            return Reply(body=b'{"version": "3.0.6", "git_version": null}')
        return Reply(body=b'{"dag_runs": [], "total_entries": 0}')

    fake_airflow.responder = answer
    async with ApiClient(v2_configuration(fake_airflow)) as client:
        yield DagRunApi(client)


async def test_a_configured_version_refuses_a_later_parameter_before_sending(fake_airflow: FakeAirflow) -> None:
    async with ApiClient(v2_configuration(fake_airflow, "3.0.6")) as client:
        with pytest.raises(ApiVersionError) as refused:
            await DagRunApi(client).get_dag_runs("~", cursor="")
        assert str(refused.value) == (
            "get_dag_runs(cursor=...) needs Airflow 3.2 or later, and the server is Airflow 3.0.6"
            " (Configuration.server_version); nothing was sent"
        )
        assert (refused.value.operation, refused.value.needed, refused.value.server_version) == (
            "get_dag_runs", "3.2", "3.0.6"
        )
        assert isinstance(refused.value, ApiValueError)  # a wrong argument for this server
        assert fake_airflow.requests == []
        fake_airflow.reply(200, RUNS)
        await DagRunApi(client).get_dag_runs("~", limit=5)  # what 3.0 has goes out as ever
        assert [request.path for request in fake_airflow.requests] == ["/api/v2/dags/~/dagRuns"]
        clone = pickle.loads(pickle.dumps(refused.value))
        assert (type(clone), str(clone), clone.needed) == (ApiVersionError, str(refused.value), "3.2")


async def test_the_version_is_asked_once_for_all_calls_that_need_it(
    fake_airflow: FakeAirflow, v2_runs: DagRunApi
) -> None:
    await v2_runs.get_dag_runs("~")  # nothing later than 3.0: the version is not asked
    assert version_requests(fake_airflow) == []
    calls = [v2_runs.get_dag_runs("~", cursor="") for _ in range(5)]
    results = await asyncio.gather(*calls, return_exceptions=True)
    assert all(isinstance(result, ApiVersionError) for result in results)
    assert "the server is Airflow 3.0.6 (GET version)" in str(results[0])
    with pytest.raises(ApiVersionError, match=r"get_dag_runs\(run_after_gt=\.\.\.\) needs Airflow 3\.1"):
        await v2_runs.get_dag_runs("~", run_after_gt="2026-01-01T00:00:00Z")
    assert version_requests(fake_airflow) == ["/api/v2/version"]  # once, however many calls


async def test_a_new_enough_server_gets_the_call(fake_airflow: FakeAirflow) -> None:
    fake_airflow.reply(200, {"version": "3.2.2"})
    fake_airflow.reply(200, RUNS)
    async with ApiClient(v2_configuration(fake_airflow)) as client:
        await DagRunApi(client).get_dag_runs("~", cursor="")
    assert [request.raw_path for request in fake_airflow.requests] == [
        "/api/v2/version", "/api/v2/dags/~/dagRuns?cursor=&limit=50&offset=0"
    ]


async def test_an_unknown_version_adds_a_note_to_the_error_answer(fake_airflow: FakeAirflow) -> None:
    fake_airflow.reply(404, {"detail": "Not Found"})  # a server without the version endpoint
    fake_airflow.reply(422, {"detail": [{"type": "extra_forbidden", "loc": ["query", "cursor"], "msg": "Extra"}]})
    async with ApiClient(v2_configuration(fake_airflow)) as client:
        with pytest.raises(UnprocessableEntityException) as refused:
            await DagRunApi(client).get_dag_runs("~", cursor="")
    assert refused.value.note == (
        "get_dag_runs(cursor=...) is new in Airflow 3.2: a server older than that answers so"
        " (set Configuration.server_version to be told before sending)"
    )
    assert str(refused.value).endswith("\nNote: " + refused.value.note)
    assert len(fake_airflow.requests) == 2  # the version asked, then the call sent


async def test_v1_operations_new_in_2_10_on_a_2_9_server(fake_airflow: FakeAirflow) -> None:
    configuration = Configuration(host=fake_airflow.host, username="admin", password="s3cret", server_version="2.9.3")
    async with ApiClient(configuration) as client:
        with pytest.raises(ApiVersionError, match=r"^get_dag_stats\(\) needs Airflow 2\.10 or later"):
            await DagStatsApi(client).get_dag_stats("tit_bash")
        fake_airflow.reply(200, {"dag_id": "d", "dag_run_id": "r"})
        await DAGRunApi(client).get_dag_run("d", "r")
    assert [request.path for request in fake_airflow.requests] == ["/api/v1/dags/d/dagRuns/r"]


async def test_v1_asks_its_own_version_endpoint(fake_airflow: FakeAirflow) -> None:
    fake_airflow.reply(200, {"version": "2.10.5"})
    fake_airflow.reply(200, {"dags": [], "total_entries": 0})
    configuration = Configuration(host=fake_airflow.host, username="admin", password="s3cret", retries=0)
    async with ApiClient(configuration) as client:
        await DagStatsApi(client).get_dag_stats("tit_bash")
    assert [request.path for request in fake_airflow.requests] == ["/api/v1/version", "/api/v1/dagStats"]


@pytest.mark.parametrize("bad", ["", "three", "v3.0", 3.0])
def test_server_version_must_be_a_version(bad: object) -> None:
    with pytest.raises(ApiValueError, match=r"server_version must be an Airflow version such as '3\.0\.6'"):
        Configuration(server_version=bad)  # type: ignore[arg-type]
