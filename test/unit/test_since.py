"""Version knowledge in the generated code: what the older servers' specs (spec/history/) lack is marked
with the Airflow version that added it, on endpoints, query parameters, models and docstrings."""

from __future__ import annotations

import inspect
from typing import Any, Dict, Iterator, Tuple

import pytest

from titanium_airflow_client.api import dag_run_api as v1_dag_run_api
from titanium_airflow_client.api import dag_stats_api, x_com_api
from titanium_airflow_client.endpoint import Endpoint
from titanium_airflow_client.v2 import DagRunApi, DAGRunResponse, TaskInstanceApi
from titanium_airflow_client.v2.api import asset_state_store_api, dag_run_api
from titanium_airflow_client.v2.models import ClearTaskInstanceCollectionResponse

V1_VERSIONS = {"2.10", "2.11"}  # after 2.9, the oldest supported Airflow 2
V2_VERSIONS = {"3.1", "3.2", "3.3"}  # after 3.0, the oldest supported Airflow 3


def endpoints(module: Any) -> Iterator[Endpoint[Any]]:
    return (value for value in vars(module).values() if isinstance(value, Endpoint))


def query_since(endpoint: Endpoint[Any]) -> Dict[str, str]:
    return {query.name: query.since for query in endpoint.query if query.since}


def test_v1_additions_after_2_9_are_marked() -> None:
    assert dag_stats_api.GET_DAG_STATS.since == "2.10"  # GET /dagStats came with 2.10
    assert query_since(x_com_api.GET_XCOM_ENTRY) == {"stringify": "2.10"}
    assert v1_dag_run_api.GET_DAG_RUN.since is None  # in 2.9 already
    assert "New in Airflow 2.10." in inspect.getdoc(dag_stats_api.DagStatsApi.get_dag_stats)  # type: ignore[operator]


def test_v2_additions_after_3_0_are_marked() -> None:
    runs = query_since(dag_run_api.GET_DAG_RUNS)
    assert (runs["cursor"], runs["run_after_gt"], runs["duration_gte"]) == ("3.2", "3.1", "3.2")
    assert "limit" not in runs and "state" not in runs  # in 3.0 already
    assert dag_run_api.GET_DAG_RUN.since is None
    assert {endpoint.since for endpoint in endpoints(asset_state_store_api)} == {"3.3"}
    doc = " ".join((inspect.getdoc(DagRunApi.get_dag_runs) or "").split())
    assert "New in Airflow 3.2." in doc.split(":param cursor:", 1)[1].split(":param", 1)[0]
    assert "New in Airflow" not in (inspect.getdoc(DagRunApi.get_dag_run) or "")


def test_models_and_their_fields_say_when_they_came() -> None:
    assert "New in Airflow 3.2." in (ClearTaskInstanceCollectionResponse.__doc__ or "")
    fields = ClearTaskInstanceCollectionResponse.model_fields
    assert fields["total_entries"].description is None  # as new as its model: said once, on the model
    assert DAGRunResponse.model_fields["partition_key"].description == "New in Airflow 3.2."
    assert DAGRunResponse.model_fields["partition_date"].description == "New in Airflow 3.3."
    assert DAGRunResponse.model_fields["dag_id"].description is None


@pytest.mark.parametrize(
    ("package", "versions"),
    [("titanium_airflow_client.api", V1_VERSIONS), ("titanium_airflow_client.v2.api", V2_VERSIONS)],
)
def test_every_version_marked_is_a_later_one_of_the_generation(package: str, versions: set[str]) -> None:
    import importlib
    import pkgutil

    root = importlib.import_module(package)
    seen: Dict[Tuple[str, str], str] = {}
    for info in pkgutil.iter_modules(root.__path__):
        module = importlib.import_module(f"{package}.{info.name}")
        for endpoint in endpoints(module):
            if endpoint.since:
                seen[(endpoint.operation_id, "")] = endpoint.since
            for query in endpoint.query:
                if query.since:
                    seen[(endpoint.operation_id, query.name)] = query.since
    assert seen and set(seen.values()) <= versions
    assert TaskInstanceApi  # the v2 package's API classes import with the markers in place
