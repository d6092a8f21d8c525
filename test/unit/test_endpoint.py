"""Argument checks and wire encoding of Endpoint.prepare(), without a server."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Dict

import pytest

from titanium_airflow_client import ApiTypeError, ApiValueError
from titanium_airflow_client.api import dag_api, dag_run_api
from titanium_airflow_client.endpoint import encode_path_segment


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
    request = dag_run_api.GET_DAG_RUN.prepare({"dag_id": "my.dag", "dag_run_id": "../../x", "fields": None})
    assert request.method == "GET"
    assert request.path == "/dags/my.dag/dagRuns/..%2F..%2Fx"
    assert request.body is None


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
    from titanium_airflow_client import DAGRun

    with pytest.raises(ApiValueError, match="'titanium_dag_run' cannot be sent as JSON: Out of range float"):
        dag_run_api.POST_DAG_RUN.prepare({"dag_id": "d", "titanium_dag_run": DAGRun(conf={"nested": [1.0, bad]})})
