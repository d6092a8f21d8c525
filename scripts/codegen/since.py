"""Since which Airflow version each operation, query parameter and model field exists.

The specs of the older servers a generation supports lie in ``spec/history/`` as they shipped
(``<target>-<version>.yaml``, see ``Target.history``). A name is as old as the unbroken run of specs,
ending with the current one, that have it; it is recorded only when that is later than the oldest
supported version: the generated code says "New in Airflow X.Y" and its endpoints carry ``since``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Set, Tuple

import yaml

from . import naming
from .models import ModelDef
from .operations import OperationDef
from .spec import HTTP_METHODS
from .target import ROOT, Target

_PATH_PARAMETER = re.compile(r"\{[^}]*\}")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader reads the large v2 specs in a second


# An operation as a server tells it apart: method and path, the path's parameters unnamed ("{}"), so that an
# operation renamed in the spec (or a path parameter) is still the same operation.
_Route = Tuple[str, str]


@dataclass
class _Names:
    """What one spec declares: operations with their parameters, and schemas with their properties."""

    parameters: Dict[_Route, Set[str]] = field(default_factory=dict)  # route → parameter names
    routes: Dict[str, _Route] = field(default_factory=dict)  # operationId → route
    properties: Dict[str, Set[str]] = field(default_factory=dict)  # schema → property names (allOf flattened)


@dataclass(frozen=True)
class History:
    operations: Dict[str, str]  # operationId → the version that added it
    parameters: Dict[Tuple[str, str], str]  # (operationId, parameter) → the version that added it
    schemas: Dict[str, str]  # schema → the version that added it
    fields: Dict[Tuple[str, str], str]  # (schema, property) → the version that added it, if later than its schema


def load_history(target: Target) -> History:
    """The additions after the oldest supported version, from the older specs and the current one, all as
    they shipped (what an override adds was missing from the specs, not from the older servers)."""
    versions = [version for version, _ in target.history] + [target.version]
    paths = [ROOT / "spec" / "history" / name for _, name in target.history] + [target.spec]
    declared = [_names(_load(path)) for path in paths]
    newest = declared[-1]

    def added(present: Iterable[bool]) -> str:
        """The version after the newest spec, counted back from the current one, that lacks the name."""
        found = versions[-1]
        for version, here in zip(reversed(versions[:-1]), present, strict=True):
            if not here:
                break
            found = version
        return found

    older = list(reversed(declared[:-1]))
    operations, parameters, schemas, fields = {}, {}, {}, {}
    for operation_id, route in newest.routes.items():
        operations[operation_id] = added(route in spec.parameters for spec in older)
        for name in newest.parameters[route]:
            parameters[(operation_id, name)] = added(name in spec.parameters.get(route, ()) for spec in older)
    for schema, names in newest.properties.items():
        schemas[schema] = added(schema in spec.properties for spec in older)
        for name in names:
            fields[(schema, name)] = added(name in spec.properties.get(schema, ()) for spec in older)
    oldest = versions[0]
    return History(
        {key: version for key, version in operations.items() if version != oldest},
        {key: version for key, version in parameters.items() if version not in (oldest, operations[key[0]])},
        {key: version for key, version in schemas.items() if version != oldest},
        {key: version for key, version in fields.items() if version not in (oldest, schemas[key[0]])},
    )


def apply_history(history: History, operations: List[OperationDef], models: Dict[str, ModelDef]) -> None:
    """Set ``since`` on the operations, their query parameters, the models and their fields it names
    (a parameter or field only where it is newer than its operation or model)."""
    for op in operations:
        op.since = history.operations.get(op.operation_id)
        for param in op.params:
            if param.location == "query":
                param.since = history.parameters.get((op.operation_id, param.name))
    schemas = {naming.class_name(schema): schema for schema in {*history.schemas, *(s for s, _ in history.fields)}}
    for model in models.values():
        schema = schemas.get(model.name)
        if schema is None:
            continue
        model.since = history.schemas.get(schema)
        for model_field in model.fields:
            model_field.since = history.fields.get((schema, model_field.alias or model_field.name))


def _load(path: Path) -> Dict[str, Any]:
    with open(path, encoding="utf-8") as file:
        document: Dict[str, Any] = yaml.load(file, Loader=_Loader)  # a safe loader (C or Python)
    return document


def _names(spec: Dict[str, Any]) -> _Names:
    names = _Names()
    components = spec.get("components", {})
    for path, item in spec.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            route = (method, _PATH_PARAMETER.sub("{}", path))
            params = [_resolve(components, p) for p in [*shared, *operation.get("parameters", [])]]
            names.parameters[route] = {p["name"] for p in params if "name" in p}
            if "operationId" in operation:
                names.routes[operation["operationId"]] = route
    schemas = components.get("schemas", {})
    for schema in schemas:
        names.properties[schema] = _properties(schemas, schemas[schema], set())
    return names


def _resolve(components: Dict[str, Any], node: Dict[str, Any]) -> Dict[str, Any]:
    """A ``$ref`` to ``#/components/parameters/...`` replaced by what it points to."""
    ref = node.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/components/parameters/"):
        return node
    found: Dict[str, Any] = components.get("parameters", {}).get(ref.rsplit("/", 1)[1], {})
    return found


def _properties(schemas: Dict[str, Any], schema: Dict[str, Any], seen: Set[str]) -> Set[str]:
    """The property names of ``schema``, with those of the schemas its ``allOf`` refers to."""
    found = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        ref = part.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            if name not in seen and name in schemas:
                found |= _properties(schemas, schemas[name], seen | {name})
        else:
            found |= _properties(schemas, part, seen)
    return found
