"""Authentication, permissions and error answers of the real server, as the client maps them."""

from __future__ import annotations

import json
import socket
from typing import AsyncIterator, Awaitable, Callable, List

import pytest

from titanium_airflow_client import (
    DAG,
    ApiClient,
    ApiConnectionError,
    ApiTimeoutError,
    ApiValueError,
    BadRequestException,
    ClearTaskInstances,
    DAGApi,
    DAGRun,
    DAGRunApi,
    ForbiddenException,
    NotFoundException,
    ServiceException,
    SetDagRunNote,
    UnauthorizedException,
    UpdateDagRunState,
)
from titanium_airflow_client.endpoint import Endpoint

from .conftest import DATASET_URI, PATCH_DAG, SANDBOX_DAG, VIEWER, DatasetRuns, Runs, make_client

ERRORS = "https://airflow.apache.org/docs/apache-airflow/2.11.2/stable-rest-api-ref.html#section/Errors/"
MISSING_DAG = "tit_no_such_dag"


@pytest.fixture
async def wrong_password_client() -> AsyncIterator[ApiClient]:
    # the viewer, so that failed logins never pile up on the admin account
    async with make_client((VIEWER[0], "not-the-password")) as client:
        yield client


@pytest.fixture
async def unreachable_client() -> AsyncIterator[ApiClient]:
    """A client whose host refuses every connection: any request it sends fails with a
    connection error, so an ApiValueError proves nothing was sent."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: connections are refused
        async with make_client(host=f"http://127.0.0.1:{port}/api/v1", retries=0) as client:
            yield client


# --------------------------------------------------------------------------- authentication, permissions


async def test_wrong_password_is_refused(wrong_password_client: ApiClient, dag_api: DAGApi) -> None:
    """Airflow's basic-auth backend answers 401 with ``WWW-Authenticate: Basic`` when the
    credentials fail -- unless the webserver has a public role. This server has one: the FAB
    provider defaults ``AUTH_ROLE_PUBLIC`` to "Public" (override.py, ``setdefault``), so a failed
    login continues as the permission-less Public role and ends in 403 Forbidden."""
    before = (await dag_api.get_dag(PATCH_DAG)).is_paused
    with pytest.raises((UnauthorizedException, ForbiddenException)) as caught:
        await DAGApi(wrong_password_client).patch_dag(PATCH_DAG, DAG(is_paused=not before))
    error = caught.value
    problem = error.problem
    assert problem is not None and problem.status == error.status
    if isinstance(error, UnauthorizedException):
        assert error.status == 401 and problem.title == "Unauthorized"
        assert error.headers is not None and error.headers.get("WWW-Authenticate") == "Basic"
        assert problem.type == ERRORS + "Unauthenticated"
    else:
        assert error.status == 403 and problem.title == "Forbidden"
        assert problem.type == ERRORS + "PermissionDenied"
    # reads are refused the same way
    with pytest.raises(type(error)):
        await DAGApi(wrong_password_client).get_dag("tit_bash")
    assert (await dag_api.get_dag(PATCH_DAG)).is_paused is before  # nothing changed


async def test_viewer_may_read_but_not_patch_a_dag(viewer_client: ApiClient, dag_api: DAGApi) -> None:
    viewer = DAGApi(viewer_client)
    before = await viewer.get_dag(PATCH_DAG)  # the credentials are fine: reading works
    assert before.dag_id == PATCH_DAG and before.is_paused is not None
    with pytest.raises(ForbiddenException) as caught:
        await viewer.patch_dag(PATCH_DAG, DAG(is_paused=not before.is_paused), update_mask=["is_paused"])
    assert caught.value.status == 403
    problem = caught.value.problem
    assert problem is not None and problem.title == "Forbidden" and problem.detail is None
    assert problem.type == ERRORS + "PermissionDenied"
    assert (await dag_api.get_dag(PATCH_DAG)).is_paused is before.is_paused


async def test_viewer_may_not_trigger_a_run(viewer_client: ApiClient, dag_run_api: DAGRunApi, runs: Runs) -> None:
    run_id = runs.new_id("viewer")
    with pytest.raises(ForbiddenException):
        await DAGRunApi(viewer_client).post_dag_run(SANDBOX_DAG, DAGRun(dag_run_id=run_id))
    with pytest.raises(NotFoundException):
        await dag_run_api.get_dag_run(SANDBOX_DAG, run_id)


# --------------------------------------------------------------------------- 404


async def test_unknown_dag_is_not_found_everywhere(dag_api: DAGApi, dag_run_api: DAGRunApi) -> None:
    with pytest.raises(NotFoundException) as caught:
        await dag_api.get_dag(MISSING_DAG)
    problem = caught.value.problem
    assert problem is not None and problem.status == 404 and problem.title == "DAG not found"
    assert problem.detail == f"The DAG with dag_id: {MISSING_DAG} was not found"
    assert problem.type == ERRORS + "NotFound"
    calls: List[Callable[[], Awaitable[object]]] = [
        lambda: dag_api.get_dag_details(MISSING_DAG),
        lambda: dag_api.get_tasks(MISSING_DAG),
        lambda: dag_api.get_task(MISSING_DAG, "noop"),
        lambda: dag_api.patch_dag(MISSING_DAG, DAG(is_paused=True)),
        lambda: dag_api.delete_dag(MISSING_DAG),
        lambda: dag_run_api.post_dag_run(MISSING_DAG, DAGRun()),
        lambda: dag_run_api.get_dag_run(MISSING_DAG, "some_run"),
        lambda: dag_run_api.clear_dag_run(MISSING_DAG, "some_run", {"dry_run": True}),
        lambda: dag_run_api.set_dag_run_note(MISSING_DAG, "some_run", SetDagRunNote(note="x")),
        lambda: dag_run_api.update_dag_run_state(MISSING_DAG, "some_run", UpdateDagRunState(state="failed")),
        lambda: dag_run_api.get_upstream_dataset_events(MISSING_DAG, "some_run"),
        lambda: dag_run_api.delete_dag_run(MISSING_DAG, "some_run"),
    ]
    for call in calls:
        with pytest.raises(NotFoundException) as caught:
            await call()
        assert caught.value.status == 404 and caught.value.problem is not None
        assert caught.value.problem.status == 404


async def test_unknown_run_of_a_known_dag(dag_run_api: DAGRunApi) -> None:
    with pytest.raises(NotFoundException) as caught:
        await dag_run_api.get_dag_run("tit_bash", "no-such-run")
    problem = caught.value.problem
    assert problem is not None and problem.title == "DAGRun not found"
    assert problem.detail == "DAGRun with DAG ID: 'tit_bash' and DagRun ID: 'no-such-run' not found"
    assert caught.value.method == "GET" and caught.value.url is not None
    assert caught.value.url.endswith("/dags/tit_bash/dagRuns/no-such-run")


async def test_get_dag_source_with_a_bad_token(dag_api: DAGApi) -> None:
    with pytest.raises(NotFoundException) as caught:
        await dag_api.get_dag_source("not-a-signed-token")
    assert caught.value.problem is not None and caught.value.problem.title == "Dag source not found"


# --------------------------------------------------------------------------- 400


async def test_unknown_body_key_is_a_400_with_a_parsed_problem(dag_run_api: DAGRunApi, runs: Runs) -> None:
    """A dict body passes the client (models keep unknown keys) and the server's schema refuses it."""
    run_id = runs.new_id("bad")
    runs.registry.add(SANDBOX_DAG, run_id)
    with pytest.raises(BadRequestException) as caught:
        await dag_run_api.post_dag_run(SANDBOX_DAG, {"dag_run_id": run_id, "colour": "red"})
    error = caught.value
    assert error.status == 400 and error.headers is not None
    assert error.headers["Content-Type"] == "application/problem+json"
    problem = error.problem
    assert problem is not None and problem.status == 400 and problem.title == "Bad Request"
    assert problem.type == ERRORS + "BadRequest"
    assert problem.detail == "{'colour': ['Unknown field.']}"
    assert error.data is problem  # OpenAPI Generator's name
    with pytest.raises(NotFoundException):
        await dag_run_api.get_dag_run(SANDBOX_DAG, run_id)


async def test_run_id_outside_the_allowed_pattern_is_a_500_html_page(dag_run_api: DAGRunApi, runs: Runs) -> None:
    """Server differs from the spec: a run id the scheduler's allowed_run_id_pattern refuses (here:
    a space) raises AirflowException inside the endpoint, which answers 500 with an HTML page."""
    run_id = runs.new_id("with space").replace("-", " ")
    runs.registry.add(SANDBOX_DAG, run_id)
    with pytest.raises(ServiceException) as caught:
        await dag_run_api.post_dag_run(SANDBOX_DAG, DAGRun(dag_run_id=run_id, logical_date=runs.logical_date()))
    error = caught.value
    assert error.status == 500 and error.problem is None  # no problem+json to parse
    assert error.headers is not None and error.headers["Content-Type"].startswith("text/html")
    assert error.body is not None and b"<html" in error.body.lower()
    with pytest.raises(NotFoundException):
        await dag_run_api.get_dag_run(SANDBOX_DAG, run_id)


async def test_invalid_order_by_is_a_400(dag_api: DAGApi, dag_run_api: DAGRunApi) -> None:
    with pytest.raises(BadRequestException) as caught:
        await dag_api.get_dags(order_by="description")
    assert caught.value.problem is not None
    assert (caught.value.problem.detail or "").startswith("Ordering with 'description' is disallowed")
    with pytest.raises(BadRequestException) as caught:
        await dag_run_api.get_dag_runs("tit_bash", order_by="note")
    assert "Ordering with 'note' is disallowed" in (caught.value.problem.detail or "")  # type: ignore[union-attr]


async def test_reserved_run_id_prefix_is_a_400(dag_run_api: DAGRunApi, runs: Runs) -> None:
    run_id = "scheduled__" + runs.new_id("reserved")
    runs.registry.add(SANDBOX_DAG, run_id)
    with pytest.raises(BadRequestException) as caught:
        await dag_run_api.post_dag_run(SANDBOX_DAG, DAGRun(dag_run_id=run_id, logical_date=runs.logical_date()))
    assert "scheduled__" in (caught.value.problem.detail or "")  # type: ignore[union-attr]
    with pytest.raises(NotFoundException):
        await dag_run_api.get_dag_run(SANDBOX_DAG, run_id)


async def test_half_a_data_interval_is_a_400(dag_run_api: DAGRunApi, runs: Runs) -> None:
    logical = runs.logical_date()
    with pytest.raises(BadRequestException) as caught:
        await dag_run_api.post_dag_run(
            SANDBOX_DAG, DAGRun(dag_run_id=runs.new_id("interval"), logical_date=logical, data_interval_start=logical)
        )
    assert "data_interval_start" in (caught.value.problem.detail or "")  # type: ignore[union-attr]


async def test_update_mask_other_than_is_paused_is_a_400(dag_api: DAGApi) -> None:
    before = (await dag_api.get_dag(PATCH_DAG)).is_paused
    with pytest.raises(BadRequestException) as caught:
        await dag_api.patch_dag(PATCH_DAG, DAG(is_paused=not before), update_mask=["description"])
    assert caught.value.problem is not None
    assert caught.value.problem.detail == "Only `is_paused` field can be updated through the REST API"
    assert (await dag_api.get_dag(PATCH_DAG)).is_paused is before


async def test_clear_task_instances_by_run_and_dates_is_a_400(dag_api: DAGApi, runs: Runs) -> None:
    run = await runs.sandbox_run("clear-400")
    with pytest.raises(BadRequestException) as caught:
        await dag_api.post_clear_task_instances(
            SANDBOX_DAG, ClearTaskInstances(dag_run_id=run.dag_run_id, start_date=run.logical_date, dry_run=True)
        )
    assert "dag_run_id" in (caught.value.problem.detail or "")  # type: ignore[union-attr]


async def test_bodies_the_server_cannot_take_are_refused_before_sending(unreachable_client: ApiClient) -> None:
    """Without is_paused / state / note the server crashes with a 500 HTML page; the client refuses.
    The host refuses connections, so anything sent would be an ApiConnectionError instead."""
    dags, runs = DAGApi(unreachable_client), DAGRunApi(unreachable_client)
    with pytest.raises(ApiValueError, match="is_paused"):
        await dags.patch_dag("tit_bash", DAG())
    with pytest.raises(ApiValueError, match="is_paused"):
        await dags.patch_dags("tit_", {})
    with pytest.raises(ApiValueError, match="note"):
        await runs.set_dag_run_note("tit_bash", "r", SetDagRunNote())
    with pytest.raises(ApiValueError, match="state"):
        await runs.update_dag_run_state("tit_bash", "r", {})
    with pytest.raises(ApiConnectionError):  # the control: a valid call does go out, and fails to connect
        await dags.get_dag("tit_bash")


async def test_per_call_options_against_the_server(api_client: ApiClient) -> None:
    dags = DAGApi(api_client)
    with pytest.raises(ApiTimeoutError) as caught:
        await dags.get_dags(_request_timeout=0.0001, _retries=0)
    assert caught.value.method == "GET" and "/dags" in caught.value.url
    response = await dags.get_dag_with_http_info(
        "tit_bash", _headers={"X-Titanium-Test": "yes"}, _request_timeout=(5, 30), _retries=0
    )
    assert response.status_code == 200 and response.data.dag_id == "tit_bash"


# --------------------------------------------------------------------------- ids with '/'


async def test_a_slash_in_an_id_never_reaches_another_endpoint(
    api_client: ApiClient, dag_api: DAGApi, dag_run_api: DAGRunApi, runs: Runs
) -> None:
    """Airflow decodes %2F before routing: `delete_dag("d/dagRuns/r")` would delete the run r, and
    `get_dag("d/dagRuns")` would parse a run listing as a DAG. The client refuses both; the run survives."""
    run = await runs.sandbox_run("slash")
    assert run.dag_run_id is not None
    with pytest.raises(ApiValueError, match="delete_dag\\(\\): parameter 'dag_id' must not contain '/'"):
        await dag_api.delete_dag(f"{SANDBOX_DAG}/dagRuns/{run.dag_run_id}")
    with pytest.raises(ApiValueError, match="get_dag\\(\\): parameter 'dag_id' must not contain '/'"):
        await dag_api.get_dag(f"{SANDBOX_DAG}/dagRuns")
    with pytest.raises(ApiValueError, match="parameter 'dag_run_id' must not contain '/'"):
        await dag_run_api.delete_dag_run(SANDBOX_DAG, f"{run.dag_run_id}/clear")
    assert (await dag_run_api.get_dag_run(SANDBOX_DAG, run.dag_run_id)).dag_run_id == run.dag_run_id  # it survived


async def test_a_path_parameter_declared_to_hold_slashes_round_trips(
    api_client: ApiClient, dataset_runs: DatasetRuns
) -> None:
    """A dataset URI (the spec's `format: path`) keeps its slashes, encoded, and reaches its own endpoint."""
    get_dataset = Endpoint("get_dataset", "GET", "/datasets/{uri}", None, slash_params=("uri",))
    response = await api_client.call(get_dataset, {"uri": DATASET_URI})
    assert response.status_code == 200
    assert json.loads(response.raw_data)["uri"] == DATASET_URI
