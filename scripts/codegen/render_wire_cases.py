"""The wire test cases: for every operation, a call with every parameter set and the exact request it must send.

The expected request is worked out here from the spec (path template, parameter styles, body schema),
apart from the client's own encoder, so test/unit/test_generated_wire.py checks one against the other.
"""

from __future__ import annotations

import json
import pprint
from typing import Any, Dict, List, Optional
from urllib.parse import quote

from . import naming
from .models import ModelDef
from .operations import OperationDef, ParamDef
from .render_api import method_returns
from .target import Target

SAMPLE_DATETIME = "2026-01-02T03:04:05+00:00"
_QUERY_SAMPLES: Dict[str, Any] = {
    "str": "a b&c",
    "int": 7,
    "float": 1.5,
    "bool": True,
    "datetime": SAMPLE_DATETIME,
    "list": ["a", "b c"],
    "int_list": [4, 5],
    "csv": ["a", "b"],
}
_FIELD_SAMPLES: Dict[str, Any] = {
    "str": "sample ä",
    "int": 3,
    "float": 1.5,
    "bool": True,
    "DateTime": SAMPLE_DATETIME,
    "List[str]": ["x", "y"],
    "Dict[str, Any]": {"k": [1, "v"]},
    "Any": {"k": [1, "v"]},
}


def _path_sample(param: ParamDef) -> Any:
    if param.kind == "int":
        return 3
    # Characters that must be percent-encoded, and '~', which must not (Airflow's "every" wildcard).
    return f"{param.name} ä~/x" if param.slash else f"{param.name} ä~x"


def _query_pairs(param: ParamDef, value: Any) -> List[str]:
    if param.kind == "bool":
        return [f"{param.name}={'true' if value else 'false'}"]
    if param.kind in ("list", "int_list"):
        return [f"{param.name}={quote(str(item), safe='')}" for item in value]
    if param.kind == "csv":
        return [f"{param.name}={quote(','.join(value), safe='')}"]
    return [f"{param.name}={quote(str(value), safe='')}"]


def _body_sample(model: ModelDef, models: Dict[str, ModelDef], required: List[str]) -> Dict[str, Any]:
    """A body setting the fields the server requires and each writable field of a plain type."""
    body: Dict[str, Any] = {}
    for field in _all_fields(model, models):
        key = field.alias or field.name
        if field.name in model.read_only or field.literal_tag:
            continue
        target = models.get(field.type.text)
        if field.type.text in _FIELD_SAMPLES:
            body[key] = _FIELD_SAMPLES[field.type.text]
        elif target is not None and target.kind == "enum":
            body[key] = target.values[0]
        elif target is not None and target.kind == "alias" and target.target and target.target.text in _FIELD_SAMPLES:
            body[key] = _FIELD_SAMPLES[target.target.text]  # JsonValue: any JSON
        elif field.type.text.startswith("Literal["):
            body[key] = field.default  # the constant, sent anyway
        elif field.name in required and field.type.text.startswith("List["):
            body[key] = []  # a required list of models (Role.actions): empty is a valid value
        elif field.name in required:
            raise SystemExit(f"{model.name}.{field.name}: no sample for a required {field.type.text}")
    return body


def _all_fields(model: ModelDef, models: Dict[str, ModelDef]) -> List[Any]:
    fields: List[Any] = []
    for base in model.bases:
        fields += _all_fields(models[base], models)
    return fields + model.fields


def _expected_body(model: ModelDef, models: Dict[str, ModelDef], sent: Dict[str, Any]) -> Dict[str, Any]:
    expected = dict(sent)
    for field in _all_fields(model, models):
        if field.name in model.always_sent and (field.alias or field.name) not in expected:
            expected[field.alias or field.name] = field.default
    return expected


def wire_case(op: OperationDef, models: Dict[str, ModelDef], variant: str, api_class: str) -> Dict[str, Any]:
    kwargs: Dict[str, Any] = {}
    path = op.path
    pairs: List[str] = []
    body: Optional[Dict[str, Any]] = None
    expected_body: Optional[Dict[str, Any]] = None
    headers: Dict[str, str] = {}
    for param in op.params:
        if param.location == "path":
            value = _path_sample(param)
            kwargs[param.name] = value
            path = path.replace("{" + param.name + "}", quote(str(value), safe="~"))
        elif param.location == "query":
            value = _QUERY_SAMPLES[param.kind]
            kwargs[param.name] = value
            pairs += _query_pairs(param, value)
        elif param.location == "header":
            if param.header != "Accept":  # the caller's Accept: test_generated_wire's own test
                kwargs[param.name] = headers[param.header or ""] = f"{param.name} value"
        else:
            model = models[param.kind]
            body = _body_sample(model, models, op.body_required_fields)
            kwargs[param.name] = body
            expected_body = _expected_body(model, models, body)
    method = op.operation_id + variant
    case = {
        # An operation in two tags (get_upstream_dataset_events) has a case per class.
        "id": method + ("" if api_class == naming.api_class(op.tags[0]) else f"@{api_class}"),
        "api": api_class,
        "method": method,
        "kwargs": kwargs,
        "http_method": op.method,
        "path": path + ("?" + "&".join(pairs) if pairs else ""),
        "body": expected_body,
        "accept": _ACCEPT[variant or ("_stream" if op.streams_only else "")],
        "returns": None if method_returns(op, variant) == "None" else method_returns(op, variant),
    }
    return {**case, "headers": headers} if headers else case


_ACCEPT = {"": "application/json", "_text": "text/plain", "_stream": "application/x-ndjson"}


def render_wire_cases(target: Target, operations: List[OperationDef], models: Dict[str, ModelDef]) -> str:
    cases = []
    for op in operations:
        for tag in op.tags:
            for variant in op.variants:
                cases.append(wire_case(op, models, variant, naming.api_class(tag)))
    body = pprint.pformat(cases, width=116, sort_dicts=False)
    json.dumps(cases)  # plain data only
    return (
        '"""Every operation on the wire: a call with every parameter set, and the exact request it must send.\n\n'
        'Worked out from the spec by scripts/codegen/render_wire_cases.py; run by test_generated_wire.py.\n"""\n\n'
        f"{target.header}\n\nfrom typing import Any, Dict, List\n\nCASES: List[Dict[str, Any]] = {body}\n"
    )
