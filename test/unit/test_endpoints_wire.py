"""Every endpoint on the wire: the exact request each API method sends, and what it returns.

For all 20 methods of DAGApi and DAGRunApi, against the recording server of conftest:
HTTP method, raw path and query exactly as received (percent-encoding, order, repeated
keys), Content-Type, the exact JSON body, the decoded return value, and the
``_with_http_info`` twins. Signatures, defaults and docstrings are checked against the
seed pages (the contract), parsed here so the check cannot drift from them.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import time
import typing
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple, Type, Union

import pytest
from dateutil import tz

import titanium_airflow_client
from titanium_airflow_client import (
    DAG,
    ApiClient,
    ApiResponse,
    ClearDagRun,
    ClearDagRun200Response,
    ClearTaskInstances,
    DAGCollection,
    DAGDetail,
    DAGRun,
    DAGRunApi,
    DAGRunCollection,
    DatasetEventCollection,
    GetDagSource200Response,
    ListDagRunsForm,
    SetDagRunNote,
    SettableDagRunState,
    Task,
    TaskCollection,
    TaskInstanceReferenceCollection,
    TitaniumClearDagRun,
    TitaniumDAGRun,
    TitaniumListDagRunsForm,
    TitaniumSetDagRunNote,
    TitaniumUpdateDagRunState,
    UpdateDagRunState,
    UpdateTaskInstancesState,
    UpdateTaskState,
)

from .conftest import FakeAirflow
from .payloads import DAG_CRON, DAG_RUN_UTC, DATASET_EVENTS, DETAIL_EXTRA, TASK_COMPUTE

UTC = timezone.utc
IST = timezone(timedelta(hours=5, minutes=30))
PREFIX = "/api/v1"  # the fake server's base path (conftest's host)

# --- canned answers, shaped as the Airflow 2.11 marshmallow schemas dump them -------------------------------

# Realistic server answers, shared with test_models.
DAG_JSON: Dict[str, Any] = DAG_CRON
DAG_DETAIL_JSON: Dict[str, Any] = {**DAG_CRON, **DETAIL_EXTRA}
TASK_JSON: Dict[str, Any] = TASK_COMPUTE
DAG_RUN_JSON: Dict[str, Any] = DAG_RUN_UTC
DATASET_EVENTS_JSON: Dict[str, Any] = DATASET_EVENTS
DAG_COLLECTION_JSON: Dict[str, Any] = {"dags": [DAG_JSON], "total_entries": 1}
DAG_SOURCE_JSON: Dict[str, Any] = {"content": "from airflow import DAG\n\nwith DAG('tit_cron'):\n    pass\n"}
TASK_COLLECTION_JSON: Dict[str, Any] = {"tasks": [TASK_JSON], "total_entries": 1}
DAG_RUN_COLLECTION_JSON: Dict[str, Any] = {"dag_runs": [DAG_RUN_JSON], "total_entries": 1}
TI_REFERENCES_JSON: Dict[str, Any] = {
    "task_instances": [
        {
            "task_id": "hello",
            "dag_id": "tit_bash",
            "dag_run_id": "manual__2026-01-01T00:00:00+00:00",
            "execution_date": "2026-01-01T00:00:00+00:00",
        }
    ]
}

# What a 2xx answer of each return type looks like (by the seed pages' type names too).
REPLIES: Dict[Type[Any], Dict[str, Any]] = {
    DAG: DAG_JSON,
    DAGDetail: DAG_DETAIL_JSON,
    DAGCollection: DAG_COLLECTION_JSON,
    GetDagSource200Response: DAG_SOURCE_JSON,
    Task: TASK_JSON,
    TaskCollection: TASK_COLLECTION_JSON,
    TaskInstanceReferenceCollection: TI_REFERENCES_JSON,
    DAGRun: DAG_RUN_JSON,
    DAGRunCollection: DAG_RUN_COLLECTION_JSON,
    DatasetEventCollection: DATASET_EVENTS_JSON,
    ClearDagRun200Response: TI_REFERENCES_JSON,
}

# --- the seed pages ----------------------------------------------------------------------------------------

SEED_DIR = Path(__file__).resolve().parent.parent / "seeds"  # the seed pages, a contract, kept with the tests
NO_DEFAULT: Any = inspect.Parameter.empty


@dataclass(frozen=True)
class SeedParam:
    name: str
    type: str  # as the table writes it: "str", "List[str]", "TitaniumDAGRun", ...
    optional: bool
    default: Any  # NO_DEFAULT when the table has no "[default to X]"


@dataclass(frozen=True)
class SeedMethod:
    api: str
    name: str
    http_method: str
    path: str
    returns: Optional[str]  # None for "void"
    signature_args: Tuple[Tuple[str, bool], ...]  # (name, passed as name=name) from the "> ..." line
    params: Tuple[SeedParam, ...]
    content_type: Optional[str]  # None for "Not defined"
    success_status: int

    @property
    def path_params(self) -> List[str]:
        return re.findall(r"\{(\w+)\}", self.path)


_ROUTE = re.compile(r"^\[\*\*(\w+)\*\*\]\([^)]*\) \| \*\*([A-Z]+)\*\* (\S+) \|")
_SECTION = re.compile(r"^# \*\*(\w+)\*\*$", re.MULTILINE)
_CALL = re.compile(r"^> (?:(\w+) )?(\w+)\((.*)\)$", re.MULTILINE)
_PARAM_ROW = re.compile(r"^ \*\*(\w+)\*\* \|(.*)$", re.MULTILINE)


def _seed_default(notes: str) -> Any:
    match = re.search(r"\[default to ([^\]]+)\]", notes)
    if match is None:
        return NO_DEFAULT
    text = match.group(1).strip()
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def parse_seed(path: Path) -> Dict[str, SeedMethod]:
    text = path.read_text(encoding="utf-8")
    api = path.stem
    routes = {m.group(1): (m.group(2), m.group(3)) for m in map(_ROUTE.match, text.splitlines()) if m}
    pieces = _SECTION.split(text)  # preamble, name, body, name, body, ...
    methods: Dict[str, SeedMethod] = {}
    for name, body in zip(pieces[1::2], pieces[2::2], strict=True):
        call = _CALL.search(body)
        assert call is not None and call.group(2) == name, f"{api}.{name}: no '> ... {name}(...)' line"
        args = tuple(
            (arg.split("=", 1)[0], "=" in arg) for arg in (a.strip() for a in call.group(3).split(",")) if arg
        )
        params = []
        for row in _PARAM_ROW.finditer(body):
            type_cell, _description, notes = row.group(2).split("|")[:3]
            type_match = re.search(r"\*\*(.+?)\*\*", type_cell)
            assert type_match is not None, f"{api}.{name}: no type for {row.group(1)}"
            params.append(SeedParam(row.group(1), type_match.group(1), "[optional]" in notes, _seed_default(notes)))
        content_type = re.search(r"^ - \*\*Content-Type\*\*: (.+)$", body, re.MULTILINE)
        status = re.search(r"^\*\*(2\d\d)\*\*", body, re.MULTILINE)
        assert content_type is not None and status is not None, f"{api}.{name}: no headers or status"
        http_method, route = routes[name]
        methods[name] = SeedMethod(
            api, name, http_method, route, call.group(1), args, tuple(params),
            None if content_type.group(1).strip() == "Not defined" else content_type.group(1).strip(),
            int(status.group(1)),
        )
    assert set(methods) == set(routes), f"{api}: method table and sections disagree"
    return methods


def load_seeds() -> Dict[str, SeedMethod]:
    return {**parse_seed(SEED_DIR / "DAGApi.md"), **parse_seed(SEED_DIR / "DAGRunApi.md")}


def api_method_names(api_class: Type[Any]) -> List[str]:
    return sorted(
        name
        for name, member in vars(api_class).items()
        if not name.startswith("_") and not name.endswith("_with_http_info") and inspect.iscoroutinefunction(member)
    )


# The API classes the seed pages specify, and their methods; every operation is checked by test_generated_wire.py.
API_CLASSES: Tuple[Type[Any], ...] = tuple(
    getattr(titanium_airflow_client, api) for api in sorted({seed.api for seed in load_seeds().values()})
)
ALL_METHODS = sorted({name for api_class in API_CLASSES for name in api_method_names(api_class)} & set(load_seeds()))


def api_class_of(name: str) -> Type[Any]:
    cls: Type[Any] = getattr(titanium_airflow_client, load_seeds()[name].api)
    return cls


def seed_type(name: str) -> Any:
    """The Python type a seed table type names."""
    builtin: Dict[str, Any] = {"str": str, "int": int, "bool": bool, "datetime": datetime, "List[str]": List[str]}
    return builtin[name] if name in builtin else getattr(titanium_airflow_client, name)


def union_members(annotation: Any) -> List[Any]:
    if typing.get_origin(annotation) is Union:
        return [member for arg in typing.get_args(annotation) for member in union_members(arg)]
    return [annotation]


def wire_json(value: Any) -> str:
    """Canonical JSON text: compares types too (True is not 1) but not key order."""
    return json.dumps(value, sort_keys=True)


def wire_value(value: Any) -> str:
    """How a scalar query default travels."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- the signature contract ---------------------------------------------------------------------------------


@pytest.mark.parametrize("api_class", API_CLASSES, ids=lambda c: c.__name__)
def test_api_has_every_seed_method_each_with_a_twin(api_class: Type[Any]) -> None:
    seeds = load_seeds()
    expected = sorted(name for name, seed in seeds.items() if seed.api == api_class.__name__)
    assert len(expected) == {"DAGApi": 11, "DAGRunApi": 9}[api_class.__name__]
    assert set(expected) <= set(api_method_names(api_class))
    for name in expected:
        twin = getattr(api_class, f"{name}_with_http_info")
        assert inspect.iscoroutinefunction(getattr(api_class, name)), f"{name} must be awaitable"
        assert inspect.iscoroutinefunction(twin), f"{name}_with_http_info must be awaitable"
        assert twin.__name__ == f"{name}_with_http_info"


def test_seed_pages_parse_into_twenty_methods() -> None:
    seeds = load_seeds()
    assert len(seeds) == 20
    get_dags = seeds["get_dags"]
    assert (get_dags.http_method, get_dags.path, get_dags.returns) == ("GET", "/dags", "DAGCollection")
    assert [(p.name, p.default) for p in get_dags.params if p.default is not NO_DEFAULT] == [
        ("limit", 100),
        ("only_active", True),
    ]
    assert seeds["delete_dag"].returns is None and seeds["delete_dag"].success_status == 204
    assert seeds["post_dag_run"].content_type == "application/json"
    assert seeds["get_dag_runs"].params[0] == SeedParam("dag_id", "str", False, NO_DEFAULT)


@pytest.mark.parametrize("name", ALL_METHODS)
def test_signature_matches_the_seed_page(name: str) -> None:
    seed = load_seeds()[name]
    method = getattr(api_class_of(name), name)
    # The "> ..." line and the Parameters table of the page agree with each other.
    assert [arg for arg, _ in seed.signature_args] == [p.name for p in seed.params]
    assert [keyword for _, keyword in seed.signature_args] == [p.optional for p in seed.params]

    for callable_ in (method, getattr(api_class_of(name), f"{name}_with_http_info")):
        parameters = list(inspect.signature(callable_).parameters.values())
        assert parameters[0].name == "self"
        assert parameters[-1].kind is inspect.Parameter.VAR_KEYWORD  # the per-call options
        own = parameters[1:-1]
        assert [p.name for p in own] == [p.name for p in seed.params]
        for param, seed_param in zip(own, seed.params, strict=True):
            assert param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD, param.name
            if not seed_param.optional:
                assert param.default is inspect.Parameter.empty, f"{name}({param.name}) must be required"
            elif seed_param.default is NO_DEFAULT:
                assert param.default is None, f"{name}({param.name}) must default to None"
            else:  # type-strict: a default of 1 is not True
                assert type(param.default) is type(seed_param.default), param.name
                assert param.default == seed_param.default, f"{name}({param.name}) default"

    hints = typing.get_type_hints(method)
    expected_return = type(None) if seed.returns is None else getattr(titanium_airflow_client, seed.returns)
    assert hints["return"] is expected_return
    for seed_param in seed.params:
        members = union_members(hints[seed_param.name])
        assert seed_type(seed_param.type) in members, f"{name}({seed_param.name}) must accept {seed_param.type}"
        assert (type(None) in members) is seed_param.optional, f"{name}({seed_param.name}) Optional-ness"


@pytest.mark.parametrize("name", ALL_METHODS)
def test_every_parameter_is_documented(name: str) -> None:
    seed = load_seeds()[name]
    method = getattr(api_class_of(name), name)
    twin = getattr(api_class_of(name), f"{name}_with_http_info")
    for doc in (method.__doc__, twin.__doc__):
        assert doc and doc.strip(), f"{name} has no docstring"
        for param in seed.params:
            assert f":param {param.name}:" in doc, f"{name} does not document {param.name}"
    assert "ApiResponse" in (twin.__doc__ or "")


@pytest.mark.parametrize("name", ["get_dag", "post_dag_run"])
def test_twin_type_hints_resolve(name: str) -> None:
    api_class = api_class_of(name)
    hints = typing.get_type_hints(getattr(api_class, f"{name}_with_http_info"))
    method_hints = typing.get_type_hints(getattr(api_class, name))
    assert typing.get_origin(hints["return"]) is ApiResponse
    assert typing.get_args(hints["return"]) == (method_hints["return"],)
    assert {k: v for k, v in hints.items() if k != "return"} == {k: v for k, v in method_hints.items() if k != "return"}


# --- every method, bare: route, seed defaults, headers and status from the seed page ---------------------------

BARE_PATH_VALUES = {
    "dag_id": ("dag?ü 1", "dag%3F%C3%BC%201"),
    "dag_run_id": ("run+1:x", "run%2B1%3Ax"),
    "task_id": ("group.task_1", "group.task_1"),
    "file_token": ("tok=en", "tok%3Den"),
}
BARE_BODIES: Dict[str, Dict[str, Any]] = {  # the least each body needs
    "dag": {"is_paused": True},
    "titanium_set_dag_run_note": {"note": "n"},
    "titanium_update_dag_run_state": {"state": "failed"},
}


@pytest.mark.parametrize("name", ALL_METHODS)
async def test_bare_call_follows_the_seed_page(fake_airflow: FakeAirflow, api_client: ApiClient, name: str) -> None:
    seed = load_seeds()[name]
    args: List[Any] = []
    query: List[str] = []
    path = seed.path
    for param in seed.params:
        if param.name in seed.path_params:
            value, encoded = BARE_PATH_VALUES[param.name]
            path = path.replace("{" + param.name + "}", encoded)
            args.append(value)
        elif param.type not in ("str", "int", "bool", "datetime", "List[str]"):  # a model: the body
            args.append(BARE_BODIES.get(param.name, {}))
        elif not param.optional:  # a required query parameter (patch_dags' dag_id_pattern)
            args.append("pat")
            query.append(f"{param.name}=pat")
        elif param.default is not NO_DEFAULT:
            query.append(f"{param.name}={wire_value(param.default)}")
    returns = None if seed.returns is None else getattr(titanium_airflow_client, seed.returns)
    fake_airflow.reply(seed.success_status, None if returns is None else REPLIES[returns])

    result = await getattr(api_class_of(name)(api_client), name)(*args)

    request = fake_airflow.last
    assert request.method == seed.http_method
    assert request.raw_path == PREFIX + path + ("?" + "&".join(query) if query else "")
    assert request.headers.get("Content-Type") == seed.content_type
    assert request.headers["Accept"] == "application/json"
    assert (request.body != b"") is (seed.content_type is not None)
    if returns is None:
        assert result is None
    else:
        assert type(result) is returns


# --- the exact request of every method and parameter --------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    args: Tuple[Any, ...]
    kwargs: Dict[str, Any]
    method: str
    path: str  # raw path and query after /api/v1, exactly as the server must receive it
    body: Any = None  # the JSON the body must parse to; None: no body at all
    returns: Optional[Type[Any]] = None  # None: 204 and no data
    reply: Optional[Dict[str, Any]] = None  # defaults to REPLIES[returns]
    inner: Optional[Type[Any]] = None  # type of ClearDagRun200Response.actual_instance
    marks: Tuple[Any, ...] = field(default=())


def case(
    id: str, call: Tuple[str, Tuple[Any, ...], Dict[str, Any]], method: str, path: str, body: Any = None,
    returns: Optional[Type[Any]] = None, **extra: Any,
) -> Case:
    name, args, kwargs = call
    return Case(id, name, args, kwargs, method, path, body, returns, **extra)


def call(name: str, *args: Any, **kwargs: Any) -> Tuple[str, Tuple[Any, ...], Dict[str, Any]]:
    return name, args, kwargs


RUN = "manual__2026-01-01T00:00:00+00:00"
RUN_ENC = "manual__2026-01-01T00%3A00%3A00%2B00%3A00"
RUN_PATH = f"/dags/tit_bash/dagRuns/{RUN_ENC}"
INCLUDES_OFF = {"include_upstream": False, "include_downstream": False, "include_future": False, "include_past": False}
WRITABLE_RUN_FIELDS = ("dag_run_id", "logical_date", "execution_date", "data_interval_start", "data_interval_end",
                       "conf", "note")

CASES: List[Case] = [
    # DAGApi.delete_dag
    case("delete_dag", call("delete_dag", "tit_bash"), "DELETE", "/dags/tit_bash"),
    case("delete_dag-encoded", call("delete_dag", "etl:daily v2+x"), "DELETE", "/dags/etl%3Adaily%20v2%2Bx"),
    case("delete_dag-dot-dot", call("delete_dag", ".."), "DELETE", "/dags/%2E%2E"),
    # DAGApi.get_dag
    case("get_dag", call("get_dag", "tit_cron"), "GET", "/dags/tit_cron", returns=DAG),
    case("get_dag-fields", call("get_dag", "a:b?c#d", fields=["dag_id", "is_paused"]), "GET",
         "/dags/a%3Ab%3Fc%23d?fields=dag_id&fields=is_paused", returns=DAG,
         reply={"dag_id": "a:b?c#d", "is_paused": False}),
    case("get_dag-fields-empty", call("get_dag", "tit_cron", fields=[]), "GET", "/dags/tit_cron", returns=DAG),
    # DAGApi.get_dag_details
    case("get_dag_details", call("get_dag_details", "tit_cron"), "GET", "/dags/tit_cron/details",
         returns=DAGDetail),
    case("get_dag_details-fields", call("get_dag_details", "tit_cron", fields=["catchup", "timezone"]), "GET",
         "/dags/tit_cron/details?fields=catchup&fields=timezone", returns=DAGDetail,
         reply={"catchup": False, "timezone": "UTC"}),
    # DAGApi.get_dag_source
    case("get_dag_source", call("get_dag_source", DAG_JSON["file_token"]), "GET",
         f"/dagSources/{DAG_JSON['file_token']}", returns=GetDagSource200Response),
    case("get_dag_source-encoded", call("get_dag_source", "a/b=c"), "GET", "/dagSources/a%2Fb%3Dc",
         returns=GetDagSource200Response),
    # DAGApi.get_dags
    case("get_dags-defaults", call("get_dags"), "GET", "/dags?limit=100&only_active=true", returns=DAGCollection),
    case("get_dags-all", call("get_dags", limit=5, offset=10, order_by="-last_parsed_time", tags=["etl", "team a"],
                              only_active=False, paused=True, fields=["dag_id", "is_paused"], dag_id_pattern="tit_%"),
         "GET", "/dags?limit=5&offset=10&order_by=-last_parsed_time&tags=etl&tags=team%20a&only_active=false"
                "&paused=true&fields=dag_id&fields=is_paused&dag_id_pattern=tit_%25", returns=DAGCollection),
    case("get_dags-positional", call("get_dags", 7, 0, "dag_id", ["x"], True, False, ["dag_id"], "p"), "GET",
         "/dags?limit=7&offset=0&order_by=dag_id&tags=x&only_active=true&paused=false&fields=dag_id"
         "&dag_id_pattern=p", returns=DAGCollection),
    case("get_dags-none-omits", call("get_dags", limit=None, only_active=None), "GET", "/dags",
         returns=DAGCollection),
    case("get_dags-query-escapes", call("get_dags", dag_id_pattern="a&b=c+d/ü %"), "GET",
         "/dags?limit=100&only_active=true&dag_id_pattern=a%26b%3Dc%2Bd%2F%C3%BC%20%25", returns=DAGCollection),
    # DAGApi.get_task
    case("get_task", call("get_task", "tit_bash", "group.hello"), "GET", "/dags/tit_bash/tasks/group.hello",
         returns=Task),
    case("get_task-encoded", call("get_task", "a b", "t#1"), "GET", "/dags/a%20b/tasks/t%231", returns=Task),
    # DAGApi.get_tasks
    case("get_tasks", call("get_tasks", "tit_bash"), "GET", "/dags/tit_bash/tasks", returns=TaskCollection),
    case("get_tasks-order_by", call("get_tasks", "tit_bash", order_by="-task_id"), "GET",
         "/dags/tit_bash/tasks?order_by=-task_id", returns=TaskCollection),
    # DAGApi.patch_dag
    case("patch_dag-model", call("patch_dag", "tit_cron", DAG(is_paused=True)), "PATCH", "/dags/tit_cron",
         {"is_paused": True}, DAG),
    case("patch_dag-dict-mask", call("patch_dag", "tit_cron", {"is_paused": False}, update_mask=["is_paused"]),
         "PATCH", "/dags/tit_cron?update_mask=is_paused", {"is_paused": False}, DAG),
    case("patch_dag-mask-joined", call("patch_dag", "tit_cron", {"is_paused": True},
                                       update_mask=["is_paused", "description"]),
         "PATCH", "/dags/tit_cron?update_mask=is_paused%2Cdescription", {"is_paused": True}, DAG),
    case("patch_dag-mask-empty", call("patch_dag", "tit_cron", {"is_paused": True}, update_mask=[]), "PATCH",
         "/dags/tit_cron", {"is_paused": True}, DAG),
    case("patch_dag-fetched-dag", call("patch_dag", "tit_cron", DAG.model_validate(DAG_JSON)), "PATCH",
         "/dags/tit_cron", {"is_paused": True}, DAG),
    case("patch_dag-fetched-detail", call("patch_dag", "tit_cron", DAGDetail.model_validate(DAG_DETAIL_JSON)),
         "PATCH", "/dags/tit_cron", {"is_paused": True}, DAG),
    case("patch_dag-dict-read-only", call("patch_dag", "tit_cron", {"is_paused": False, "dag_id": "x",
                                                                    "owners": ["me"], "is_active": False}),
         "PATCH", "/dags/tit_cron", {"is_paused": False}, DAG),
    # DAGApi.patch_dags
    case("patch_dags-defaults", call("patch_dags", "~", {"is_paused": True}), "PATCH",
         "/dags?dag_id_pattern=~&limit=100&only_active=true", {"is_paused": True}, DAGCollection),
    case("patch_dags-all", call("patch_dags", "tit_%", DAG(is_paused=False), limit=3, offset=1, tags=["etl", "cron"],
                                update_mask=["is_paused"], only_active=False),
         "PATCH", "/dags?dag_id_pattern=tit_%25&limit=3&offset=1&tags=etl&tags=cron&update_mask=is_paused"
                  "&only_active=false", {"is_paused": False}, DAGCollection),
    case("patch_dags-none-omits", call("patch_dags", "x", DAG(is_paused=True), limit=None, only_active=None),
         "PATCH", "/dags?dag_id_pattern=x", {"is_paused": True}, DAGCollection),
    # DAGApi.post_clear_task_instances
    case("post_clear_task_instances-empty", call("post_clear_task_instances", "tit_bash", ClearTaskInstances()),
         "POST", "/dags/tit_bash/clearTaskInstances", {}, TaskInstanceReferenceCollection),
    case("post_clear_task_instances-all", call("post_clear_task_instances", "tit_bash", ClearTaskInstances(
        dry_run=False, task_ids=["hello", "goodbye"], start_date=datetime(2026, 1, 1, tzinfo=UTC),
        end_date=datetime(2026, 1, 2, 5, 30, tzinfo=IST), only_failed=False, only_running=True, include_subdags=True,
        include_parentdag=False, reset_dag_runs=True, dag_run_id=RUN, include_upstream=True,
        include_downstream=False, include_future=True, include_past=False)),
         "POST", "/dags/tit_bash/clearTaskInstances",
         {"dry_run": False, "task_ids": ["hello", "goodbye"], "start_date": "2026-01-01T00:00:00+00:00",
          "end_date": "2026-01-02T05:30:00+05:30", "only_failed": False, "only_running": True,
          "include_subdags": True, "include_parentdag": False, "reset_dag_runs": True, "dag_run_id": RUN,
          "include_upstream": True, "include_downstream": False, "include_future": True, "include_past": False},
         TaskInstanceReferenceCollection),
    case("post_clear_task_instances-dict", call("post_clear_task_instances", "a?b",
                                                {"task_ids": ["hello"], "end_date": datetime(2026, 1, 2)}),
         "POST", "/dags/a%3Fb/clearTaskInstances", {"task_ids": ["hello"], "end_date": "2026-01-02T00:00:00+00:00"},
         TaskInstanceReferenceCollection),
    # DAGApi.post_set_task_instances_state
    case("post_set_task_instances_state-model", call(
        "post_set_task_instances_state", "tit_bash",
        UpdateTaskInstancesState(task_id="hello", dag_run_id=RUN, new_state=UpdateTaskState.SUCCESS, dry_run=False)),
         "POST", "/dags/tit_bash/updateTaskInstancesState",
         {"dry_run": False, "task_id": "hello", "dag_run_id": RUN, "new_state": "success", **INCLUDES_OFF},
         TaskInstanceReferenceCollection),
    case("post_set_task_instances_state-dict", call(
        "post_set_task_instances_state", "tit_bash",
        {"task_id": "hello", "execution_date": "2026-01-01T05:30:00+05:30", "new_state": "failed",
         "include_past": True}),
         "POST", "/dags/tit_bash/updateTaskInstancesState",
         {"task_id": "hello", "execution_date": "2026-01-01T05:30:00+05:30", "new_state": "failed",
          **INCLUDES_OFF, "include_past": True}, TaskInstanceReferenceCollection),
    case("post_set_task_instances_state-empty", call("post_set_task_instances_state", "tit_bash", {}), "POST",
         "/dags/tit_bash/updateTaskInstancesState", INCLUDES_OFF, TaskInstanceReferenceCollection),
    # DAGRunApi.clear_dag_run
    case("clear_dag_run-default", call("clear_dag_run", "tit_bash", RUN, ClearDagRun()), "POST", RUN_PATH + "/clear",
         {"dry_run": True}, ClearDagRun200Response, inner=TaskInstanceReferenceCollection),
    case("clear_dag_run-empty-dict", call("clear_dag_run", "tit_bash", RUN, {}), "POST", RUN_PATH + "/clear",
         {"dry_run": True}, ClearDagRun200Response, inner=TaskInstanceReferenceCollection),
    case("clear_dag_run-alias-real", call("clear_dag_run", "tit_bash", RUN, TitaniumClearDagRun(dry_run=False)),
         "POST", RUN_PATH + "/clear", {"dry_run": False}, ClearDagRun200Response, reply=DAG_RUN_JSON, inner=DAGRun),
    case("clear_dag_run-dict-real", call("clear_dag_run", "tit_bash", RUN, {"dry_run": False}), "POST",
         RUN_PATH + "/clear", {"dry_run": False}, ClearDagRun200Response, reply=DAG_RUN_JSON, inner=DAGRun),
    # DAGRunApi.delete_dag_run
    case("delete_dag_run", call("delete_dag_run", "tit_bash", RUN), "DELETE", RUN_PATH),
    case("delete_dag_run-dot-dot", call("delete_dag_run", "tit_bash", ".."), "DELETE",
         "/dags/tit_bash/dagRuns/%2E%2E"),
    # DAGRunApi.get_dag_run
    case("get_dag_run", call("get_dag_run", "tit_bash", RUN), "GET", RUN_PATH, returns=DAGRun),
    case("get_dag_run-fields", call("get_dag_run", "tit_bash", RUN, fields=["state", "note"]), "GET",
         RUN_PATH + "?fields=state&fields=note", returns=DAGRun, reply={"state": "success", "note": None}),
    # DAGRunApi.get_dag_runs
    case("get_dag_runs-defaults", call("get_dag_runs", "tit_bash"), "GET", "/dags/tit_bash/dagRuns?limit=100",
         returns=DAGRunCollection),
    case("get_dag_runs-none-omits", call("get_dag_runs", "tit_bash", limit=None), "GET", "/dags/tit_bash/dagRuns",
         returns=DAGRunCollection),
    case("get_dag_runs-all", call(
        "get_dag_runs", "~", limit=25, offset=0,
        execution_date_gte=datetime(2026, 1, 1, tzinfo=UTC),
        execution_date_lte=datetime(2026, 1, 31, 23, 59, 59, 999999, tzinfo=UTC),
        start_date_gte=datetime(2026, 1, 2, 5, 30, tzinfo=IST),
        start_date_lte="2026-01-03T00:00:00-07:00",
        end_date_gte=datetime(2026, 1, 4),  # naive: UTC
        end_date_lte="2026-01-05T12:00:00Z",
        updated_at_gte=datetime(2026, 1, 6, tzinfo=timezone(-timedelta(hours=3, minutes=30))),
        updated_at_lte=datetime(2026, 7, 1, tzinfo=tz.gettz("Europe/Paris")),  # summer time: +02:00
        state=["success", "failed"], order_by="-execution_date", fields=["dag_run_id", "state"]),
         "GET", "/dags/~/dagRuns?limit=25&offset=0"
                "&execution_date_gte=2026-01-01T00%3A00%3A00%2B00%3A00"
                "&execution_date_lte=2026-01-31T23%3A59%3A59.999999%2B00%3A00"
                "&start_date_gte=2026-01-02T05%3A30%3A00%2B05%3A30"
                "&start_date_lte=2026-01-03T00%3A00%3A00-07%3A00"
                "&end_date_gte=2026-01-04T00%3A00%3A00%2B00%3A00"
                "&end_date_lte=2026-01-05T12%3A00%3A00%2B00%3A00"
                "&updated_at_gte=2026-01-06T00%3A00%3A00-03%3A30"
                "&updated_at_lte=2026-07-01T00%3A00%3A00%2B02%3A00"
                "&state=success&state=failed&order_by=-execution_date&fields=dag_run_id&fields=state",
         returns=DAGRunCollection),
    # DAGRunApi.get_dag_runs_batch
    case("get_dag_runs_batch-empty", call("get_dag_runs_batch", ListDagRunsForm()), "POST", "/dags/~/dagRuns/list",
         {}, DAGRunCollection),
    case("get_dag_runs_batch-all", call("get_dag_runs_batch", ListDagRunsForm(
        order_by="-start_date", page_offset=0, page_limit=10, dag_ids=["a", "b/c"], states=["failed", "running"],
        execution_date_gte=datetime(2026, 1, 1, tzinfo=UTC), execution_date_lte=datetime(2026, 1, 2, tzinfo=IST),
        start_date_gte=datetime(2026, 1, 3), start_date_lte=datetime(2026, 1, 4, tzinfo=UTC),
        end_date_gte=datetime(2026, 1, 5, tzinfo=UTC), end_date_lte=datetime(2026, 1, 6, 1, 2, 3, 4000, tzinfo=UTC))),
         "POST", "/dags/~/dagRuns/list",
         {"order_by": "-start_date", "page_offset": 0, "page_limit": 10, "dag_ids": ["a", "b/c"],
          "states": ["failed", "running"], "execution_date_gte": "2026-01-01T00:00:00+00:00",
          "execution_date_lte": "2026-01-02T00:00:00+05:30", "start_date_gte": "2026-01-03T00:00:00+00:00",
          "start_date_lte": "2026-01-04T00:00:00+00:00", "end_date_gte": "2026-01-05T00:00:00+00:00",
          "end_date_lte": "2026-01-06T01:02:03.004000+00:00"}, DAGRunCollection),
    case("get_dag_runs_batch-dict", call("get_dag_runs_batch", {"dag_ids": ["tit_bash"], "page_limit": 1}), "POST",
         "/dags/~/dagRuns/list", {"dag_ids": ["tit_bash"], "page_limit": 1}, DAGRunCollection),
    case("get_dag_runs_batch-alias", call("get_dag_runs_batch", TitaniumListDagRunsForm(states=["queued"])), "POST",
         "/dags/~/dagRuns/list", {"states": ["queued"]}, DAGRunCollection),
    # DAGRunApi.get_upstream_dataset_events
    case("get_upstream_dataset_events", call("get_upstream_dataset_events", "tit_dataset_consumer", RUN), "GET",
         f"/dags/tit_dataset_consumer/dagRuns/{RUN_ENC}/upstreamDatasetEvents", returns=DatasetEventCollection),
    # DAGRunApi.post_dag_run
    case("post_dag_run-empty", call("post_dag_run", "tit_bash", DAGRun()), "POST", "/dags/tit_bash/dagRuns", {},
         DAGRun),
    case("post_dag_run-model", call("post_dag_run", "tit_bash", DAGRun(
        dag_run_id="manual__titanium", logical_date=datetime(2026, 1, 1, 5, 30, tzinfo=IST),
        conf={"k": [1, 2.5, None], "ü": {"nested": True}}, note="from tests")),
         "POST", "/dags/tit_bash/dagRuns",
         {"dag_run_id": "manual__titanium", "logical_date": "2026-01-01T05:30:00+05:30",
          "conf": {"k": [1, 2.5, None], "ü": {"nested": True}}, "note": "from tests"}, DAGRun),
    case("post_dag_run-alias-naive", call("post_dag_run", "etl x", TitaniumDAGRun(
        logical_date=datetime(2026, 1, 1), data_interval_start=datetime(2025, 12, 31, tzinfo=UTC),
        data_interval_end=datetime(2026, 1, 1, tzinfo=UTC), execution_date=datetime(2026, 1, 1, tzinfo=UTC))),
         "POST", "/dags/etl%20x/dagRuns",
         {"logical_date": "2026-01-01T00:00:00+00:00", "execution_date": "2026-01-01T00:00:00+00:00",
          "data_interval_start": "2025-12-31T00:00:00+00:00", "data_interval_end": "2026-01-01T00:00:00+00:00"},
         DAGRun),
    case("post_dag_run-fetched-run", call("post_dag_run", "tit_bash", DAGRun.model_validate(DAG_RUN_JSON)), "POST",
         "/dags/tit_bash/dagRuns", {key: DAG_RUN_JSON[key] for key in WRITABLE_RUN_FIELDS}, DAGRun),
    case("post_dag_run-dict-read-only", call("post_dag_run", "tit_bash", {**DAG_RUN_JSON, "note": "n"}), "POST",
         "/dags/tit_bash/dagRuns", {**{key: DAG_RUN_JSON[key] for key in WRITABLE_RUN_FIELDS}, "note": "n"},
         DAGRun),
    case("post_dag_run-conf-empty", call("post_dag_run", "tit_bash", {"conf": {}}), "POST", "/dags/tit_bash/dagRuns",
         {"conf": {}}, DAGRun),
    # DAGRunApi.set_dag_run_note
    case("set_dag_run_note-model", call("set_dag_run_note", "tit_bash", RUN, SetDagRunNote(note="checked")), "PATCH",
         RUN_PATH + "/setNote", {"note": "checked"}, DAGRun),
    case("set_dag_run_note-dict", call("set_dag_run_note", "tit_bash", RUN, {"note": "ünïcode \"q\" \n"}), "PATCH",
         RUN_PATH + "/setNote", {"note": "ünïcode \"q\" \n"}, DAGRun),
    case("set_dag_run_note-alias-empty", call("set_dag_run_note", "tit_bash", RUN, TitaniumSetDagRunNote(note="")),
         "PATCH", RUN_PATH + "/setNote", {"note": ""}, DAGRun),
    case("set_dag_run_note-clear", call("set_dag_run_note", "tit_bash", RUN, SetDagRunNote(note=None)), "PATCH",
         RUN_PATH + "/setNote", {"note": None}, DAGRun),  # an explicit null goes out; the server judges it
    # DAGRunApi.update_dag_run_state
    case("update_dag_run_state-model", call("update_dag_run_state", "tit_bash", RUN,
                                            UpdateDagRunState(state=SettableDagRunState.FAILED)),
         "PATCH", RUN_PATH, {"state": "failed"}, DAGRun),
    case("update_dag_run_state-dict", call("update_dag_run_state", "tit_bash", RUN, {"state": "queued"}), "PATCH",
         RUN_PATH, {"state": "queued"}, DAGRun),
    case("update_dag_run_state-alias", call("update_dag_run_state", "a b", "r#1",
                                            TitaniumUpdateDagRunState(state=SettableDagRunState.SUCCESS)),
         "PATCH", "/dags/a%20b/dagRuns/r%231", {"state": "success"}, DAGRun),
]


def case_params() -> List[Any]:
    return [
        pytest.param(c, twin, id=f"{c.id}{'-http_info' if twin else ''}", marks=c.marks)
        for c in CASES
        for twin in (False, True)
    ]


async def test_twins_send_the_same_request_as_their_method(fake_airflow: FakeAirflow, api_client: ApiClient) -> None:
    # Every case runs both ways below; this checks the recorded requests are byte-identical side by side.
    for c in CASES:
        if c.marks:
            continue
        api = api_class_of(c.name)(api_client)
        for suffix in ("", "_with_http_info"):
            fake_airflow.reply(200 if c.returns else 204, None if c.returns is None else c.reply or REPLIES[c.returns])
            await getattr(api, c.name + suffix)(*c.args, **c.kwargs)
        plain, twin = fake_airflow.requests[-2:]
        assert (plain.method, plain.raw_path, plain.body) == (twin.method, twin.raw_path, twin.body), c.id
        assert plain.headers.get("Content-Type") == twin.headers.get("Content-Type"), c.id


@pytest.mark.parametrize(("c", "twin"), case_params())
async def test_exact_request_and_decoded_result(
    fake_airflow: FakeAirflow, api_client: ApiClient, c: Case, twin: bool
) -> None:
    reply = None if c.returns is None else (c.reply if c.reply is not None else REPLIES[c.returns])
    raw_reply = b"" if reply is None else json.dumps(reply).encode()
    fake_airflow.reply(204 if reply is None else 200, body=raw_reply, headers={"X-Case": c.id})
    api = api_class_of(c.name)(api_client)

    result = await getattr(api, c.name + ("_with_http_info" if twin else ""))(*c.args, **c.kwargs)

    assert len(fake_airflow.requests) == 1
    request = fake_airflow.last
    assert request.method == c.method
    assert request.raw_path == PREFIX + c.path
    if c.body is None:
        assert "Content-Type" not in request.headers
        assert request.body == b""
    else:
        assert request.headers.getall("Content-Type") == ["application/json"]
        assert wire_json(request.json()) == wire_json(c.body)

    if twin:
        assert isinstance(result, ApiResponse)
        assert result.status_code == (204 if reply is None else 200)
        assert result.raw_data == raw_reply
        assert result.headers["X-Case"] == c.id
        data = result.data
    else:
        data = result
    if c.returns is None:
        assert data is None
        return
    assert type(data) is c.returns
    # Decoded, not just wrapped: dumping it again gives the server's JSON back.
    assert data.model_dump(mode="json", by_alias=True, exclude_unset=True) == reply
    if c.inner is not None:
        assert type(data.actual_instance) is c.inner


@pytest.fixture
def far_local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run with the process's local zone far from UTC, so "naive means UTC" is visible on any machine."""
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("far_local_zone")
async def test_naive_datetimes_are_sent_as_utc_whatever_the_local_zone(
    fake_airflow: FakeAirflow, api_client: ApiClient
) -> None:
    assert datetime(2026, 1, 1).astimezone().utcoffset() == timedelta(hours=14)
    await DAGRunApi(api_client).get_dag_runs("d", limit=None, start_date_gte=datetime(2026, 1, 1, 12))
    assert fake_airflow.last.raw_path == PREFIX + "/dags/d/dagRuns?start_date_gte=2026-01-01T12%3A00%3A00%2B00%3A00"
    fake_airflow.reply(200, DAG_RUN_JSON)
    await DAGRunApi(api_client).post_dag_run("d", DAGRun(logical_date=datetime(2026, 1, 1, 12)))
    assert fake_airflow.last.json() == {"logical_date": "2026-01-01T12:00:00+00:00"}


def test_cases_cover_every_method_and_every_parameter() -> None:
    seeds = load_seeds()
    covered: Dict[str, set[str]] = {name: set() for name in seeds}
    for c in CASES:
        bound = inspect.signature(getattr(api_class_of(c.name), c.name)).bind(None, *c.args, **c.kwargs)
        covered[c.name].update(key for key, value in bound.arguments.items() if key != "self" and value is not None)
    for name, seed in seeds.items():
        missing = {p.name for p in seed.params} - covered[name]
        assert not missing, f"{name}: no case sets {sorted(missing)}"
        defaulted = [p.name for p in seed.params if p.default is not NO_DEFAULT]
        for param in defaulted:  # and each seed default is also shown to be omitted when passed None
            assert any(c.name == name and param in c.kwargs and c.kwargs[param] is None for c in CASES), (
                f"{name}: no case passes {param}=None"
            )
