"""From the spec's paths to operation definitions: parameters in call order, body, return type, paging."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Set

from . import naming
from .models import ModelBuilder, clean_text, response_name
from .spec import Spec, SpecError, ref_name
from .target import Target


@dataclass
class ParamDef:
    name: str
    location: str  # "path", "query", "header" or "body"
    kind: str  # path: "str"/"int"; query: Query kinds; body: the model name
    required: bool
    description: str
    default: Any = None
    minimum: Optional[int] = None
    slash: bool = False  # a path value that may hold "/" (format: path)
    header: Optional[str] = None  # the header a "header" parameter is sent as
    since: Optional[str] = None  # the Airflow version that added it, if later than the oldest supported


@dataclass
class Paging:
    items: str  # the collection's field holding the items
    limit: Optional[str] = None  # how page size and offset are passed: query names, or fields of the body
    offset: Optional[str] = None
    form: Optional[str] = None  # the body parameter holding them, for batch forms
    cursor: Optional[str] = None  # the query parameter of cursor paging (v2 runs and task instances)


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
    # Also answers NDJSON, each line one ``stream`` model: the method itself streams when its JSON
    # answer has no schema (wait_dag_run_until_finished), else a ``<name>_stream`` variant does.
    stream: Optional[str] = None
    paging: Optional[Paging] = None
    auth: str = "basic"  # Endpoint.auth
    since: Optional[str] = None  # the Airflow version that added it, if later than the oldest supported

    @property
    def variants(self) -> List[str]:
        """The methods of this operation by suffix: "" (the operation itself), "_text", "_stream"."""
        found = [""] + (["_text"] if self.text else [])
        return found + (["_stream"] if self.stream and not self.streams_only else [])

    @property
    def streams_only(self) -> bool:
        return self.stream is not None and self.returns is None

    @property
    def body(self) -> Optional[ParamDef]:
        return next((p for p in self.params if p.location == "body"), None)


_QUERY_KINDS = {"integer": "int", "boolean": "bool", "number": "float", "string": "str"}


def _query_kind(spec: Spec, param: Dict[str, Any]) -> str:
    schema = spec.resolve(_not_null(param.get("schema", {})))  # an enum by reference is its strings
    kind = schema.get("type")
    if kind == "array":
        # style form + explode false: one comma-joined value; the default (explode) repeats the key.
        if param.get("explode") is False:
            return "csv"
        return "int_list" if schema.get("items", {}).get("type") == "integer" else "list"
    if kind == "string" and schema.get("format") in ("date-time", "datetime"):
        return "datetime"
    if kind not in _QUERY_KINDS:
        raise SpecError(f"{param['name']}: unsupported query type {kind}")
    return _QUERY_KINDS[kind]


def _not_null(schema: Dict[str, Any]) -> Dict[str, Any]:
    """The schema without OpenAPI 3.1's nullable wrapper (``anyOf: [X, {type: null}]``)."""
    options = [m for m in schema.get("anyOf", []) if m.get("type") != "null"]
    if len(options) == 1:
        outer = {key: value for key, value in schema.items() if key != "anyOf"}
        return {**outer, **options[0]}
    return schema


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


def build_operations(spec: Spec, builder: ModelBuilder, target: Target) -> List[OperationDef]:
    operations = []
    for raw in spec.operations():
        operations.append(_operation(spec, builder, raw, target))
    return sorted(operations, key=lambda o: o.operation_id)


def _operation(spec: Spec, builder: ModelBuilder, raw: Dict[str, Any], target: Target) -> OperationDef:
    operation_id = raw["operationId"]
    path_order = re.findall(r"\{([^}]+)\}", raw["_path"])
    params: List[ParamDef] = []
    for param in raw["_parameters"]:
        schema = _not_null(param.get("schema", {}))
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
                    _query_kind(spec, param),
                    bool(param.get("required")),
                    description,
                    default=schema.get("default"),
                    minimum=schema.get("minimum"),
                )
            )
        elif param["in"] == "header":  # e.g. ``accept``: the caller's choice of media type goes to the wire
            name = naming.snake(param["name"])
            header = "Accept" if name == "accept" else param["name"]
            params.append(ParamDef(name, "header", "str", bool(param.get("required")), description, header=header))
        else:
            raise SpecError(f"{operation_id}: {param['in']} parameters are not supported")
    path_params = sorted((p for p in params if p.location == "path"), key=lambda p: path_order.index(p.name))
    if [p.name for p in path_params] != path_order:
        raise SpecError(f"{operation_id}: path parameters do not match the path")
    queries = [p for p in params if p.location in ("query", "header")]

    body: Optional[ParamDef] = None
    required_fields: List[str] = []
    if "requestBody" in raw:
        request = raw["requestBody"]
        schema = request["content"]["application/json"]["schema"]
        name = ref_name(_not_null(schema))
        if name is None:
            raise SpecError(f"{operation_id}: inline request bodies are not supported")
        model = builder.define_component(name)
        parameter = target.seed_body_parameters.get(operation_id, naming.snake(model))
        required = bool(request.get("required")) and ref_name(schema) is not None  # a nullable body may be left out
        body = ParamDef(parameter, "body", model, required, clean_text(request.get("description")))
        # The body schema's own required list (models make every field optional, so that answers
        # parse) and the fields the server needs beyond it: checked before sending.
        required_fields = list(
            dict.fromkeys([*spec.schemas[name].get("required", []), *request.get("x-titanium-required", [])])
        )

    status, returns, text, stream = _response(spec, builder, operation_id, raw["responses"])
    if target.spec_parameter_order:  # OpenAPI Generator's: the required, then the rest, each in spec order
        in_spec = params + ([body] if body else [])
        ordered = [p for p in in_spec if p.required] + [p for p in in_spec if not p.required]
    else:  # v1's, fixed by the seed pages
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
        stream,
        # v2's health, version and login take no credentials; v1's take them harmlessly, as ever.
        auth="none" if target.auth == "jwt" and not raw.get("security") else target.auth,
    )
    operation.paging = _paging(spec, operation)
    return operation


def _response(spec: Spec, builder: ModelBuilder, operation_id: str, responses: Dict[str, Any]):  # type: ignore[no-untyped-def]
    for status in sorted(responses):
        if not status.startswith("2"):
            continue
        content = spec.resolve(responses[status]).get("content")
        if not content:
            return status, None, False, None
        schema = content.get("application/json", {}).get("schema")
        if schema is None:
            raise SpecError(f"{operation_id}: no JSON response")
        stream = None
        line = content.get("application/x-ndjson", {}).get("schema", {})
        if "application/x-ndjson" in content:
            if ref_name(line) is None:
                raise SpecError(f"{operation_id}: the NDJSON answer needs an override naming the model of a line")
            stream = builder.define_component(ref_name(line) or "")
        if not schema:  # no JSON schema at all: only the NDJSON form is typed
            return status, None, "text/plain" in content, stream
        if ref_name(schema) is None and not schema.get("description"):
            schema = {**schema, "description": f"What {operation_id} answers."}
        ref = ref_name(schema)
        if ref:
            name = builder.define_component(ref)
        else:  # OpenAPI Generator names an inline schema by its title, if it has one
            title = schema.get("title")
            name = builder.define(naming.camel(title) if title else response_name(operation_id, status), schema)
        if builder.models[name].kind == "union":
            builder.models[name].root_model = True
        return status, name, "text/plain" in content, stream
    raise SpecError(f"{operation_id}: no 2xx response")


def _paging(spec: Spec, operation: OperationDef) -> Optional[Paging]:
    """How to page through a list endpoint: the one array field of a collection answer."""
    if operation.returns is None:
        return None
    fields = _flat_properties(spec, builder_schema(spec, operation.returns), operation)
    arrays = [name for name, node in fields.items() if spec.resolve(node).get("type") == "array"]
    if len(arrays) != 1 or not (
        operation.returns.endswith(("Collection", "CollectionSchema")) or "total_entries" in fields
    ):
        return None
    names = {p.name for p in operation.params}
    if {"limit", "offset"} <= names:
        return Paging(arrays[0], "limit", "offset", cursor="cursor" if "cursor" in names else None)
    body = operation.body
    if body is not None:
        form = _flat_properties(spec, builder_schema(spec, body.kind), operation)
        if {"page_limit", "page_offset"} <= set(form):
            return Paging(arrays[0], "page_limit", "page_offset", form=body.name)
    return Paging(arrays[0])


def builder_schema(spec: Spec, class_name: str) -> Dict[str, Any]:
    """The component schema of a generated class (empty for an inline schema)."""
    for name, schema in spec.schemas.items():
        if naming.class_name(name) == class_name:
            return schema
    return {}


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
