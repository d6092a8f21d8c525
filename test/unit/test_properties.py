"""Properties, checked with hypothesis against one local server.

- Whatever a server answers with 200 (any JSON, JSON shaped like the models but with
  wrong values, truncated JSON, garbage bytes), every endpoint returns its model or
  raises a library exception, never anything else.
- Request models survive ``to_request_body()`` → JSON → ``model_validate`` unchanged,
  datetimes with any whole-minute UTC offset included.
- Path parameters never leave their segment, whatever their text.

The async client runs on one event loop of this module, driven from the sync tests.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Iterator, List, Optional, Tuple, Type
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import titanium_airflow_client.models as models
from titanium_airflow_client import (
    ApiClient,
    ApiDecodeError,
    ApiValueError,
    ClearDagRun,
    ClearTaskInstances,
    Configuration,
    DAGRun,
    DAGRunApi,
    ListDagRunsForm,
    OpenApiException,
    SetDagRunNote,
    UpdateDagRunState,
    UpdateTaskInstancesState,
)
from titanium_airflow_client.api import dag_api, dag_run_api
from titanium_airflow_client.endpoint import Body, Endpoint
from titanium_airflow_client.models import ApiModel

from .conftest import DEADLINE
from .fault_server import FaultServer, Seen, reply

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


class Harness:
    """One loop, one server, one client for all examples: the server answers ``body`` with 200."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.server = FaultServer()
        self.loop.run_until_complete(self.server.start())
        self.body = b"{}"
        self.server.responder = lambda seen: reply(200, body=self.body)
        self.client = ApiClient(Configuration(host=self.server.host, retries=0, request_timeout=DEADLINE))

    def call(self, endpoint: Endpoint[Any], arguments: Dict[str, Any], body: bytes = b"{}") -> Any:
        self.body = body
        return self.loop.run_until_complete(self.client.call(endpoint, arguments))

    def close(self) -> None:
        self.loop.run_until_complete(self.client.close())
        self.loop.run_until_complete(self.server.close())
        self.loop.close()


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    instance = Harness()
    yield instance
    instance.close()


# --- every endpoint, any 200 body -------------------------------------------------------------------------------

REQUIRED_BODY_VALUES = {"is_paused": True, "note": "n", "state": "queued"}


def arguments_for(endpoint: Endpoint[Any]) -> Dict[str, Any]:
    """Valid arguments: path parameters, the smallest valid body, required queries."""
    arguments: Dict[str, Any] = {name: "x" for name in endpoint.path_params}
    for query in endpoint.query:
        arguments[query.name] = "x" if query.required else None
    if endpoint.body is not None:
        arguments[endpoint.body.name] = {name: REQUIRED_BODY_VALUES[name] for name in endpoint.body.required}
    return arguments


RETURNING = [e for e in dag_api.ENDPOINTS + dag_run_api.ENDPOINTS if e.returns is not None]
assert {e.operation_id for e in RETURNING} >= {
    "get_dag", "get_dag_details", "get_dag_runs", "clear_dag_run", "get_upstream_dataset_events", "get_tasks",
}

# Keys the models know (by their JSON names), so that generated objects hit real fields with wrong values.
MODEL_KEYS = sorted({
    field.alias or name
    for model in vars(models).values()
    if isinstance(model, type) and issubclass(model, ApiModel)
    for name, field in model.model_fields.items()
})


class Raw:
    """A JSON token json.dumps would not write: NaN, 1e400, a lone surrogate escape..."""

    def __init__(self, token: str) -> None:
        self.token = token


def dump(value: Any) -> str:
    if isinstance(value, Raw):
        return value.token
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{dump(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dump(v) for v in value) + "]"
    return json.dumps(value)


leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["2026-01-02T03:04:05+05:30", "2026-13-45T25:61:00Z", "0001-01-01T00:00:00-23:59",
                       "9999-12-31T23:59:59.999999+23:59", "CronExpression", "TimeDelta", "RelativeDelta",
                       "success", "running", "restarting_v9", "P1D", ""])
    | st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "-0", "1E-400", "123456789012345678901234567890",
                       '"\\ud800"', '"\\u0000"', "1.0e+309"]).map(Raw)
)
json_values = st.recursive(
    leaves,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(MODEL_KEYS) | st.just("__type") | st.text(max_size=6), children, max_size=6),
    max_leaves=40,
)
json_bodies = json_values.map(lambda value: dump(value).encode())
garbage_bodies = (
    st.binary(max_size=300)
    | st.tuples(json_bodies, st.integers(min_value=0)).map(lambda t: t[0][: t[1] % (len(t[0]) + 1)])  # truncated
    | st.text(max_size=100).map(lambda text: f"<html><body>{text}</body></html>".encode())
    | st.tuples(json_bodies, st.binary(min_size=1, max_size=4)).map(lambda t: t[0] + t[1])  # trailing bytes
)


def check_outcome(harness: Harness, endpoint: Endpoint[Any], body: bytes) -> None:
    try:
        response = harness.call(endpoint, arguments_for(endpoint), body)
    except ApiDecodeError as error:
        assert (error.status, error.body) == (200, body)
        str(error)  # renders
        return
    except OpenApiException as error:  # anything else from the library would be unexpected for a 200
        raise AssertionError(f"{endpoint.operation_id}: {type(error).__name__} for a 200") from error
    assert endpoint.returns is not None
    assert isinstance(response.data, endpoint.returns)
    assert response.raw_data == body
    if endpoint.returns is str:  # a text answer: whatever came, decoded
        assert response.data == body.decode("utf-8", errors="replace")
        return
    response.data.to_dict()  # a decoded model can be dumped again
    response.data.to_json()


@settings(SETTINGS, max_examples=200)
@given(endpoint=st.sampled_from(RETURNING), body=json_bodies)
def test_any_json_200_gives_the_model_or_a_library_exception(
    harness: Harness, endpoint: Endpoint[Any], body: bytes
) -> None:
    check_outcome(harness, endpoint, body)


@settings(SETTINGS, max_examples=150)
@given(endpoint=st.sampled_from(RETURNING), body=garbage_bodies)
def test_garbage_200_gives_a_decode_error_or_the_model(harness: Harness, endpoint: Endpoint[Any], body: bytes) -> None:
    check_outcome(harness, endpoint, body)


# --- request models round-trip ----------------------------------------------------------------------------------

# Whole-minute offsets: RFC 3339 has no seconds in an offset (see the report on sub-minute offsets).
offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(lambda m: timezone(timedelta(minutes=m)))
datetimes = (
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.none() | offsets)
    | st.datetimes(min_value=datetime(1980, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.timezones())
)
texts = st.text(max_size=30)
str_lists = st.lists(texts, max_size=4)
booleans = st.booleans()
# JSON has no NaN or infinity: the client refuses them (test_unencodable_arguments_are_refused_before_sending).
conf_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | texts,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=15,
)
# Fields to set (or set to None); unset ones stay out of the body.
FIELDS: Dict[Type[ApiModel], Dict[str, st.SearchStrategy[Any]]] = {
    ClearDagRun: {"dry_run": booleans},
    ListDagRunsForm: {
        "order_by": texts, "page_offset": st.integers(min_value=0), "page_limit": st.integers(min_value=1),
        "dag_ids": str_lists, "states": str_lists, "execution_date_gte": datetimes, "execution_date_lte": datetimes,
        "start_date_gte": datetimes, "start_date_lte": datetimes, "end_date_gte": datetimes, "end_date_lte": datetimes,
    },
    DAGRun: {
        "dag_run_id": texts, "logical_date": datetimes, "execution_date": datetimes, "data_interval_start": datetimes,
        "data_interval_end": datetimes, "note": texts,
        "conf": st.dictionaries(texts, conf_values, max_size=4),
        # read-only: never in the body, whatever they hold
        "dag_id": texts, "start_date": datetimes, "state": st.sampled_from(["queued", "running", "odd"]),
    },
    UpdateTaskInstancesState: {
        "dry_run": booleans, "task_id": texts, "execution_date": datetimes, "dag_run_id": texts,
        "include_upstream": booleans, "include_downstream": booleans, "include_future": booleans,
        "include_past": booleans, "new_state": st.sampled_from(["success", "failed", "skipped"]) | texts,
    },
    ClearTaskInstances: {
        "dry_run": booleans, "task_ids": str_lists, "start_date": datetimes, "end_date": datetimes,
        "only_failed": booleans, "only_running": booleans, "include_subdags": booleans,
        "include_parentdag": booleans, "reset_dag_runs": booleans, "dag_run_id": texts,
        "include_upstream": booleans, "include_downstream": booleans, "include_future": booleans,
        "include_past": booleans,
    },
    SetDagRunNote: {"note": texts},
    UpdateDagRunState: {"state": st.sampled_from(["success", "failed", "queued"]) | texts},
}
# The endpoint whose body each model is, so the wire encoding is checked too.
BODIES: Dict[Type[ApiModel], Body] = {}
for _endpoint in dag_api.ENDPOINTS + dag_run_api.ENDPOINTS:
    if _endpoint.body is not None and _endpoint.body.model in FIELDS:
        BODIES.setdefault(_endpoint.body.model, _endpoint.body)
assert set(BODIES) == set(FIELDS)


@st.composite
def request_models(draw: st.DrawFn) -> Tuple[ApiModel, Dict[str, Any]]:
    model = draw(st.sampled_from(list(FIELDS)))
    values = draw(st.fixed_dictionaries({}, optional={name: st.none() | s for name, s in FIELDS[model].items()}))
    return model(**values), values


EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def instants(value: Optional[datetime]) -> Optional[Tuple[timedelta, Optional[timedelta]]]:
    """The instant (as time since the epoch: exact, and fold-aware) and UTC offset of a datetime (naive is UTC)."""
    if value is None:
        return None
    aware = value if value.utcoffset() is not None else value.replace(tzinfo=timezone.utc)
    return aware - EPOCH, aware.utcoffset()


@settings(SETTINGS, max_examples=200)
@given(request_models())
def test_request_models_round_trip(drawn: Tuple[ApiModel, Dict[str, Any]]) -> None:
    model, values = drawn
    cls = type(model)
    body = model.to_request_body()
    assert not set(body) & {cls.model_fields[name].alias or name for name in cls.__read_only_fields__}
    again = cls.model_validate(json.loads(json.dumps(body)))
    assert again.to_request_body() == body
    for name, value in values.items():  # every datetime sent keeps its instant and its offset
        if isinstance(value, datetime) and name not in cls.__read_only_fields__:
            assert instants(getattr(again, name)) == instants(value)
    wire_body = BODIES[cls]
    if all(name in body for name in wire_body.required):  # what post_dag_run & co. put on the wire
        assert json.loads(wire_body.encode("op", model)) == body


# --- path parameters stay in their segment ----------------------------------------------------------------------


@settings(SETTINGS, max_examples=150)
@given(dag_id=st.text(min_size=1, max_size=20), dag_run_id=st.text(min_size=1, max_size=40))
def test_path_parameters_never_leave_their_segment(harness: Harness, dag_id: str, dag_run_id: str) -> None:
    body = b'{"dag_id": "d"}'
    arguments = {"dag_id": dag_id, "dag_run_id": dag_run_id, "fields": None}
    if "/" in dag_id + dag_run_id:  # no Airflow id holds one; the server would decode it and route elsewhere
        with pytest.raises(ApiValueError, match="must not contain '/'"):
            dag_run_api.GET_DAG_RUN.prepare(arguments)
        dag_id, dag_run_id = dag_id.replace("/", "%2F"), dag_run_id.replace("/", "%2F")
        arguments.update(dag_id=dag_id, dag_run_id=dag_run_id)
    harness.call(dag_run_api.GET_DAG_RUN, arguments, body)
    seen: Seen = harness.server.requests[-1]
    assert "?" not in seen.target and "#" not in seen.target
    segments: List[str] = seen.target.split("/")
    assert segments[:4] == ["", "api", "v1", "dags"] and segments[5] == "dagRuns" and len(segments) == 7
    assert (unquote(segments[4]), unquote(segments[6])) == (dag_id, dag_run_id)


def test_unencodable_arguments_are_refused_before_sending(harness: Harness) -> None:
    before = len(harness.server.requests)
    api = DAGRunApi(harness.client)
    calls = [
        api.get_dag_run("\ud800", "r"),  # a lone surrogate cannot be UTF-8
        api.get_dag_runs("d", order_by="\udc80"),
        api.post_dag_run("d", DAGRun(conf={"x": object()})),  # pydantic cannot dump it as JSON
        api.post_dag_run("d", {"conf": {"x": b"\xff"}}),
        api.post_dag_run("d", DAGRun(conf={"x": float("inf")})),  # JSON has no infinity...
        api.post_dag_run("d", DAGRun(conf={"x": [float("nan")]})),  # ...and no NaN
    ]
    for call in calls:
        with pytest.raises(OpenApiException, match=r"cannot be encoded|cannot be sent"):
            harness.loop.run_until_complete(call)
    assert len(harness.server.requests) == before
