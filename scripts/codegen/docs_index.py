"""What the docs need to know about the generated code, worked out once from the definitions.

The pages are written from the generator's definitions (and the hand-written modules, read with
``ast``), never by importing the package: the package on disk may be the one being replaced.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from . import naming
from .markdown import model_names_in
from .models import FieldDef, ModelDef
from .operations import OperationDef


@dataclass(frozen=True)
class Method:
    """A hand-written method or property a model gets from a base class or mixin."""

    name: str
    returns: str
    summary: str


@dataclass
class Usage:
    bodies: List[Tuple[str, str, str]] = field(default_factory=list)  # (API class, method, parameter)
    returns: List[Tuple[str, str]] = field(default_factory=list)  # (API class, method)


@dataclass
class DocsIndex:
    models: Dict[str, ModelDef]
    operations: List[OperationDef]
    package_dir: Path  # the hand-written modules: mixins and the union base

    def __post_init__(self) -> None:
        by_tag: Dict[str, List[OperationDef]] = defaultdict(list)
        usage: Dict[str, Usage] = defaultdict(Usage)
        for op in self.operations:
            for tag in op.tags:
                by_tag[tag].append(op)
                api = naming.api_class(tag)
                if op.body is not None:
                    usage[op.body.kind].bodies.append((api, op.operation_id, op.body.name))
                if op.returns is not None:
                    usage[op.returns].returns.append((api, op.operation_id))
        aliases: Dict[str, List[str]] = defaultdict(list)
        for alias, target in naming.SEED_ALIASES.items():
            aliases[target].append(alias)
        # Plain dicts from here on: a lookup of a missing key must not add one.
        self.by_tag = dict(by_tag)  # tag → its operations (one operation may have two tags)
        self.usage = dict(usage)  # model → where operations send or return it
        self.aliases = dict(aliases)  # model → its seed names

    # --- models -----------------------------------------------------------------------------------------

    def fields(self, model: ModelDef) -> List[FieldDef]:
        """Every field, inherited ones first (pydantic's order)."""
        inherited: List[FieldDef] = []
        for base in model.bases:
            inherited += self.fields(self.models[base])
        own = {f.name for f in model.fields}
        return [f for f in inherited if f.name not in own] + model.fields

    def methods(self, model: ModelDef) -> List[Method]:
        """Methods a mixin (naming.MIXINS) gives the model."""
        mixin = naming.MIXINS.get(model.name)
        return self._class_members("_conversions.py", mixin, properties=False) if mixin else []

    def root_properties(self) -> List[Method]:
        """The properties every union response class has (models/_unions.py, UnionModel)."""
        return self._class_members("_unions.py", "UnionModel", properties=True)

    def _class_members(self, module: str, cls: str, properties: bool) -> List[Method]:
        tree = ast.parse((self.package_dir / "models" / module).read_text(encoding="utf-8"))
        node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls)
        found = []
        for item in node.body:
            if not isinstance(item, ast.FunctionDef) or item.name.startswith("_"):
                continue
            is_property = any(_decorator_name(d) == "property" for d in item.decorator_list)
            if is_property == properties:
                returns = ast.unparse(item.returns) if item.returns else "None"
                summary = (ast.get_docstring(item) or "").split("\n\n")[0]
                found.append(Method(item.name, returns, " ".join(summary.split())))
        return found

    def union_fallback(self, model: ModelDef) -> Optional[str]:
        """The member a tagged union parses unknown kinds as (``Unknown…``), if it has one."""
        return next((m for m in model.members if m == "Unknown" + model.name), None)

    def fields_using(self, name: str) -> List[Tuple[str, str]]:
        """(model, field) of every field whose type names ``name``."""
        found = []
        for model in sorted(self.models.values(), key=lambda m: m.name):
            for f in model.fields:
                if name in model_names_in(f.type.text, self.models):
                    found.append((model.name, f.name))
        return found

    def alias_page(self, model: str) -> str:
        """The seed pages link every alias of X (TitaniumX, TitaniumTitaniumX) to TitaniumX.md."""
        return f"Titanium{model}"

    # --- operations ---------------------------------------------------------------------------------------

    def tags(self) -> List[str]:
        return sorted(self.by_tag, key=naming.api_class)


def _decorator_name(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else ast.unparse(node)
