"""The examples of the model pages, as plans that example_runner.py runs before they are rendered.

A plan is a python block built step by step: ``code`` runs as it is, ``show`` prints a value and
writes it underneath as a comment, ``check`` fails on sample keys no model declares (a renamed field
must not leave a stale sample). The sample values come from model_samples.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List

from . import naming
from .docs_index import DocsIndex
from .model_samples import SampleFinder, keyword_arguments
from .models import ModelDef
from .render_api import PACKAGE
from .samples import Samples


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


def _json_literal(sample: Any) -> List[str]:
    text = json.dumps(sample, indent=4, ensure_ascii=False)
    quote = "'''" if '"""' in text else '"""'
    prefix = "r" if "\\" in text else ""  # a raw string keeps JSON escapes such as \n as they are
    return [f"json_text = {prefix}{quote}", *text.splitlines(), quote]


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
