"""From the spec's paths to operation definitions: parameters in call order, body, return type, paging."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Set

from . import naming
from .models import ModelBuilder, clean_text, response_name
from .spec import Spec, SpecError, ref_name


@dataclass
class ParamDef:
    name: str
    location: str  # "path", "query" or "body"
    kind: str  # path: "str"/"int"; query: Query kinds; body: the model name
    required: bool
    description: str
    default: Any = None
    minimum: Optional[int] = None
    slash: bool = False  # a path value that may hold "/" (format: path)


@dataclass
class Paging:
    items: str  # the collection's field holding the items
    limit: Optional[str] = None  # how page size and offset are passed: query names, or fields of the body
    offset: Optional[str] = None
    form: Optional[str] = None  # the body parameter holding them, for batch forms


@dataclass
class OperationDef:
    operation_id: str
    tags: List[str]
    method: str
    path: str
    summary: str
    description: str
    params: List[ParamDef]
    returns: Optional[str]  # model name, or None (no body)
    status: str
    body_required_fields: List[str] = field(default_factory=list)
    text: bool = False  # also answers text/plain: gets a ``<name>_text`` variant
    paging: Optional[Paging] = None

    @property
    def body(self) -> Optional[ParamDef]:
        return next((p for p in self.params if p.location == "body"), None)


_QUERY_KINDS = {"integer": "int", "boolean": "bool", "number": "float", "string": "str"}


def _query_kind(param: Dict[str, Any]) -> str:
    schema = param.get("schema", {})
    kind = schema.get("type")
    if kind == "array":
        # style form + explode false: one comma-joined value; the default (explode) repeats the key.
        return "csv" if param.get("explode") is False else "list"
    if kind == "string" and schema.get("format") in ("date-time", "datetime"):
        return "datetime"
    if kind not in _QUERY_KINDS:
        raise SpecError(f"{param['name']}: unsupported query type {kind}")
    return _QUERY_KINDS[kind]


def request_body_models(spec: Spec) -> Set[str]:
    """Schemas used only as request bodies: their spec defaults become field defaults."""
    bodies: Set[str] = set()
    for operation in spec.operations():
        body = operation.get("requestBody")
        if body:
            name = ref_name(body["content"]["application/json"]["schema"])
            if name:
                bodies.add(name)
    used_in_responses: Set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            name = ref_name(node)
            if name and name not in used_in_responses:
                used_in_responses.add(name)
                walk(spec.schemas[name])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for operation in spec.operations():
        for status, response in operation["responses"].items():
            if status.startswith("2"):
                walk(response)
    return bodies - used_in_responses


def build_operations(spec: Spec, builder: ModelBuilder) -> List[OperationDef]:
    operations = []
    for raw in spec.operations():
        operations.append(_operation(spec, builder, raw))
    return sorted(operations, key=lambda o: o.operation_id)


def _operation(spec: Spec, builder: ModelBuilder, raw: Dict[str, Any]) -> OperationDef:
    operation_id = raw["operationId"]
    path_order = re.findall(r"\{([^}]+)\}", raw["_path"])
    params: List[ParamDef] = []
    for param in raw["_parameters"]:
        schema = param.get("schema", {})
        description = clean_text(param.get("description"))
        if param["in"] == "path":
            kind = "int" if schema.get("type") == "integer" else "str"
            params.append(
                ParamDef(param["name"], "path", kind, True, description, slash=schema.get("format") == "path")
            )
        elif param["in"] == "query":
            params.append(
                ParamDef(
                    param["name"],
                    "query",
                    _query_kind(param),
                    bool(param.get("required")),
                    description,
                    default=schema.get("default"),
                    minimum=schema.get("minimum"),
                )
            )
        else:
            raise SpecError(f"{operation_id}: {param['in']} parameters are not supported")
    path_params = sorted((p for p in params if p.location == "path"), key=lambda p: path_order.index(p.name))
    if [p.name for p in path_params] != path_order:
        raise SpecError(f"{operation_id}: path parameters do not match the path")
    queries = [p for p in params if p.location == "query"]

    body: Optional[ParamDef] = None
    required_fields: List[str] = []
    if "requestBody" in raw:
        request = raw["requestBody"]
        name = ref_name(request["content"]["application/json"]["schema"])
        if name is None:
            raise SpecError(f"{operation_id}: inline request bodies are not supported")
        builder.define(name, spec.schemas[name])
        parameter = naming.SEED_BODY_PARAMETERS.get(operation_id, naming.snake(name))
        body = ParamDef(parameter, "body", name, bool(request.get("required")), clean_text(request.get("description")))
        # The body schema's own required list (models make every field optional, so that answers
        # parse) and the fields the server needs beyond it: checked before sending.
        required_fields = list(
            dict.fromkeys([*spec.schemas[name].get("required", []), *request.get("x-titanium-required", [])])
        )

    status, returns, text = _response(spec, builder, operation_id, raw["responses"])
    ordered = (
        path_params
        + [p for p in queries if p.required]
        + ([body] if body and body.required else [])
        + ([body] if body and not body.required else [])
        + [p for p in queries if not p.required]
    )
    operation = OperationDef(
        operation_id,
        raw["tags"],
        raw["_method"],
        raw["_path"],
        clean_text(raw.get("summary")),
        clean_text(raw.get("description")),
        ordered,
        returns,
        status,
        required_fields,
        text,
    )
    operation.paging = _paging(spec, operation)
    return operation


def _response(spec: Spec, builder: ModelBuilder, operation_id: str, responses: Dict[str, Any]):  # type: ignore[no-untyped-def]
    for status in sorted(responses):
        if not status.startswith("2"):
            continue
        content = spec.resolve(responses[status]).get("content")
        if not content:
            return status, None, False
        schema = content.get("application/json", {}).get("schema")
        if schema is None:
            raise SpecError(f"{operation_id}: no JSON response")
        if ref_name(schema) is None and not schema.get("description"):
            schema = {**schema, "description": f"What {operation_id} answers."}
        name = ref_name(schema) or builder.define(response_name(operation_id, status), schema)
        if ref_name(schema):
            builder.define(name, spec.schemas[name])
        if builder.models[name].kind == "union":
            builder.models[name].root_model = True
        return status, name, "text/plain" in content
    raise SpecError(f"{operation_id}: no 2xx response")


def _paging(spec: Spec, operation: OperationDef) -> Optional[Paging]:
    """How to page through a list endpoint: the one array field of a collection answer."""
    if operation.returns is None:
        return None
    fields = _flat_properties(spec, spec.schemas.get(operation.returns) or {}, operation)
    arrays = [name for name, node in fields.items() if spec.resolve(node).get("type") == "array"]
    if len(arrays) != 1 or not (
        operation.returns.endswith(("Collection", "CollectionSchema")) or "total_entries" in fields
    ):
        return None
    names = {p.name for p in operation.params}
    if {"limit", "offset"} <= names:
        return Paging(arrays[0], "limit", "offset")
    body = operation.body
    if body is not None:
        form = spec.schemas[body.kind].get("properties", {})
        if {"page_limit", "page_offset"} <= set(form):
            return Paging(arrays[0], "page_limit", "page_offset", form=body.name)
    return Paging(arrays[0])


def _flat_properties(spec: Spec, schema: Dict[str, Any], operation: OperationDef) -> Dict[str, Any]:
    if not schema and operation.returns:  # an inline response schema
        schema = _inline_response_schema(spec, operation)
    found: Dict[str, Any] = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        found.update(_flat_properties(spec, spec.resolve(part), operation))
    return found


def _inline_response_schema(spec: Spec, operation: OperationDef) -> Dict[str, Any]:
    for raw in spec.operations():
        if raw["operationId"] == operation.operation_id:
            content = spec.resolve(raw["responses"][operation.status])["content"]
            return content["application/json"]["schema"]  # type: ignore[no-any-return]
    return {}
