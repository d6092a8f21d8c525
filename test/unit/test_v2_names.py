"""A script written for ``apache-airflow-client`` 3.3 works on titanium_airflow_client.v2 with ``await`` added and
``airflow_client.client`` replaced: the same API classes, methods, parameter names and order, models and modules."""

from __future__ import annotations

import importlib
import inspect
from typing import Dict, List

import airflow_client.client as official
import airflow_client.client.api as official_api
import airflow_client.client.models as official_models
import pytest

import titanium_airflow_client.v2 as v2

# Models the official client names after where an inline schema sits (``ActionsInner1``): ours are named by
# their place as well, but as the generator of this project names them (``BulkBodyPoolBodyActionsInner``).
_INLINE_NAMES = {"Content", "Detail", "ExpiresAt", "LocationInner", "Value", "ClearTaskInstancesBodyTaskIdsInner"}


def _methods(cls: type) -> Dict[str, List[str]]:
    found = {}
    for name, function in vars(cls).items():
        if name.startswith("_") or name.endswith(("_with_http_info", "_without_preload_content")):
            continue
        if callable(function):
            found[name] = [p for p in inspect.signature(function).parameters if p != "self" and not p.startswith("_")]
    return found


OFFICIAL_APIS = sorted(name for name in dir(official_api) if name.endswith("Api"))


@pytest.mark.parametrize("api_name", OFFICIAL_APIS)
def test_every_official_method_is_there_with_the_same_parameters(api_name: str) -> None:
    ours = _methods(getattr(v2, api_name))
    for method, parameters in _methods(getattr(official_api, api_name)).items():
        assert method in ours, f"{api_name}.{method} is missing"
        assert ours[method][: len(parameters)] == parameters, f"{api_name}.{method}"


def test_every_official_model_is_there_in_its_module() -> None:
    for name, cls in vars(official_models).items():
        if not isinstance(cls, type) or name in _INLINE_NAMES or name.startswith(("ActionsInner", "EntitiesInner")):
            continue
        if name.startswith("Response"):  # the answers of the clear operations: ResponseClearDagRun is ours too
            continue
        module = importlib.import_module(f"titanium_airflow_client.v2.models.{cls.__module__.rsplit('.', 1)[1]}")
        # A class, or (a union such as TaskInstancesInner) a type alias: the items are then the member models.
        assert getattr(module, name, None) is not None, f"{cls.__module__}.{name}"


@pytest.mark.parametrize("module", ["api_client", "configuration", "exceptions", "rest"])
def test_the_core_modules_a_script_imports_by_path_are_there(module: str) -> None:
    theirs = importlib.import_module(f"{official.__name__}.{module}")
    ours = importlib.import_module(f"titanium_airflow_client.v2.{module}")
    wanted = {"api_client": ["ApiClient"], "configuration": ["Configuration"], "rest": ["ApiException"]}.get(
        module, [n for n in vars(theirs) if n.endswith("Exception") and isinstance(getattr(theirs, n), type)]
    )
    for name in wanted:
        assert isinstance(getattr(ours, name, None), type), f"titanium_airflow_client.v2.{module}.{name}"
