"""spec/v1-overrides.yaml against the real server: for each override, what the server does (its raw
answer, read without the client) and that the generated client handles it.

Each entry's ``test:`` names a test here (or one elsewhere that does the same); test/unit/test_overrides_listed.py
checks that every named test exists.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Dict, List, Optional, Tuple

import pytest
from dateutil.parser import isoparse

from titanium_airflow_client import (
    DAG,
    ApiClient,
    ApiValueError,
    ClearDagRun,
    ConnectionApi,
    CreateDatasetEvent,
    DAGApi,
    DAGRun,
    DAGRunApi,
    DatasetApi,
    NotFoundException,
    PoolApi,
    RoleApi,
    SetDagRunNote,
    Task,
    TaskInstanceApi,
    TaskInstanceReferenceCollection,
    UpdateTaskInstancesState,
    UserApi,
    VariableApi,
    WeightRule,
    paginate,
)
from titanium_airflow_client.endpoint import encode_path_segment

from .conftest import (
    DATASET_URI,
    PATCH_DAG,
    SANDBOX_DAG,
    Cleanup,
    DatasetRuns,
    Runs,
    ensure_paused,
    raw_request,
    unique_name,
)

ERRORS = "https://airflow.apache.org/docs/apache-airflow/2.11.2/stable-rest-api-ref.html#section/Errors/"


def path(*segments: str) -> str:
    return "".join("/" + encode_path_segment(segment) for segment in segments)


def parsed(value: str) -> datetime:
    return isoparse(value)


# --------------------------------------------------------------------------- numbers


async def test_task_numbers_arrive_as_floats_of_whole_values(dag_api: DAGApi) -> None:
    """Task.retries, pool_slots and priority_weight: the server dumps 1.0; the client reads 1 (an int)."""
    raw = (await raw_request("GET", "/dags/tit_retry/tasks/flaky")).json()
    for name, value in (("retries", 1.0), ("pool_slots", 1.0), ("priority_weight", 1.0)):
        assert raw[name] == value and isinstance(raw[name], float), name
    task = await dag_api.get_task("tit_retry", "flaky")
    assert (task.retries, task.pool_slots, task.priority_weight) == (1, 1, 1)
    assert all(isinstance(n, int) for n in (task.retries, task.pool_slots, task.priority_weight))
    listed = await dag_api.get_tasks("tit_retry")
    assert [(t.task_id, t.retries) for t in listed.tasks or []] == [("flaky", 1)]
    assert isinstance((listed.tasks or [])[0].retries, int)
    # A fraction, should one come, stays a float instead of failing the whole answer.
    assert Task.model_validate({"retries": 1.5}).retries == 1.5


async def test_error_status_is_an_integer(dag_api: DAGApi) -> None:
    answer = await raw_request("GET", "/dags/tit_no_such_dag")
    assert answer.status == 404 and answer.content_type == "application/problem+json"
    raw = answer.json()
    assert raw["status"] == 404 and type(raw["status"]) is int
    with pytest.raises(NotFoundException) as caught:
        await dag_api.get_dag("tit_no_such_dag")
    problem = caught.value.problem
    assert problem is not None and problem.status == 404 and type(problem.status) is int
    assert (problem.type, problem.title) == (ERRORS + "NotFound", raw["title"])


# --------------------------------------------------------------------------- tasks, DAG details, task instances


async def test_task_as_the_server_sends_it(dag_api: DAGApi) -> None:
    """operator_name, params and total_entries (not in the spec), extra links as bare ClassReferences,
    and the weight rule as one of the named enum values."""
    raw = (await raw_request("GET", "/dags/tit_xcom/tasks")).json()
    assert raw["total_entries"] == 1
    [raw_task] = raw["tasks"]
    assert raw_task["operator_name"] == "TitaniumXComOperator" and raw_task["params"] == {}
    assert raw_task["extra_links"] == [{"class_name": "TitaniumLink", "module_path": "titanium_plugin"}]
    assert raw_task["weight_rule"] == "downstream"

    collection = await dag_api.get_tasks("tit_xcom")
    assert collection.total_entries == 1 and collection.model_extra == {}
    [task] = collection.tasks or []
    assert task.model_extra == {}  # every key the server sends is a declared field
    assert task.operator_name == "TitaniumXComOperator" and task.params == {}
    [link] = task.extra_links or []
    assert (link.class_name, link.module_path) == ("TitaniumLink", "titanium_plugin")
    assert task.weight_rule is WeightRule.DOWNSTREAM
    assert (await dag_api.get_task("tit_xcom", "push")).to_dict() == task.to_dict()


async def test_dag_details_as_the_server_sends_them(dag_api: DAGApi) -> None:
    """concurrency an integer, template_searchpath (not the spec's template_search_path), and the
    fields only DAGDetail has are never sent back: patch_dag with a DAGDetail sends is_paused alone."""
    raw = (await raw_request("GET", "/dags/tit_cron/details")).json()
    assert raw["concurrency"] == 16 and type(raw["concurrency"]) is int
    assert "template_searchpath" in raw and "template_search_path" not in raw
    assert raw["timezone"] == "UTC" and raw["dag_run_timeout"] is None and raw["dataset_expression"] is None

    details = await dag_api.get_dag_details("tit_cron")
    assert details.concurrency == 16 and type(details.concurrency) is int
    assert details.template_searchpath is None and "template_searchpath" in details.model_fields_set
    assert details.timezone == "UTC" and details.model_extra == {}

    # The server refuses these fields in a patch; the client leaves every read-only one out.
    sandbox = await dag_api.get_dag_details(PATCH_DAG)
    refused = await raw_request("PATCH", path("dags", PATCH_DAG), {"is_paused": sandbox.is_paused, "timezone": "UTC"})
    assert refused.status == 400 and refused.json()["detail"] == "{'timezone': ['Unknown field.']}"
    assert sandbox.to_request_body() == {"is_paused": sandbox.is_paused}
    patched = await dag_api.patch_dag(PATCH_DAG, sandbox)  # the same is_paused: nothing changes
    assert patched.dag_id == PATCH_DAG and patched.is_paused is sandbox.is_paused


async def test_task_instance_as_the_server_sends_it(api_client: ApiClient, bash_run: DAGRun) -> None:
    """queued_when is a date-time (the spec gives no format): the client reads a datetime."""
    run_id = bash_run.dag_run_id
    raw = (await raw_request("GET", path("dags", "tit_bash", "dagRuns", run_id, "taskInstances", "hello"))).json()
    assert isinstance(raw["queued_when"], str)
    ti = await TaskInstanceApi(api_client).get_task_instance("tit_bash", run_id, "hello")
    assert isinstance(ti.queued_when, datetime) and ti.queued_when == parsed(raw["queued_when"])
    assert ti.queued_when.tzinfo is not None


# --------------------------------------------------------------------------- bodies the server needs in another form


async def test_patch_dag_without_is_paused_is_refused_before_sending(dag_api: DAGApi) -> None:
    before = (await dag_api.get_dag(PATCH_DAG)).is_paused
    crashed = await raw_request("PATCH", path("dags", PATCH_DAG), {})
    assert crashed.status == 500 and crashed.content_type.startswith("text/html")
    crashed = await raw_request("PATCH", "/dags?dag_id_pattern=" + PATCH_DAG, {})
    assert crashed.status == 500 and crashed.content_type.startswith("text/html")
    with pytest.raises(ApiValueError, match="patch_dag\\(\\): parameter 'dag' must set is_paused"):
        await dag_api.patch_dag(PATCH_DAG, DAG())
    with pytest.raises(ApiValueError, match="patch_dags\\(\\): parameter 'dag' must set is_paused"):
        await dag_api.patch_dags(PATCH_DAG, {})
    assert (await dag_api.get_dag(PATCH_DAG)).is_paused is before


async def test_set_dag_run_note_without_note_is_refused_before_sending(dag_run_api: DAGRunApi, runs: Runs) -> None:
    run = await runs.sandbox_run("override-note", note="kept")
    assert run.dag_run_id is not None
    crashed = await raw_request("PATCH", path("dags", SANDBOX_DAG, "dagRuns", run.dag_run_id, "setNote"), {})
    assert crashed.status == 500 and crashed.content_type.startswith("text/html")
    for body in (SetDagRunNote(), {}):
        with pytest.raises(ApiValueError, match=r"set_dag_run_note\(\): .* must set note"):
            await dag_run_api.set_dag_run_note(SANDBOX_DAG, run.dag_run_id, body)
    assert (await dag_run_api.get_dag_run(SANDBOX_DAG, run.dag_run_id)).note == "kept"


async def test_update_dag_run_state_without_state_is_refused_before_sending(
    dag_run_api: DAGRunApi, runs: Runs
) -> None:
    run = await runs.sandbox_run("override-state")
    assert run.dag_run_id is not None and run.state == "queued"
    crashed = await raw_request("PATCH", path("dags", SANDBOX_DAG, "dagRuns", run.dag_run_id), {})
    assert crashed.status == 500 and crashed.content_type.startswith("text/html")
    with pytest.raises(ApiValueError, match=r"update_dag_run_state\(\): .* must set state"):
        await dag_run_api.update_dag_run_state(SANDBOX_DAG, run.dag_run_id, {})
    assert (await dag_run_api.get_dag_run(SANDBOX_DAG, run.dag_run_id)).state == "queued"


async def test_clear_dag_run_dry_run_by_default(dag_run_api: DAGRunApi, runs: Runs) -> None:
    """A dry run answers task instance references, not the TaskInstanceCollection the spec names; a real
    clear answers the run. {} is a dry run only because the server fills in its spec's default before
    its handler (whose own default is False) reads it: the client always states dry_run, True unless set."""
    run = await runs.sandbox_run("override-clear")
    assert run.dag_run_id is not None
    clear_path = path("dags", SANDBOX_DAG, "dagRuns", run.dag_run_id, "clear")
    dry = await raw_request("POST", clear_path, {})
    assert dry.status == 200 and set(dry.json()) == {"task_instances"}
    assert set(dry.json()["task_instances"][0]) == {"task_id", "dag_id", "dag_run_id", "execution_date"}
    real = await raw_request("POST", clear_path, {"dry_run": False})
    assert real.status == 200 and real.json()["dag_run_id"] == run.dag_run_id  # the run itself

    assert ClearDagRun().to_request_body() == {"dry_run": True}
    response = await dag_run_api.clear_dag_run_with_http_info(SANDBOX_DAG, run.dag_run_id, ClearDagRun())
    assert json.loads(response.raw_data) == dry.json()
    listed = response.data.actual_instance
    assert isinstance(listed, TaskInstanceReferenceCollection)
    assert [(ti.task_id, ti.dag_run_id) for ti in listed.task_instances or []] == [("noop", run.dag_run_id)]
    cleared = await dag_run_api.clear_dag_run(SANDBOX_DAG, run.dag_run_id, ClearDagRun(dry_run=False))
    assert isinstance(cleared.actual_instance, DAGRun) and cleared.actual_instance.dag_run_id == run.dag_run_id


async def test_set_task_instances_state_needs_every_include_flag(dag_api: DAGApi, runs: Runs) -> None:
    run = await runs.sandbox_run("override-flags")
    assert run.dag_run_id is not None
    body: Dict[str, Any] = {"task_id": "noop", "dag_run_id": run.dag_run_id, "new_state": "failed", "dry_run": True}
    refused = await raw_request("POST", path("dags", SANDBOX_DAG, "updateTaskInstancesState"), body)
    assert refused.status == 400
    assert all(f"'include_{flag}': ['Missing data for required field.']" in refused.json()["detail"]
               for flag in ("upstream", "downstream", "future", "past"))

    form = UpdateTaskInstancesState(**body)
    assert {k: v for k, v in form.to_request_body().items() if k.startswith("include_")} == {
        "include_upstream": False, "include_downstream": False, "include_future": False, "include_past": False,
    }
    listed = await dag_api.post_set_task_instances_state(SANDBOX_DAG, form)
    assert [(ti.task_id, ti.dag_run_id) for ti in listed.task_instances or []] == [("noop", run.dag_run_id)]


# --------------------------------------------------------------------------- parameters


async def test_limit_zero_is_read_as_no_limit(dag_api: DAGApi) -> None:
    raw = (await raw_request("GET", "/dags?limit=0")).json()
    assert len(raw["dags"]) == min(raw["total_entries"], 100) > 1  # a full default page, not zero DAGs
    assert (await raw_request("GET", "/dags?limit=-1")).status == 400
    with pytest.raises(ApiValueError, match="get_dags\\(\\): parameter 'limit' must be >= 1, got 0"):
        await dag_api.get_dags(limit=0)
    assert len((await dag_api.get_dags(limit=1)).dags or []) == 1


async def test_a_file_token_reaches_the_server_as_it_is(dag_api: DAGApi) -> None:
    """The token's format is the server's; the client sends any '/' in one (encoded) rather than refuse it."""
    token = (await dag_api.get_dag("tit_bash")).file_token
    assert token
    assert 'dag_id="tit_bash"' in ((await dag_api.get_dag_source(token)).content or "")
    raw = await raw_request("GET", path("dagSources", token + "/x"))
    assert raw.status == 404
    with pytest.raises(NotFoundException) as caught:
        await dag_api.get_dag_source(token + "/x")
    assert caught.value.problem is not None and caught.value.problem.title == raw.json()["title"]


# --------------------------------------------------------------------------- variables, datasets, users


async def test_variable_list_items_carry_the_value(api_client: ApiClient) -> None:
    raw = (await raw_request("GET", "/variables?limit=100")).json()
    assert raw["variables"] and all("value" in item for item in raw["variables"])
    seed = next(item for item in raw["variables"] if item["key"] == "tit_variable")
    listed = [v async for v in paginate(VariableApi(api_client).get_variables)()]
    assert [v.value for v in listed if v.key == "tit_variable"] == [seed["value"]] == ['{"titanium": true}']
    assert all(v.model_extra == {} for v in listed)


async def test_queued_events_as_the_server_sends_them(api_client: ApiClient, cleanup: Cleanup) -> None:
    datasets, queue_uri = DatasetApi(api_client), "file:///tmp/titanium/queue_a"
    await ensure_paused(DAGApi(api_client), "tit_dataset_queue", False)
    cleanup.add("queued events", lambda: datasets.delete_dag_dataset_queued_events("tit_dataset_queue"))
    await datasets.create_dataset_event(CreateDatasetEvent(dataset_uri=queue_uri))

    raw = (await raw_request("GET", "/dags/tit_dataset_queue/datasets/queuedEvent")).json()
    assert set(raw) == {"queued_events", "total_entries"}  # not the spec's "datasets"
    assert [(e["dag_id"], e["uri"]) for e in raw["queued_events"]] == [("tit_dataset_queue", queue_uri)]
    collection = await datasets.get_dag_dataset_queued_events("tit_dataset_queue")
    assert collection.model_extra == {} and collection.total_entries == 1
    assert [(e.dag_id, e.uri) for e in collection.queued_events or []] == [("tit_dataset_queue", queue_uri)]
    assert (collection.queued_events or [])[0].created_at == parsed(raw["queued_events"][0]["created_at"])
    by_dataset = await datasets.get_dataset_queued_events(queue_uri)
    assert [e.dag_id for e in by_dataset.queued_events or []] == ["tit_dataset_queue"]


async def test_dataset_as_the_server_sends_it(api_client: ApiClient) -> None:
    """aliases (not in the spec), and the created/updated times as date-times (the spec gives no format)."""
    raw = (await raw_request("GET", path("datasets", DATASET_URI))).json()
    assert raw["aliases"] == [] and isinstance(raw["created_at"], str)
    dataset = await DatasetApi(api_client).get_dataset(DATASET_URI)
    assert dataset.model_extra == {} and dataset.aliases == []
    assert dataset.created_at == parsed(raw["created_at"]) and dataset.updated_at == parsed(raw["updated_at"])
    assert dataset.created_at is not None and dataset.created_at.tzinfo is not None
    [consumer] = dataset.consuming_dags or []
    [raw_consumer] = raw["consuming_dags"]
    assert consumer.created_at == parsed(raw_consumer["created_at"]) and consumer.model_extra == {}
    [producer] = dataset.producing_tasks or []
    [raw_producer] = raw["producing_tasks"]
    assert producer.updated_at == parsed(raw_producer["updated_at"]) and producer.model_extra == {}


async def test_dataset_event_as_the_server_sends_it(dag_run_api: DAGRunApi, dataset_runs: DatasetRuns) -> None:
    """id (not in the spec), timestamp a date-time, and each created run's id under dag_run_id (not run_id)."""
    consumer = dataset_runs.consumer
    assert consumer.dag_run_id is not None
    raw = await raw_request(
        "GET", path("dags", "tit_dataset_consumer", "dagRuns", consumer.dag_run_id, "upstreamDatasetEvents")
    )
    raw_events = raw.json()["dataset_events"]
    assert raw_events and all(isinstance(e["id"], int) and isinstance(e["timestamp"], str) for e in raw_events)
    raw_runs = [r for e in raw_events for r in e["created_dagruns"]]
    assert raw_runs and all("dag_run_id" in r and "run_id" not in r for r in raw_runs)

    events = (await dag_run_api.get_upstream_dataset_events("tit_dataset_consumer", consumer.dag_run_id)).dataset_events
    assert [e.id for e in events or []] == [e["id"] for e in raw_events]
    assert [e.timestamp for e in events or []] == [parsed(e["timestamp"]) for e in raw_events]
    runs = [r for e in events or [] for r in e.created_dagruns or []]
    assert [r.dag_run_id for r in runs] == [r["dag_run_id"] for r in raw_runs]
    assert all(r.run_id is None and r.model_extra == {} for r in runs)
    assert ("tit_dataset_consumer", consumer.dag_run_id) in {(r.dag_id, r.dag_run_id) for r in runs}


async def test_user_as_the_server_sends_it(api_client: ApiClient) -> None:
    """fail_login_count, as the server names it (the spec says failed_login_count)."""
    raw = (await raw_request("GET", "/users/admin")).json()
    assert "fail_login_count" in raw and "failed_login_count" not in raw
    admin = await UserApi(api_client).get_user("admin")
    assert admin.fail_login_count == raw["fail_login_count"] and admin.model_extra == {}
    listed = await UserApi(api_client).get_users(limit=100)
    assert all(user.model_extra == {} for user in listed.users or [])


# --------------------------------------------------------------------------- bodies the server needs whole

USER = {"first_name": "Tit", "last_name": "Anium", "password": "pw", "roles": [{"name": "Viewer"}]}

# (API class, method, path arguments, raw path, full body, what to leave out, the server's status)
RequiredCase = Tuple[type, str, List[str], str, Dict[str, Any], str, int]


def _required_cases() -> List[RequiredCase]:
    name = unique_name("required")  # nothing by this name exists: posts would create it, patches find nothing
    variable = {"key": name, "value": "v"}
    connection = {"connection_id": name, "conn_type": "http"}
    role = {"name": name, "actions": []}
    user = {"username": name, "email": f"{name}@example.com", **USER}
    note_path = path("dags", SANDBOX_DAG, "dagRuns", name, "taskInstances", "noop", "setNote")
    cases: List[RequiredCase] = []
    for field in ("key", "value"):
        cases.append((VariableApi, "post_variables", [], "/variables", variable, field, 400))
        cases.append((VariableApi, "patch_variable", [name], path("variables", name), variable, field, 400))
    for field in ("name", "slots"):
        cases.append((PoolApi, "post_pool", [], "/pools", {"name": name, "slots": 1}, field, 400))
    for field in ("connection_id", "conn_type"):
        cases.append((ConnectionApi, "post_connection", [], "/connections", connection, field, 400))
        cases.append((ConnectionApi, "test_connection", [], "/connections/test", connection, field, 400))
    cases.append((RoleApi, "post_role", [], "/roles", role, "name", 400))
    cases.append((RoleApi, "post_role", [], "/roles", role, "actions", 500))  # a crash, with an HTML page
    cases.append((RoleApi, "patch_role", [name], path("roles", name), role, "name", 400))
    for field in ("username", "first_name", "last_name", "email"):
        cases.append((UserApi, "post_user", [], "/users", user, field, 400))
        cases.append((UserApi, "patch_user", [name], path("users", name), user, field, 400))
    # The spec's own required list (SetTaskInstanceNote.note), checked as well.
    cases.append((TaskInstanceApi, "set_task_instance_note", [SANDBOX_DAG, name, "noop"], note_path,
                  {"note": "x"}, "note", 400))
    return cases


REQUIRED_CASES = _required_cases()


@pytest.mark.parametrize(
    ("api_class", "method", "args", "raw_path", "body", "field", "status"),
    REQUIRED_CASES,
    ids=[f"{case[1]}-without-{case[5]}" for case in REQUIRED_CASES],
)
async def test_bodies_without_a_field_the_server_requires_are_refused_before_sending(
    api_client: ApiClient,
    api_class: type,
    method: str,
    args: List[str],
    raw_path: str,
    body: Dict[str, Any],
    field: str,
    status: int,
) -> None:
    without = {key: value for key, value in body.items() if key != field}
    http_method = "PATCH" if method.startswith(("patch", "set")) else "POST"
    answer = await raw_request(http_method, raw_path, without)
    assert answer.status == status
    detail: Optional[str] = answer.json().get("detail") if status == 400 else None
    if status == 400:
        assert detail is not None and field in detail
    else:
        assert answer.content_type.startswith("text/html")

    call = getattr(api_class(api_client), method)
    with pytest.raises(ApiValueError, match=f"{method}\\(\\): parameter '.*' must set {field} "):
        await call(*args, without)
