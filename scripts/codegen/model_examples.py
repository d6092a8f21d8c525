"""The examples of the model pages, as plans that example_runner.py runs before they are rendered.

A plan is a python block built step by step: ``code`` runs as it is, ``show`` prints a value and
writes it underneath as a comment, ``check`` fails on sample keys no model declares (a renamed field
must not leave a stale sample). The samples come from spec/v1-samples.yaml (see samples.py); a
model without a payload of its own takes the first value found for it inside another payload, or
one built from its field types.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from . import naming
from .docs_index import DocsIndex
from .models import ModelDef
from .render_api import PACKAGE
from .samples import Samples

_SIMPLE_SAMPLES: Dict[str, Any] = {
    "bool": True,
    "int": 1,
    "float": 1.5,
    "WholeNumber": 1,
    "DateTime": "2024-05-01T10:00:00+00:00",
}


@dataclass
class Plan:
    """A python block, as steps for example_runner.py; ``render`` writes it with what ``show`` printed."""

    steps: List[Dict[str, Any]] = field(default_factory=list)

    def code(self, *lines: str) -> None:
        self.steps.append({"code": "\n".join(lines)})

    def show(self, expression: str, comment: str = "") -> None:
        self.steps.append({"show": expression, "comment": comment})

    def check(self, variable: str, allow_extra: List[str]) -> None:
        self.steps.append({"check": variable, "allow_extra": allow_extra})

    def render(self, shown: List[str]) -> str:
        lines: List[str] = []
        outputs = iter(shown)
        for step in self.steps:
            if "code" in step:
                lines.append(step["code"])
            elif "show" in step:
                if step["comment"]:
                    lines.append(f"# {step['comment']}")
                lines.append(f"print({step['show']})")
                lines += [f"# {line}" if line else "#" for line in next(outputs).splitlines()]
        return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------- samples


class SampleFinder:
    """A sample value of every model: its payload, one found inside another payload, or one synthesized."""

    def __init__(self, index: DocsIndex, samples: Samples) -> None:
        self.index = index
        self.found: Dict[str, Any] = dict(samples.payloads)
        for name, fields in samples.requests.items():  # request-only models: what a caller sends
            self.found.setdefault(name, fields)
        for name in list(samples.payloads):
            self._harvest(name, samples.payloads[name])

    def sample(self, name: str) -> Any:
        if name not in self.found:
            self.found[name] = self._synthesize(self.index.models[name], depth=0)
        return self.found[name]

    def _harvest(self, name: str, value: Any) -> None:
        """Record the values a payload holds for other models (first one wins: payload order)."""
        model = self.index.models.get(name)
        if model is None or not isinstance(value, dict):
            return
        if model.kind == "union":
            member = self._member_for(model, value)
            if member:
                self._record(member, value)
            return
        for base in model.bases:
            names = {f.alias or f.name for f in self.index.fields(self.index.models[base])}
            self._record(base, {key: item for key, item in value.items() if key in names})
        for f in self.index.fields(model):
            key = f.alias or f.name
            if key in value and value[key] is not None:
                self._harvest_type(ast.parse(f.type.text, mode="eval").body, value[key])

    def _harvest_type(self, node: ast.expr, value: Any) -> None:
        if isinstance(node, ast.Name) and node.id in self.index.models:
            self._record(node.id, value)
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            if node.value.id == "List" and isinstance(value, list):
                for item in value:
                    self._harvest_type(node.slice, item)
            elif node.value.id == "Dict" and isinstance(value, dict) and isinstance(node.slice, ast.Tuple):
                for item in value.values():
                    self._harvest_type(node.slice.elts[1], item)

    def _record(self, name: str, value: Any) -> None:
        if value in (None, {}, []):
            return
        self.found.setdefault(name, value)
        self._harvest(name, value)  # a model with a sample may still hold the first value of another

    def _member_for(self, union: ModelDef, value: Dict[str, Any]) -> Optional[str]:
        if not union.tag_property:
            return None
        tag = value.get(union.tag_property)
        known = [m for m in union.members if m != self.index.union_fallback(union)]
        return tag if tag in known else self.index.union_fallback(union)

    def _synthesize(self, model: ModelDef, depth: int) -> Any:
        if model.kind == "enum":
            return model.values[0]
        if model.kind == "alias":
            return self._value("value", ast.parse(model.target.text if model.target else "Any", mode="eval").body, 0)
        if model.kind == "union":
            return self.sample(model.members[0])
        sample: Dict[str, Any] = {}
        for f in self.index.fields(model):
            value = f.literal_tag or self._value(f.name, ast.parse(f.type.text, mode="eval").body, depth)
            if value is not None:
                sample[f.alias or f.name] = value
        return sample

    def _value(self, name: str, node: ast.expr, depth: int) -> Any:
        if isinstance(node, ast.Name):
            if node.id in self.index.models:
                model = self.index.models[node.id]
                if model.kind == "object" and depth >= 1:
                    return None  # one level of nesting is enough for a sample
                return self.found.get(node.id) or self._synthesize(model, depth + 1)
            if node.id == "str":
                return f"{name}_example"
            return _SIMPLE_SAMPLES.get(node.id)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if node.value.id == "List":
                item = self._value(name, parts[0], depth)
                return [] if item is None else [item]
            if node.value.id == "Dict":
                return {}
            if node.value.id == "Union":
                return self._value(name, parts[0], depth)
        return None


# -------------------------------------------------------------------------------------------- examples


def _json_literal(sample: Any) -> List[str]:
    text = json.dumps(sample, indent=4, ensure_ascii=False)
    quote = "'''" if '"""' in text else '"""'
    prefix = "r" if "\\" in text else ""  # a raw string keeps JSON escapes such as \n as they are
    return [f"json_text = {prefix}{quote}", *text.splitlines(), quote]


def keyword_arguments(index: DocsIndex, model: ModelDef, values: Dict[str, Any]) -> List[str]:
    """``["a=1", "b='x'"]`` for a constructor call: JSON names become field names; a name the model does
    not declare is an error here rather than an extra key the server refuses."""
    by_key = {f.alias or f.name: f for f in index.fields(model)} | {f.name: f for f in index.fields(model)}
    parts = []
    for key, value in values.items():
        if key not in by_key:
            raise ValueError(f"{model.name} has no field {key!r} (in a sample request)")
        parts.append(f"{by_key[key].name}={value!r}")
    return parts


class ModelExamples:
    def __init__(self, index: DocsIndex, samples: Samples) -> None:
        self.index = index
        self.samples = samples
        self.finder = SampleFinder(index, samples)
        self.allow_extra = sorted(m.name for m in index.models.values() if m.name.startswith("Unknown"))

    def object_plan(self, model: ModelDef) -> Plan:
        var = model.module
        name = model.name
        plan = Plan()
        plan.code(f"from {PACKAGE}.models.{model.module} import {name}", "")
        plan.code(*_json_literal(self.finder.sample(name)))
        plan.code(f"# create an instance of {name} from a JSON string", f"{var} = {name}.from_json(json_text)")
        plan.check(var, self.allow_extra)
        plan.code("# print the JSON string representation of the object", f"print({var}.to_json())", "")
        plan.code(
            "# convert the object into a dict: the fields that were set or received, by their JSON names",
            f"{var}_dict = {var}.to_dict()",
            f"# create an instance of {name} from a dict",
            f"{var}_from_dict = {name}.from_dict({var}_dict)",
            f"assert {var}_from_dict == {var}",
            f"assert {name}.from_json({var}.to_json()).to_json() == {var}.to_json()",
        )
        if model.kind == "union":
            plan.code("")
            plan.show(f"type({var}.actual_instance).__name__", "the parsed answer")
        if self.index.usage.get(name) and self.index.usage[name].bodies:
            values = self.samples.requests.get(name, self.finder.sample(name))
            also = " (and those marked [always sent])" if model.always_sent else ""
            plan.code(
                "",
                f"# build a request body: only the fields set here are sent{also}, read-only ones never",
                f"request = {name}({', '.join(keyword_arguments(self.index, model, values))})",
            )
            plan.show("request.to_request_body()")
        return plan

    def enum_plan(self, model: ModelDef) -> Plan:
        var = model.module
        first = model.values[0]
        plan = Plan()
        plan.code(f"from {PACKAGE}.models.{model.module} import {model.name}", "")
        plan.code(
            f"{var} = {model.name}({first!r})",
            f"assert {var} is {model.name}.{naming.enum_member(first)} and {var} == {first!r}",
        )
        plan.show(f"{var}.value")
        plan.code("", "# a value this client does not know is kept, not rejected")
        plan.code(f"newer = {model.name}('value_from_a_newer_server')")
        plan.show("newer.value")
        plan.show(f"newer in list({model.name})")
        return plan

    def union_alias_plan(self, model: ModelDef) -> Plan:
        plan = Plan()
        plan.code("from pydantic import TypeAdapter", "")
        imports = ", ".join(sorted([model.name, *model.members]))
        plan.code(f"from {PACKAGE}.models import {imports}", "", f"adapter = TypeAdapter({model.name})")
        for member in model.members:
            sample = {key: value for key, value in self.finder.sample(member).items() if value is not None}
            plan.code(
                f"value = adapter.validate_json({json.dumps(sample, ensure_ascii=False)!r})",
                f"assert isinstance(value, {member})",
            )
            plan.check("value", self.allow_extra)
            plan.show("value.to_json()")
        return plan

    def type_alias_plan(self, model: ModelDef) -> Plan:
        target = model.target.text if model.target else "Any"
        var = model.module
        plan = Plan()
        plan.code(f"from {PACKAGE}.models import {model.name}", "")
        plan.code(
            f"# {model.name} is another name for {target}: a field of this type holds the JSON value as it is",
            f"{var}: {model.name} = {self.finder.sample(model.name)!r}",
            f"assert {model.name} is {target}",
        )
        return plan

    def seed_alias_plan(self, target: str) -> Plan:
        names = self.index.aliases[target]
        plan = Plan()
        plan.code(f"from {PACKAGE} import {', '.join([target, *names])}", "")
        for name in names:
            plan.code(f"assert {name} is {target}")
        return plan
