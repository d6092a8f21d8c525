"""Models against what the Airflow 2.11 server really sends (payloads dumped by its marshmallow schemas)."""

from __future__ import annotations

import importlib
import inspect
import json
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Optional

import pytest
from dateutil.relativedelta import relativedelta
from pydantic import BaseModel

from titanium_airflow_client import models
from titanium_airflow_client.models import (
    DAG,
    ApiEnum,
    ApiModel,
    BasicDAGRun,
    ClearDagRun,
    ClearDagRun200Response,
    ClearTaskInstances,
    CronExpression,
    DAGCollection,
    DAGDetail,
    DAGRun,
    DAGRunCollection,
    DagRunType,
    DagState,
    DatasetEventCollection,
    Error,
    GetDagSource200Response,
    GetLog200Response,
    ListDagRunsForm,
    RelativeDelta,
    SetDagRunNote,
    SettableDagRunState,
    Tag,
    Task,
    TaskCollection,
    TaskInstanceCollection,
    TaskInstanceReferenceCollection,
    TaskState,
    TimeDelta,
    TriggerRule,
    UnknownScheduleInterval,
    UpdateDagRunState,
    UpdateTaskInstancesState,
    UpdateTaskState,
    WeightRule,
)

from .payloads import (
    CLEAR_DRY_RUN,
    DAG_CRON,
    DAG_RUN_IST,
    DAG_RUN_UTC,
    DATASET_EVENTS,
    DETAIL_EXTRA,
    RELATIVEDELTA_1M,
    TASK_COMPUTE,
    TASK_INSTANCE,
    TIMEDELTA_6H,
)

IST = timezone(timedelta(hours=5, minutes=30))


def _bytes(obj: Any) -> bytes:
    return json.dumps(obj).encode()


# --- DAGs -------------------------------------------------------------------------------------------------


def test_dag_parses_the_server_dump() -> None:
    dag = DAG.model_validate_json(_bytes(DAG_CRON))

    assert dag.dag_id == "tit_cron"
    assert dag.is_paused is True
    assert dag.owners == ["titanium"]
    assert [t.name for t in dag.tags or []] == ["titanium", "cron"]
    assert all(isinstance(t, Tag) for t in dag.tags or [])
    assert dag.next_dagrun == datetime(2026, 11, 20, 3, tzinfo=timezone.utc)
    assert dag.last_pickled is None
    assert isinstance(dag.schedule_interval, CronExpression)
    assert dag.schedule_interval.value == "0 3 * * *"
    assert dag.model_extra == {}  # every key the server sends is a declared field


def test_dag_pickle_id_accepts_the_servers_integer() -> None:
    assert DAG.model_validate({"pickle_id": 7}).pickle_id == 7


def test_dag_collection_parses_a_page() -> None:
    body = {
        "dags": [DAG_CRON, {**DAG_CRON, "dag_id": "tit_other", "schedule_interval": None}],
        "total_entries": 22,
    }
    page = DAGCollection.model_validate_json(_bytes(body))

    assert page.total_entries == 22
    assert [d.dag_id for d in page.dags or []] == ["tit_cron", "tit_other"]
    assert page.dags is not None and page.dags[1].schedule_interval is None


def test_dag_detail_is_a_dag_and_keeps_the_servers_keys() -> None:
    detail = DAGDetail.model_validate_json(_bytes({**DAG_CRON, **DETAIL_EXTRA}))

    assert isinstance(detail, DAG)
    assert detail.timezone == "UTC"
    assert detail.concurrency == 16
    assert detail.start_date == datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert detail.last_parsed is not None and detail.last_parsed.utcoffset() == timedelta(0)
    assert detail.params is not None and detail.params["greeting"]["value"] == "hello"
    assert detail.doc_md is not None and detail.doc_md.startswith("# tit_cron")
    assert detail.template_searchpath is None and detail.template_search_path is None
    assert detail.model_extra == {}


def test_dag_detail_server_only_shapes() -> None:
    detail = DAGDetail.model_validate(
        {
            "dag_id": "d",
            "template_searchpath": "['/opt/sql', '/opt/tpl']",  # the server's str() of the list
            "dataset_expression": {"all": ["file:///tmp/titanium/ds1"]},
            "dag_run_timeout": {"__type": "TimeDelta", "days": 0, "seconds": 3600, "microseconds": 0},
        }
    )

    assert detail.template_searchpath == "['/opt/sql', '/opt/tpl']"
    assert detail.dataset_expression == {"all": ["file:///tmp/titanium/ds1"]}
    assert detail.dag_run_timeout is not None
    assert detail.dag_run_timeout.to_timedelta() == timedelta(hours=1)


@pytest.mark.parametrize(
    ("schedule", "expected_type"),
    [
        ({"__type": "CronExpression", "value": "0 3 * * *"}, CronExpression),
        ({"__type": "CronExpression", "value": "Dataset"}, CronExpression),  # dataset-triggered DAG
        (TIMEDELTA_6H, TimeDelta),
        (RELATIVEDELTA_1M, RelativeDelta),
        ({"__type": "CustomTimetable", "summary": "every full moon"}, UnknownScheduleInterval),
        (None, type(None)),
    ],
)
def test_dag_detail_schedule_interval_kinds(schedule: Optional[Dict[str, Any]], expected_type: type) -> None:
    detail = DAGDetail.model_validate_json(_bytes({**DAG_CRON, **DETAIL_EXTRA, "schedule_interval": schedule}))

    assert type(detail.schedule_interval) is expected_type
    if schedule is not None:
        # Nothing lost, whatever the kind: the dump equals what came in.
        assert detail.schedule_interval is not None
        assert detail.schedule_interval.model_dump(mode="json", by_alias=True, exclude_unset=True) == schedule


def test_unknown_schedule_interval_keeps_its_keys() -> None:
    dag = DAG.model_validate({"schedule_interval": {"__type": "CustomTimetable", "summary": "moon"}})

    assert isinstance(dag.schedule_interval, UnknownScheduleInterval)
    assert dag.schedule_interval.type == "CustomTimetable"
    assert dag.schedule_interval.model_extra == {"summary": "moon"}


def test_schedule_interval_objects_convert_to_python() -> None:
    td = TimeDelta.model_validate(TIMEDELTA_6H)
    rd = RelativeDelta.model_validate(RELATIVEDELTA_1M)

    assert td.to_timedelta() == timedelta(hours=6)
    assert rd.to_relativedelta() == relativedelta(months=1)
    assert RelativeDelta(weeks=1, day=31).to_relativedelta() == relativedelta(days=7, day=31)
    assert datetime(2024, 1, 31) + rd.to_relativedelta() == datetime(2024, 2, 29)


def test_schedule_interval_type_tag_is_written_even_when_defaulted() -> None:
    assert CronExpression(value="@daily").to_request_body() == {"__type": "CronExpression", "value": "@daily"}
    assert TimeDelta(days=1).to_dict() == {"__type": "TimeDelta", "days": 1}
    assert json.loads(RelativeDelta(months=2).to_json()) == {"__type": "RelativeDelta", "months": 2}
    # Built objects go through the union by their tag as well.
    assert isinstance(DAG(schedule_interval=TimeDelta(days=1)).schedule_interval, TimeDelta)


def test_dag_request_body_sends_only_is_paused() -> None:
    dag = DAG.model_validate(DAG_CRON)
    dag.is_paused = False

    assert dag.to_request_body() == {"is_paused": False}
    assert DAG(is_paused=True).to_request_body() == {"is_paused": True}
    detail = DAGDetail.model_validate({**DAG_CRON, **DETAIL_EXTRA})
    assert detail.to_request_body() == {"is_paused": True}


def test_dag_read_only_fields_are_every_field_but_is_paused() -> None:
    assert set(DAG.model_fields) - DAG.__read_only_fields__ == {"is_paused"}
    assert set(DAGDetail.model_fields) - DAGDetail.__read_only_fields__ == {"is_paused"}


# --- tasks ------------------------------------------------------------------------------------------------


def test_task_parses_class_ref_retry_delay_and_server_only_keys() -> None:
    task = Task.model_validate_json(_bytes(TASK_COMPUTE))

    assert task.class_ref is not None and task.class_ref.class_name == "_PythonDecoratedOperator"
    assert task.operator_name == "@task"
    assert task.retry_delay is not None and task.retry_delay.to_timedelta() == timedelta(minutes=5)
    assert task.execution_timeout is None
    assert task.trigger_rule is TriggerRule.ALL_SUCCESS
    assert task.weight_rule is WeightRule.DOWNSTREAM
    # fields.Number dumps floats; the values are whole numbers.
    assert (task.retries, task.pool_slots, task.priority_weight) == (0, 1, 1)
    assert task.ui_color == "#ffefeb" and task.ui_fgcolor == "#000"
    assert task.params is not None and task.params["count"]["value"] == 3
    assert task.downstream_task_ids == ["end"]
    assert task.model_extra == {}


def test_task_extra_links_accept_server_and_spec_shapes() -> None:
    task = Task.model_validate(
        {
            "extra_links": [
                {
                    "module_path": "airflow.providers.x.links",
                    "class_name": "JobLink",
                },  # what the server dumps
                {"class_ref": {"module_path": "m", "class_name": "SpecLink"}},  # what the spec describes
            ]
        }
    )

    assert task.extra_links is not None
    server_link, spec_link = task.extra_links
    assert (server_link.module_path, server_link.class_name) == ("airflow.providers.x.links", "JobLink")
    assert spec_link.class_ref is not None and spec_link.class_ref.class_name == "SpecLink"


def test_task_custom_weight_strategy_is_kept() -> None:
    task = Task.model_validate({"weight_rule": "my_company.weights.DeadlineFirst"})

    assert task.weight_rule is not None
    assert task.weight_rule.value == "my_company.weights.DeadlineFirst"
    assert task.weight_rule == "my_company.weights.DeadlineFirst"


def test_task_collection_keeps_total_entries() -> None:
    tasks = TaskCollection.model_validate_json(_bytes({"tasks": [TASK_COMPUTE], "total_entries": 1}))

    assert tasks.total_entries == 1
    assert tasks.tasks is not None and tasks.tasks[0].task_id == "compute"


# --- DAG runs ---------------------------------------------------------------------------------------------


def test_dag_run_keeps_utc_and_non_utc_offsets() -> None:
    ist = DAGRun.model_validate_json(_bytes(DAG_RUN_IST))
    utc = DAGRun.model_validate_json(_bytes(DAG_RUN_UTC))

    assert ist.logical_date == datetime(2024, 5, 1, 10, tzinfo=IST)
    assert ist.logical_date is not None and ist.logical_date.utcoffset() == timedelta(hours=5, minutes=30)
    assert ist.execution_date == ist.logical_date
    assert utc.logical_date is not None and utc.logical_date.utcoffset() == timedelta(0)
    assert utc.end_date == datetime(2026, 11, 22, 3, 0, 9, 500000, tzinfo=timezone.utc)
    assert (ist.run_type, utc.run_type) == (DagRunType.MANUAL, DagRunType.SCHEDULED)
    assert (ist.state, utc.state) == (DagState.QUEUED, DagState.SUCCESS)
    assert ist.conf == {"a": 1} and ist.external_trigger is True
    assert utc.note == "looked fine"


def test_dag_run_collection_parses_bytes() -> None:
    runs = [{**DAG_RUN_UTC, "dag_run_id": f"run_{i}"} for i in range(500)]
    page = DAGRunCollection.model_validate_json(_bytes({"dag_runs": runs, "total_entries": 10_000}))

    assert page.total_entries == 10_000
    assert page.dag_runs is not None and len(page.dag_runs) == 500
    assert page.dag_runs[-1].dag_run_id == "run_499"
    assert page.dag_runs[0].state is DagState.SUCCESS


def _validation_function_kinds(schema: Any) -> List[str]:
    """'function-*' validator schemas in a core schema; serializers (under 'serialization') do not count."""
    found: List[str] = []
    if isinstance(schema, dict):
        kind = schema.get("type")
        if isinstance(kind, str) and kind.startswith("function-"):
            found.append(kind)
        for key, value in schema.items():
            if key != "serialization":
                found.extend(_validation_function_kinds(value))
    elif isinstance(schema, (list, tuple)):
        for item in schema:
            found.extend(_validation_function_kinds(item))
    return found


@pytest.mark.parametrize("model", [DAGRun, DAGRunCollection, DAG, DAGCollection, Tag, BasicDAGRun])
def test_hot_models_validate_entirely_in_pydantic_core(model: type[BaseModel]) -> None:
    assert _validation_function_kinds(model.__pydantic_core_schema__) == []


def test_dag_run_request_body_drops_read_only_and_unset_fields() -> None:
    run = DAGRun.model_validate(DAG_RUN_UTC)

    body = run.to_request_body()

    assert set(body) == {
        "dag_run_id",
        "logical_date",
        "execution_date",
        "data_interval_start",
        "data_interval_end",
        "conf",
        "note",
    }
    assert body["logical_date"] == "2026-11-21T03:00:00+00:00"
    assert DAGRun(conf={"x": 1}).to_request_body() == {"conf": {"x": 1}}


def test_dag_run_read_only_fields_match_the_servers_dump_only_fields() -> None:
    assert DAGRun.__read_only_fields__ == {
        "dag_id",
        "start_date",
        "end_date",
        "state",
        "external_trigger",
        "last_scheduling_decision",
        "run_type",
    }


def test_request_datetimes_are_rfc3339_with_offsets() -> None:
    body = DAGRun(
        logical_date=datetime(2024, 5, 1, 10, 0, tzinfo=IST),
        data_interval_start=datetime(2024, 5, 1, 4, 30),  # naive: taken as UTC
        data_interval_end=datetime(2024, 5, 1, 4, 30, 0, 250000, tzinfo=timezone.utc),
    ).to_request_body()

    assert body == {
        "logical_date": "2024-05-01T10:00:00+05:30",
        "data_interval_start": "2024-05-01T04:30:00+00:00",
        "data_interval_end": "2024-05-01T04:30:00.250000+00:00",
    }


def test_list_dag_runs_form_sends_only_what_was_set() -> None:
    assert ListDagRunsForm().to_request_body() == {}  # page_limit's default (100) is the server's too
    form = ListDagRunsForm(dag_ids=["a", "b"], states=["failed"], start_date_gte=datetime(2024, 1, 1, tzinfo=IST))
    assert form.to_request_body() == {
        "dag_ids": ["a", "b"],
        "states": ["failed"],
        "start_date_gte": "2024-01-01T00:00:00+05:30",
    }
    assert ListDagRunsForm().page_limit == 100


def test_small_dag_run_request_bodies() -> None:
    assert SetDagRunNote(note="checked").to_request_body() == {"note": "checked"}
    assert SetDagRunNote(note=None).to_request_body() == {"note": None}  # clearing a note is explicit
    assert UpdateDagRunState(state=SettableDagRunState.FAILED).to_request_body() == {"state": "failed"}
    assert UpdateDagRunState.model_validate({"state": "queued"}).state is SettableDagRunState.QUEUED


# --- clearing and task instance state ---------------------------------------------------------------------


def test_clear_dag_run_always_sends_dry_run() -> None:
    assert ClearDagRun().to_request_body() == {"dry_run": True}
    assert ClearDagRun(dry_run=False).to_request_body() == {"dry_run": False}
    assert ClearDagRun.__always_sent_fields__ == ("dry_run",)


def test_nested_models_send_their_always_sent_fields() -> None:
    # The server answers 500 to a bulk action without its "action"; each nested action carries it.
    from titanium_airflow_client.v2 import (
        BulkBodyPoolBody,
        BulkCreateActionPoolBody,
        BulkDeleteActionPoolBody,
        PoolBody,
        TriggerDAGRunPostBody,
    )

    body = BulkBodyPoolBody(
        actions=[
            BulkCreateActionPoolBody(entities=[PoolBody(name="p", slots=1)]),
            BulkDeleteActionPoolBody(entities=["q"]),
        ]
    ).to_request_body()
    assert body == {
        "actions": [
            {"action": "create", "entities": [{"name": "p", "slots": 1}]},
            {"action": "delete", "entities": ["q"]},
        ]
    }
    assert TriggerDAGRunPostBody(dag_run_id="r").to_request_body() == {"dag_run_id": "r", "logical_date": None}


def test_clear_task_instances_defaults_match_the_server() -> None:
    clear = ClearTaskInstances()

    assert (clear.dry_run, clear.only_failed, clear.only_running) == (True, True, False)
    assert clear.to_request_body() == {}
    body = ClearTaskInstances(dry_run=False, task_ids=["hello"], dag_run_id="manual__probe").to_request_body()
    assert body == {"dry_run": False, "task_ids": ["hello"], "dag_run_id": "manual__probe"}


def test_update_task_instances_state_sends_the_flags_the_server_requires() -> None:
    body = UpdateTaskInstancesState(
        task_id="hello",
        dag_run_id="manual__probe",
        new_state=UpdateTaskState.SUCCESS,
        include_downstream=True,
    ).to_request_body()

    assert body == {
        "task_id": "hello",
        "dag_run_id": "manual__probe",
        "new_state": "success",
        "include_upstream": False,
        "include_downstream": True,
        "include_future": False,
        "include_past": False,
    }


def test_clear_response_dry_run_is_a_reference_collection() -> None:
    answer = ClearDagRun200Response.from_json(_bytes(CLEAR_DRY_RUN))

    refs = answer.actual_instance
    assert isinstance(refs, TaskInstanceReferenceCollection)
    assert refs.task_instances is not None
    assert [r.task_id for r in refs.task_instances] == ["goodbye", "hello"]
    assert refs.task_instances[0].execution_date == datetime(2024, 5, 1, 10, tzinfo=IST)
    assert json.loads(answer.to_json()) == CLEAR_DRY_RUN


def test_clear_response_real_clear_is_a_dag_run() -> None:
    answer = ClearDagRun200Response.from_dict({**DAG_RUN_UTC, "state": "queued"})

    run = answer.actual_instance
    assert isinstance(run, DAGRun)
    assert run.state is DagState.QUEUED
    assert run.dag_run_id == DAG_RUN_UTC["dag_run_id"]
    assert json.loads(answer.to_json()) == {**DAG_RUN_UTC, "state": "queued"}


def test_clear_response_accepts_the_specs_task_instance_collection() -> None:
    body = {"task_instances": [TASK_INSTANCE], "total_entries": 1}
    answer = ClearDagRun200Response.model_validate_json(_bytes(body))

    tis = answer.actual_instance
    assert isinstance(tis, TaskInstanceCollection)
    assert tis.task_instances is not None
    ti = tis.task_instances[0]
    assert (ti.try_number, ti.map_index, ti.state, ti.executor_config) == (0, -1, None, "{}")
    assert ti.model_extra == {}
    assert answer.to_dict()["total_entries"] == 1


def test_clear_response_discriminates_built_objects_too() -> None:
    refs = TaskInstanceReferenceCollection(task_instances=[])
    assert ClearDagRun200Response(refs).actual_instance is refs
    assert isinstance(ClearDagRun200Response(DAGRun(dag_run_id="r")).actual_instance, DAGRun)


# --- datasets, errors, source -----------------------------------------------------------------------------


def test_dataset_event_collection_with_created_dag_runs() -> None:
    events = DatasetEventCollection.model_validate_json(_bytes(DATASET_EVENTS))

    assert events.total_entries == 1
    assert events.dataset_events is not None
    event = events.dataset_events[0]
    assert event.id == 1 and event.dataset_uri == "file:///tmp/titanium/ds1"
    assert event.extra == {"from_rest_api": True}
    assert event.timestamp is not None and event.timestamp.tzinfo is not None
    assert event.created_dagruns is not None
    run = event.created_dagruns[0]
    assert isinstance(run, BasicDAGRun)
    assert run.dag_run_id == "dataset_triggered__probe"  # the server's key; the spec's run_id stays unset
    assert run.run_id is None
    assert run.state is DagState.QUEUED
    assert event.model_extra == {} and run.model_extra == {}


def test_error_problem_document() -> None:
    error = Error.model_validate_json(
        b'{"detail": "The DAG with dag_id: nope was not found", "status": 404, "title": "DAG not found",'
        b' "type": "https://airflow.apache.org/docs/apache-airflow/2.11.2/stable-rest-api-ref.html'
        b'#section/Errors/NotFound"}'
    )

    assert error.status == 404
    assert error.title == "DAG not found"
    assert error.type is not None and error.type.endswith("#section/Errors/NotFound")
    assert error.instance is None


def test_dag_source() -> None:
    source = GetDagSource200Response.from_json('{"content": "from airflow import DAG\\n"}')

    assert source.content == "from airflow import DAG\n"


# --- tolerance --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field", "enum"),
    [
        (DAGRun, "state", DagState),
        (BasicDAGRun, "state", DagState),
        (DAGRun, "run_type", DagRunType),
        (Task, "trigger_rule", TriggerRule),
        (UpdateDagRunState, "state", SettableDagRunState),
        (UpdateTaskInstancesState, "new_state", UpdateTaskState),
    ],
)
def test_unknown_enum_values_are_kept(model: type[ApiModel], field: str, enum: type[ApiEnum]) -> None:
    obj = model.model_validate_json(_bytes({field: "brand_new"}))

    value = getattr(obj, field)
    assert isinstance(value, enum)
    assert value.value == "brand_new"
    assert value == "brand_new"
    assert obj.model_dump(mode="json", exclude_unset=True) == {field: "brand_new"}


def test_task_state_covers_every_server_state() -> None:
    server_states = {
        "removed",
        "scheduled",
        "queued",
        "running",
        "success",
        "restarting",
        "failed",
        "up_for_retry",
        "up_for_reschedule",
        "upstream_failed",
        "skipped",
        "deferred",
        "shutdown",
    }
    assert server_states | {"none"} == {s.value for s in TaskState}
    assert TaskState("up_for_retry") is TaskState.UP_FOR_RETRY


def test_unknown_fields_are_kept() -> None:
    run = DAGRun.model_validate_json(_bytes({**DAG_RUN_UTC, "triggered_by": "rest_api", "bundle": {"v": 2}}))

    assert run.model_extra == {"triggered_by": "rest_api", "bundle": {"v": 2}}
    assert run.to_dict()["triggered_by"] == "rest_api"


@pytest.mark.parametrize("model", [DAG, DAGDetail, DAGRun, Task, BasicDAGRun])
def test_partial_objects_parse(model: type[ApiModel]) -> None:
    obj = model.model_validate_json(b'{"dag_id": "only_this"}' if model is not Task else b'{"task_id": "t"}')

    assert obj.model_fields_set == ({"task_id"} if model is Task else {"dag_id"})
    assert obj.to_dict() == ({"task_id": "t"} if model is Task else {"dag_id": "only_this"})


def test_nulls_everywhere_parse() -> None:
    run = DAGRun.model_validate({key: None for key in DAG_RUN_UTC})
    dag = DAGDetail.model_validate({key: None for key in {**DAG_CRON, **DETAIL_EXTRA}})
    task = Task.model_validate({key: None for key in TASK_COMPUTE})

    assert run.state is None and run.logical_date is None and run.conf is None
    assert dag.schedule_interval is None and dag.tags is None
    assert task.retry_delay is None and task.class_ref is None


# --- package surface --------------------------------------------------------------------------------------

CONTRACT_ALIASES = [
    ("titanium_clear_dag_run", "TitaniumClearDagRun", ClearDagRun),
    (
        "titanium_titanium_clear_dag_run200_response",
        "TitaniumTitaniumClearDagRun200Response",
        ClearDagRun200Response,
    ),
    ("titanium_titanium_dag_run", "TitaniumTitaniumDAGRun", DAGRun),
    ("titanium_titanium_dag_run_collection", "TitaniumTitaniumDAGRunCollection", DAGRunCollection),
    ("titanium_list_dag_runs_form", "TitaniumListDagRunsForm", ListDagRunsForm),
    (
        "titanium_titanium_dataset_event_collection",
        "TitaniumTitaniumDatasetEventCollection",
        DatasetEventCollection,
    ),
    ("titanium_dag_run", "TitaniumDAGRun", DAGRun),
    ("titanium_set_dag_run_note", "TitaniumSetDagRunNote", SetDagRunNote),
    ("titanium_update_dag_run_state", "TitaniumUpdateDagRunState", UpdateDagRunState),
]


@pytest.mark.parametrize(("module", "name", "target"), CONTRACT_ALIASES)
def test_contract_aliases_are_the_same_classes(module: str, name: str, target: type) -> None:
    alias_module = importlib.import_module(f"titanium_airflow_client.models.{module}")

    assert getattr(alias_module, name) is target
    assert alias_module.__all__ == [name]
    assert getattr(models, name) is target


def test_titanium_dag_run_is_dag_run() -> None:
    from titanium_airflow_client.models.titanium_dag_run import TitaniumDAGRun

    assert TitaniumDAGRun is DAGRun


def test_every_model_and_enum_is_exported() -> None:
    defined = {
        name
        for module_name in _model_module_names()
        for name, obj in vars(importlib.import_module(f"titanium_airflow_client.models.{module_name}")).items()
        if name.isidentifier()  # pydantic also registers parametrized generics like "RootModel[...]"
        and inspect.isclass(obj)
        and issubclass(obj, (BaseModel, ApiEnum))
        and obj.__module__.startswith("titanium_airflow_client.models.")
        and not obj.__module__.rsplit(".", 1)[1].startswith("_")  # hand-written support, not models
    }

    assert defined <= set(models.__all__)
    assert {"ScheduleInterval", "Color"} <= set(models.__all__)
    assert all(hasattr(models, name) for name in models.__all__)


def _model_module_names() -> List[str]:
    import pkgutil

    return [m.name for m in pkgutil.iter_modules(models.__path__) if not m.name.startswith("_")]


def test_request_models_name_only_real_fields() -> None:
    for model in (DAG, DAGDetail, DAGRun, ClearDagRun, ClearTaskInstances, UpdateTaskInstancesState):
        assert model.__read_only_fields__ <= set(model.model_fields), model
        assert set(model.__always_sent_fields__) <= set(model.model_fields), model


def test_log_content_parses_back_into_host_and_text() -> None:
    log = GetLog200Response(content="[('vm', 'line 1\\nline 2\\n'), ('other', 'ä')]")
    assert log.log_parts() == [("vm", "line 1\nline 2\n"), ("other", "ä")]
    assert log.log_text() == "line 1\nline 2\nä"
    # Other forms come back whole, and nothing is ever evaluated beyond literals.
    assert GetLog200Response(content="plain text").log_parts() == [("", "plain text")]
    assert GetLog200Response(content="__import__('os').getcwd()").log_parts() == [("", "__import__('os').getcwd()")]
    assert GetLog200Response(content="[1, 2]").log_text() == "[1, 2]"
    assert GetLog200Response().log_parts() == [] and GetLog200Response(content="").log_text() == ""


def test_nested_models_keep_their_always_sent_and_drop_their_read_only_fields() -> None:
    # A bulk body's actions are models inside a list: each must still send its "action" (the server's
    # discriminator; without it Airflow 3.3 answers 500 KeyError 'action').
    from titanium_airflow_client.v2 import (
        BulkBodyBulkDAGRunBody,
        BulkDAGRunBody,
        BulkDeleteActionBulkDAGRunBody,
    )

    delete = BulkDeleteActionBulkDAGRunBody(entities=["run_1", BulkDAGRunBody(dag_run_id="run_2")])
    assert BulkBodyBulkDAGRunBody(actions=[delete]).to_request_body() == {
        "actions": [{"action": "delete", "entities": ["run_1", {"dag_run_id": "run_2"}]}]
    }
    as_dict = BulkBodyBulkDAGRunBody(
        actions=[{"action": "update", "entities": [{"dag_run_id": "r", "state": "failed"}]}]
    )
    assert as_dict.to_request_body() == {
        "actions": [{"action": "update", "entities": [{"dag_run_id": "r", "state": "failed"}]}]
    }
