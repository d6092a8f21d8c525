"""What the generated code marks as added after the oldest supported server (``since=`` of endpoints and query
parameters, "New in Airflow X.Y." of model fields), and calls that use each such addition: shared by the
compatibility suites test/compat_v1_29 (Airflow 2.9.3) and test/compat_v2_30 (Airflow 3.0.6)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Set, Tuple, Type

from pydantic import BaseModel

from titanium_airflow_client.endpoint import Endpoint, Query
from titanium_airflow_client.server_version import Version, parse_version

_NEW_IN = re.compile(r"New in Airflow (\d+\.\d+)\.")
_PATH_FIELD = re.compile(r"\{[^}]+\}")

# A value of each query kind (see Query.kind), to put one parameter into a call.
_QUERY_SAMPLES: Dict[str, Any] = {
    "str": "tit",
    "int": 1,
    "float": 1.0,
    "bool": True,
    "datetime": "2026-01-01T00:00:00+00:00",
    "list": ["tit"],
    "int_list": [1],
    "csv": ["tit"],
}


@dataclass(frozen=True)
class Addition:
    """One thing a later release added: an operation (``query`` None), or a query parameter of an operation
    the oldest server has."""

    endpoint: Endpoint[Any]
    query: Optional[Query]

    @property
    def since(self) -> str:
        since = self.query.since if self.query is not None else self.endpoint.since
        assert since is not None
        return since

    @property
    def label(self) -> str:
        """``get_dag_stats()`` or ``get_dag_runs(cursor=...)``: how ApiVersionError names it."""
        op = self.endpoint.operation_id
        return f"{op}()" if self.query is None else f"{op}({self.query.name}=...)"

    @property
    def route(self) -> Tuple[str, str]:
        """(method, path with its fields as ``{}``): how the server's own spec is matched."""
        return self.endpoint.method.lower(), route_of(self.endpoint.path)


def route_of(path: str) -> str:
    return _PATH_FIELD.sub("{}", path)


def endpoints_of(package: str) -> List[Endpoint[Any]]:
    """Every Endpoint declared in the API modules of ``package``, once per (method, path, accept)."""
    root = importlib.import_module(package)
    found: Dict[Tuple[str, str, str], Endpoint[Any]] = {}
    for info in pkgutil.iter_modules(root.__path__):
        module = importlib.import_module(f"{package}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, Endpoint):
                found.setdefault((value.method, value.path, value.accept), value)
    return list(found.values())


def additions(package: str) -> List[Addition]:
    """Each operation and query parameter of ``package`` (``titanium_airflow_client.api`` or ``.v2.api``) that
    carries ``since``; parameters only of operations without ``since`` (those are refused whole)."""
    found: List[Addition] = []
    for endpoint in endpoints_of(package):
        if endpoint.since:
            found.append(Addition(endpoint, None))
            continue
        found.extend(Addition(endpoint, query) for query in endpoint.query if query.since)
    return sorted(found, key=lambda addition: (addition.label, addition.endpoint.path))


ServedRoutes = Dict[Tuple[str, str], Set[str]]
"""A server's own spec: (method, route) → the names of its query parameters."""


def served_additions(marked: List[Addition], served: ServedRoutes) -> List[str]:
    """The additions a server's own spec has anyway: none should be, each is marked newer than that server."""
    return [
        addition.label
        for addition in marked
        if addition.route in served and (addition.query is None or addition.query.name in served[addition.route])
    ]


def unmarked_but_not_served(package: str, served: ServedRoutes) -> List[str]:
    """The operations and query parameters of ``package`` not marked newer, yet missing from a server's own spec."""
    missing: List[str] = []
    for endpoint in endpoints_of(package):
        if endpoint.since:
            continue
        route = (endpoint.method.lower(), route_of(endpoint.path))
        if route not in served:
            missing.append(f"{endpoint.operation_id}()")
            continue
        missing.extend(
            f"{endpoint.operation_id}({query.name}=...)"
            for query in endpoint.query
            if not query.since and query.name not in served[route]
        )
    return missing


def call_arguments(addition: Addition, path_values: Mapping[str, Any]) -> Dict[str, Any]:
    """Arguments of ``ApiClient.call`` that use ``addition``: the path fields from ``path_values`` (a real
    object's, so a 404 comes from the route, not the object), required parameters and body fields filled in."""
    endpoint = addition.endpoint
    arguments: Dict[str, Any] = {name: path_values[name] for name in endpoint.path_params}
    for query in endpoint.query:
        arguments[query.name] = _QUERY_SAMPLES[query.kind] if query.required else None
    if addition.query is not None:
        arguments[addition.query.name] = _QUERY_SAMPLES[addition.query.kind]
    for name, _header in endpoint.headers:
        arguments[name] = None
    if endpoint.body is not None:
        arguments[endpoint.body.name] = _body(endpoint.body.model, endpoint.body.required)
    return arguments


def _body(model: Type[BaseModel], required: Tuple[str, ...]) -> BaseModel:
    """A body setting the fields the client requires, each with a value of its declared type."""
    values: Dict[str, Any] = {}
    for name in required:
        annotation = str(model.model_fields[name].annotation)
        if "List" in annotation or "list" in annotation:
            values[name] = []
        elif "bool" in annotation:
            values[name] = False
        else:
            values[name] = "tit"
    return model.model_construct(**values)


def newer_fields(model: Type[BaseModel], server: str) -> Dict[str, str]:
    """The fields of ``model`` marked "New in Airflow X.Y." for an X.Y later than ``server``: field -> X.Y."""
    known = parse_version(server)
    assert known is not None, server
    found: Dict[str, str] = {}
    for name, info in model.model_fields.items():
        match = _NEW_IN.search(info.description or "")
        if match and _later(match.group(1), known):
            found[name] = match.group(1)
    return found


def _later(version: str, than: Version) -> bool:
    parsed = parse_version(version)
    return parsed is not None and parsed > than
