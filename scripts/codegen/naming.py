"""Names of generated things: modules, classes, parameters.

The rules are OpenAPI Generator's, so that a script written for ``apache-airflow-client`` finds the
same names; the tables hold the exceptions the seed pages (the project's contract) fix.
"""

from __future__ import annotations

import keyword
import re
from typing import Dict, Tuple

# The seed pages name the bodies of the DAG-run operations after "Titanium…" aliases of the models.
SEED_BODY_PARAMETERS: Dict[str, str] = {
    "clear_dag_run": "titanium_clear_dag_run",
    "get_dag_runs_batch": "titanium_list_dag_runs_form",
    "post_dag_run": "titanium_dag_run",
    "set_dag_run_note": "titanium_set_dag_run_note",
    "update_dag_run_state": "titanium_update_dag_run_state",
}

# Alias → model, as the seed pages spell them (each in models/<snake alias>.py).
SEED_ALIASES: Dict[str, str] = {
    "TitaniumClearDagRun": "ClearDagRun",
    "TitaniumDAGRun": "DAGRun",
    "TitaniumListDagRunsForm": "ListDagRunsForm",
    "TitaniumSetDagRunNote": "SetDagRunNote",
    "TitaniumTitaniumClearDagRun200Response": "ClearDagRun200Response",
    "TitaniumTitaniumDAGRun": "DAGRun",
    "TitaniumTitaniumDAGRunCollection": "DAGRunCollection",
    "TitaniumTitaniumDatasetEventCollection": "DatasetEventCollection",
    "TitaniumUpdateDagRunState": "UpdateDagRunState",
}

# Inline schemas that get a name of their own: (schema, property) → class name.
INLINE_NAMES: Dict[Tuple[str, str], str] = {
    ("UpdateDagRunState", "state"): "SettableDagRunState",
    ("DAGRun", "run_type"): "DagRunType",
}

# Hand-written mixins (models/_conversions.py) that give a generated model its Python conversions.
MIXINS: Dict[str, str] = {
    "TimeDelta": "TimeDeltaConversion",
    "RelativeDelta": "RelativeDeltaConversion",
    "GetLog200Response": "LogContentConversion",
}


# Spec tag → API class (OpenAPI Generator: the tag in camel case plus "Api").
def api_class(tag: str) -> str:
    return camel(tag) + "Api"


def camel(text: str) -> str:
    """``DAGRun`` stays, ``dag_warning`` → ``DagWarning``, ``XCom`` stays."""
    parts = re.split(r"[^0-9A-Za-z]+", text)
    return "".join(part[:1].upper() + part[1:] for part in parts if part)


def class_name(schema: str) -> str:
    """A component schema's class name: ``BulkBody_PoolBody_`` → ``BulkBodyPoolBody``; ``DAGRun`` stays."""
    return schema if schema.isalnum() else camel(schema)


def snake(name: str) -> str:
    """OpenAPI Generator's ``underscore``: ``DAGRun`` → ``dag_run``, ``XComApi`` → ``x_com_api``."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", name)
    return name.replace("-", "_").replace(".", "_").lower()


def constant(name: str) -> str:
    """``get_dag_run`` → ``GET_DAG_RUN``."""
    return snake(name).upper()


def enum_member(value: str) -> str:
    member = re.sub(r"[^0-9A-Za-z]+", "_", value).strip("_").upper() or "EMPTY"
    return "_" + member if member[0].isdigit() else member


def field_name(prop: str) -> str:
    """A Python attribute name for a JSON property (the JSON name becomes the alias when they differ)."""
    name = re.sub(r"[^0-9A-Za-z_]", "_", prop).lstrip("_") or "field"
    if keyword.iskeyword(name) or name in _MODEL_ATTRIBUTES:
        name += "_"
    return name


# pydantic.BaseModel attributes a field must not shadow.
_MODEL_ATTRIBUTES = frozenset(
    {"copy", "dict", "json", "schema", "construct", "validate", "model_config", "model_fields", "fields"}
)
