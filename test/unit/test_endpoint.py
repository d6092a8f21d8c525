"""Argument checks and wire encoding of Endpoint.prepare(), without a server."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Dict
from zoneinfo import ZoneInfo

import pytest

from titanium_airflow_client import ApiTypeError, ApiValueError, DAGRun
from titanium_airflow_client.api import dag_api, dag_run_api, variable_api
from titanium_airflow_client.endpoint import Body, Endpoint, encode_path_segment


def run_args(**overrides: Any) -> Dict[str, Any]:
    """Every get_dag_runs argument at its signature default, with overrides."""
    args: Dict[str, Any] = {name: None for name in dag_run_api.GET_DAG_RUNS.parameter_names}
    args.update(dag_id="d", limit=100)
    args.update(overrides)
    return args


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ("scheduled__2026-01-01T00:00:00+00:00", "scheduled__2026-01-01T00%3A00%3A00%2B00%3A00"),
        ("a/b", "a%2Fb"),
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("a..b", "a..b"),
        ("q?x#y", "q%3Fx%23y"),
        ("~", "~"),
        ("50%", "50%25"),
        ("sp ace", "sp%20ace"),
        ("ünï", "%C3%BCn%C3%AF"),
    ],
)
def test_path_segments_cannot_escape(value: str, encoded: str) -> None:
    assert encode_path_segment(value) == encoded


def test_path_params_are_encoded_in_place() -> None:
    request = dag_run_api.GET_DAG_RUN.prepare({"dag_id": "my.dag", "dag_run_id": "..?x#", "fields": None})
    assert request.method == "GET"
    assert request.path == "/dags/my.dag/dagRuns/..%3Fx%23"
    assert request.body is None


ENDPOINTS = [*dag_api.ENDPOINTS, *dag_run_api.ENDPOINTS]
ID_PARAMS = [(e, name) for e in ENDPOINTS for name in e.path_params if name not in e.slash_params]


@pytest.mark.parametrize(("endpoint", "name"), ID_PARAMS, ids=[f"{e.operation_id}-{n}" for e, n in ID_PARAMS])
@pytest.mark.parametrize("value", ["example_skip_dag/dagRuns/manual__1", "a/", "/", "../x"])
def test_a_slash_in_an_id_is_refused_naming_the_parameter(endpoint: Endpoint[Any], name: str, value: str) -> None:
    # Airflow decodes %2F before routing: get_dag("d/dagRuns") would list runs, delete_dag("d/dagRuns/r") delete one.
    arguments: Dict[str, Any] = {param: None for param in endpoint.parameter_names}
    arguments.update({param: "x" for param in endpoint.path_params}, **{name: value})
    with pytest.raises(ApiValueError, match=f"{endpoint.operation_id}\\(\\): parameter '{name}' must not contain '/'"):
        endpoint.prepare(arguments)


def test_declared_slash_params_keep_their_slashes_inside_the_segment() -> None:
    get_dataset = Endpoint("get_dataset", "GET", "/datasets/{uri}", None, slash_params=("uri",))
    request = get_dataset.prepare({"uri": "s3://bucket/a/../b"})
    assert request.path == "/datasets/s3%3A%2F%2Fbucket%2Fa%2F..%2Fb"
    token = dag_api.GET_DAG_SOURCE.prepare({"file_token": "Ii9maWxlcy9kYWdzL3g=.a/b"})
    assert token.path == "/dagSources/Ii9maWxlcy9kYWdzL3g%3D.a%2Fb"


@pytest.mark.parametrize("value", ["/x", "//x", "/"])
def test_a_leading_slash_is_refused_even_where_slashes_are_allowed(value: str) -> None:
    # The server merges the "//" this makes in the path and redirects (308) to the value without
    # its leading '/': followed, delete_variable("/x") would delete the variable "x".
    with pytest.raises(ApiValueError, match="delete_variable\\(\\): parameter 'variable_key' must not start with '/'"):
        variable_api.DELETE_VARIABLE.prepare({"variable_key": value})
    assert variable_api.DELETE_VARIABLE.prepare({"variable_key": "x/"}).path == "/variables/x%2F"


def test_slash_params_must_be_path_params() -> None:
    with pytest.raises(ValueError, match="\\['uri'\\] are not path parameters"):
        Endpoint("get_dag", "GET", "/dags/{dag_id}", None, slash_params=("uri",))


def test_empty_path_param_is_rejected() -> None:
    with pytest.raises(ApiValueError, match="get_dag_run\\(\\): parameter 'dag_run_id' must not be empty"):
        dag_run_api.GET_DAG_RUN.prepare({"dag_id": "d", "dag_run_id": "", "fields": None})


def test_non_str_path_param_is_rejected() -> None:
    with pytest.raises(ApiTypeError, match="parameter 'dag_id' must be str, got int"):
        dag_run_api.GET_DAG_RUN.prepare({"dag_id": 5, "dag_run_id": "r", "fields": None})


def test_list_query_params_repeat_their_key() -> None:
    request = dag_run_api.GET_DAG_RUNS.prepare(run_args(state=["success", "failed"], fields=["state"]))
    assert request.path == "/dags/d/dagRuns?limit=100&state=success&state=failed&fields=state"


def test_update_mask_is_one_comma_joined_value() -> None:
    request = dag_api.PATCH_DAG.prepare({"dag_id": "d", "dag": {"is_paused": True}, "update_mask": ["is_paused", "x"]})
    assert request.path == "/dags/d?update_mask=is_paused%2Cx"


def test_datetimes_are_rfc3339_with_offset_and_plus_encoded() -> None:
    ist = timezone(timedelta(hours=5, minutes=30))
    request = dag_run_api.GET_DAG_RUNS.prepare(
        run_args(
            limit=None,
            execution_date_gte=datetime(2026, 1, 2, 3, 4, 5, tzinfo=ist),
            execution_date_lte=datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=timezone(timedelta(hours=-7))),
            start_date_gte=datetime(2026, 1, 2, 3, 4, 5),  # naive: taken as UTC
            end_date_lte="2026-01-02T03:04:05Z",  # ISO text is accepted too
        )
    )
    assert request.path == (
        "/dags/d/dagRuns?execution_date_gte=2026-01-02T03%3A04%3A05%2B05%3A30"
        "&execution_date_lte=2026-01-02T03%3A04%3A05.123456-07%3A00"
        "&start_date_gte=2026-01-02T03%3A04%3A05%2B00%3A00"
        "&end_date_lte=2026-01-02T03%3A04%3A05%2B00%3A00"
    )


def test_bad_datetime_text_names_the_parameter() -> None:
    with pytest.raises(ApiValueError, match="parameter 'start_date_lte' is not an ISO 8601 datetime"):
        dag_run_api.GET_DAG_RUNS.prepare(run_args(start_date_lte="yesterday"))


@pytest.mark.parametrize(
    ("overrides", "error", "message"),
    [
        ({"limit": "10"}, ApiTypeError, "'limit' must be int, got str"),
        ({"limit": True}, ApiTypeError, "'limit' must be int, got bool"),
        ({"limit": 0}, ApiValueError, "'limit' must be >= 1"),
        ({"offset": -1}, ApiValueError, "'offset' must be >= 0"),
        ({"state": "success"}, ApiTypeError, "'state' must be a list of str, got str"),
        ({"state": ["ok", 3]}, ApiTypeError, "'state' must hold only str, got int 3"),
        ({"order_by": 5}, ApiTypeError, "'order_by' must be str"),
        ({"end_date_gte": 1700000000}, ApiTypeError, "'end_date_gte' must be datetime or ISO 8601 str"),
    ],
)
def test_bad_query_arguments_name_the_parameter(overrides: Dict[str, Any], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        dag_run_api.GET_DAG_RUNS.prepare(run_args(**overrides))


def test_bool_query_params_are_lowercase_words() -> None:
    args: Dict[str, Any] = {name: None for name in dag_api.GET_DAGS.parameter_names}
    args.update(only_active=False, paused=True)
    assert dag_api.GET_DAGS.prepare(args).path == "/dags?only_active=false&paused=true"
    args["paused"] = "yes"
    with pytest.raises(ApiTypeError, match="'paused' must be bool"):
        dag_api.GET_DAGS.prepare(args)


def test_required_query_param_is_enforced() -> None:
    args: Dict[str, Any] = {name: None for name in dag_api.PATCH_DAGS.parameter_names}
    args["dag"] = {"is_paused": True}
    with pytest.raises(ApiValueError, match="patch_dags\\(\\): parameter 'dag_id_pattern' is required"):
        dag_api.PATCH_DAGS.prepare(args)


def test_body_accepts_a_dict_and_rejects_other_types() -> None:
    request = dag_run_api.SET_DAG_RUN_NOTE.prepare(
        {"dag_id": "d", "dag_run_id": "r", "titanium_set_dag_run_note": {"note": "hi"}}
    )
    assert request.body == b'{"note":"hi"}'
    with pytest.raises(ApiTypeError, match="'titanium_set_dag_run_note' must be SetDagRunNote or a dict, got list"):
        dag_run_api.SET_DAG_RUN_NOTE.prepare({"dag_id": "d", "dag_run_id": "r", "titanium_set_dag_run_note": []})
    with pytest.raises(ApiValueError, match="'titanium_set_dag_run_note' is required"):
        dag_run_api.SET_DAG_RUN_NOTE.prepare({"dag_id": "d", "dag_run_id": "r", "titanium_set_dag_run_note": None})


def test_body_dict_that_does_not_fit_the_model_names_the_parameter() -> None:
    with pytest.raises(ApiValueError, match="'titanium_dag_run' is not a valid DAGRun"):
        dag_run_api.POST_DAG_RUN.prepare({"dag_id": "d", "titanium_dag_run": {"conf": "not-an-object"}})


@pytest.mark.parametrize(
    ("api_class", "module"),
    [(dag_api.DAGApi, dag_api), (dag_run_api.DAGRunApi, dag_run_api)],
)
def test_every_method_matches_its_endpoint_declaration(api_class: type, module: Any) -> None:
    """Each method passes locals() to the pipeline: its parameters must be exactly the endpoint's."""
    import inspect

    by_operation = {endpoint.operation_id: endpoint for endpoint in module.ENDPOINTS}
    methods = {
        name for name, member in inspect.getmembers(api_class, inspect.iscoroutinefunction)
        if not name.startswith("_") and not name.endswith("_with_http_info")
    }
    assert methods == set(by_operation)
    for name in methods:
        parameters = inspect.signature(getattr(api_class, name)).parameters
        declared = [p for p in parameters if p not in ("self", "options")]
        assert sorted(declared) == sorted(by_operation[name].parameter_names), name
        assert parameters["options"].kind is inspect.Parameter.VAR_KEYWORD
        assert hasattr(api_class, f"{name}_with_http_info"), name


def test_offsets_with_seconds_are_sent_in_utc() -> None:
    """RFC 3339 offsets are whole minutes; old local mean times (e.g. +00:19:32) are not."""
    amsterdam_1900 = timezone(timedelta(minutes=19, seconds=32))
    request = dag_run_api.GET_DAG_RUNS.prepare(
        run_args(limit=None, start_date_gte=datetime(1900, 1, 1, tzinfo=amsterdam_1900))
    )
    assert request.path == "/dags/d/dagRuns?start_date_gte=1899-12-31T23%3A40%3A28%2B00%3A00"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_floats_in_a_body_are_refused_not_nulled(bad: float) -> None:
    with pytest.raises(ApiValueError, match=r"'titanium_dag_run' cannot be sent as JSON: conf\['nested'\]\[1\] is"):
        dag_run_api.POST_DAG_RUN.prepare({"dag_id": "d", "titanium_dag_run": DAGRun(conf={"nested": [1.0, bad]})})


@pytest.mark.parametrize(
    ("conf", "problem"),
    [
        ({"ids": {1, 2}}, r"conf\['ids'\] is a set"),
        ({"price": Decimal("0.1")}, r"conf\['price'\] is a Decimal"),
        ({"price": Decimal("NaN")}, r"conf\['price'\] is a Decimal"),
        ({"when": datetime(2026, 1, 1)}, r"conf\['when'\] is a datetime"),
        ({"deep": [{"x": frozenset()}]}, r"conf\['deep'\]\[0\]\['x'\] is a frozenset"),
    ],
)
def test_conf_values_json_cannot_represent_are_refused_not_changed(conf: Dict[str, Any], problem: str) -> None:
    # pydantic's JSON mode would send a set as a list and a Decimal as a string: the server would get other data.
    with pytest.raises(ApiValueError, match=f"'titanium_dag_run' cannot be sent as JSON: {problem}"):
        dag_run_api.POST_DAG_RUN.prepare({"dag_id": "d", "titanium_dag_run": DAGRun(conf=conf)})
    with pytest.raises(ApiValueError, match="'titanium_dag_run'"):  # a dict body is validated the same way
        dag_run_api.POST_DAG_RUN.prepare({"dag_id": "d", "titanium_dag_run": {"conf": conf}})


def test_conf_keys_must_be_str_and_extra_fields_are_checked_too() -> None:
    run = DAGRun.model_construct(conf={1: "a"})  # built without validation, as a careless caller might
    run.model_fields_set.add("conf")
    with pytest.raises(ApiValueError, match=r"conf has the key 1 \(int\); JSON keys are str"):
        dag_run_api.POST_DAG_RUN.prepare({"dag_id": "d", "titanium_dag_run": run})
    with pytest.raises(ApiValueError, match=r"cannot be sent as JSON: extra_field is a set"):
        dag_run_api.POST_DAG_RUN.prepare({"dag_id": "d", "titanium_dag_run": DAGRun(extra_field={1})})
    cyclic: Dict[str, Any] = {}
    cyclic["self"] = cyclic
    with pytest.raises(ApiValueError, match="cannot be sent as JSON"):
        dag_run_api.POST_DAG_RUN.prepare({"dag_id": "d", "titanium_dag_run": DAGRun(conf=cyclic)})


def test_plain_json_conf_goes_out_unchanged() -> None:
    conf = {"a": [1, 2.5, True, None, "ü", {"b": (3, 4)}]}
    request = dag_run_api.POST_DAG_RUN.prepare({"dag_id": "d", "titanium_dag_run": DAGRun(conf=conf)})
    assert request.body == '{"conf":{"a":[1,2.5,true,null,"ü",{"b":[3,4]}]}}'.encode()


@pytest.mark.parametrize("field", ["note", "dag_run_id"])
def test_a_lone_surrogate_in_a_body_string_is_refused_before_sending(field: str) -> None:
    # Sent as a \ud800 escape, it makes Airflow answer 500 with an HTML page.
    with pytest.raises(ApiValueError, match="'titanium_dag_run' holds a string that is not valid UTF-8"):
        dag_run_api.POST_DAG_RUN.prepare({"dag_id": "d", "titanium_dag_run": DAGRun(**{field: "a\ud800b"})})
    with pytest.raises(ApiValueError, match="not valid UTF-8"):
        dag_run_api.POST_DAG_RUN.prepare({"dag_id": "d", "titanium_dag_run": DAGRun(conf={"k": ["\udfff"]})})


def test_a_datetime_out_of_range_in_utc_is_refused_naming_the_parameter() -> None:
    # datetime.min in Asia/Kolkata has a local-mean-time offset of +05:53:28, not whole minutes: in UTC it is
    # before year 1.
    earliest = datetime.min.replace(tzinfo=ZoneInfo("Asia/Kolkata"))
    out_of_range = r"parameter 'execution_date_gte': 0001-01-01T00:00:00\+05:53:28 is out of range"
    with pytest.raises(ApiValueError, match=out_of_range):
        dag_run_api.GET_DAG_RUNS.prepare(run_args(execution_date_gte=earliest))
    with pytest.raises(ApiValueError, match=r"'titanium_dag_run' cannot be sent as JSON: .*out of range"):
        dag_run_api.POST_DAG_RUN.prepare({"dag_id": "d", "titanium_dag_run": DAGRun(logical_date=earliest)})


# --------------------------------------------------------------------------- models named lazily


def test_a_model_declared_as_a_function_is_resolved_once_on_first_use() -> None:
    calls = []

    def dag_run() -> type[DAGRun]:
        calls.append("DAGRun")
        return DAGRun

    endpoint = Endpoint("post_x", "POST", "/x", dag_run, body=Body("run", dag_run))
    assert calls == []  # declaring resolves nothing
    assert (endpoint.returns, endpoint.model, endpoint.body and endpoint.body.model) == (DAGRun, DAGRun, DAGRun)
    assert endpoint.decode is not None and endpoint.decode(b'{"dag_id": "d"}') == DAGRun(dag_id="d")
    assert calls == ["DAGRun", "DAGRun"]  # once for the answer, once for the body
    # Then plain attributes of the endpoint: a call reads them at no cost.
    assert {"returns", "model", "decode"} <= set(vars(endpoint))
    assert endpoint.body is not None and "model" in vars(endpoint.body)


def test_a_lazily_declared_endpoint_equals_itself_before_and_after_resolving() -> None:
    endpoint = Endpoint("get_x", "GET", "/x/{x_id}", lambda: DAGRun)
    before = hash(endpoint)
    assert endpoint.returns is DAGRun
    assert hash(endpoint) == before and endpoint == endpoint


def test_importing_the_api_classes_imports_no_model() -> None:
    """An API module names its models through the lazy models package: a model is imported when an
    endpoint that needs it is first used, or its annotations are resolved."""
    script = (
        "import sys, typing\n"
        "import titanium_airflow_client.sync as t, titanium_airflow_client.v2.sync as t2\n"
        "t.ApiClient, t.DAGRunApi, t.DAGApi, t.TaskInstanceApi, t2.DagRunApi, t2.TaskInstanceApi\n"
        "def loaded():\n"
        "    return sorted(name.rsplit('.', 1)[1] for name in sys.modules if '.models.' in name\n"
        "                  and not name.rsplit('.', 1)[1].startswith('_'))\n"
        "print(loaded())\n"
        "from titanium_airflow_client.api.dag_run_api import GET_DAG_RUN\n"
        "GET_DAG_RUN.decode\n"
        "print(loaded())\n"
        "print(typing.get_type_hints(t.DAGRunApi.get_dag_runs)['return'].__name__)\n"
        "print(typing.get_type_hints(t2.DagRunApi.get_dag_run_with_http_info)['return'])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    before, after, collection, twin = done.stdout.splitlines()
    assert before == "[]"
    assert after == "['dag_run', 'dag_run_type', 'dag_state']"  # DAGRun and the enums of its fields
    assert collection == "DAGRunCollection"
    assert twin == (
        "titanium_airflow_client.api_response.ApiResponse"
        "[titanium_airflow_client.v2.models.dag_run_response.DAGRunResponse]"
    )
