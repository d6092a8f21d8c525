"""A sample value of every model, for its page: spec/v1-samples.yaml's payload for it, else the
first value found for it inside another payload, else one built from its field types."""

from __future__ import annotations

import ast
from typing import Any, Dict, List, Optional

from .docs_index import DocsIndex
from .models import ModelDef
from .samples import Samples

_SIMPLE_SAMPLES: Dict[str, Any] = {
    "bool": True,
    "int": 1,
    "float": 1.5,
    "WholeNumber": 1,
    "DateTime": "2024-05-01T10:00:00+00:00",
}


class SampleFinder:
    """A sample value of every model: its payload, one found inside another payload, or one synthesized."""

    def __init__(self, index: DocsIndex, samples: Samples) -> None:
        self.index = index
        self.found: Dict[str, Any] = dict(samples.payloads)
        for name, fields in samples.requests.items():  # models without a payload: what a caller sends
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
