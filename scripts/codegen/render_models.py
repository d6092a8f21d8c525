"""Python source of the model modules, their seed-name aliases and ``models/__init__.py``."""

from __future__ import annotations

from typing import Dict, Set

from . import naming
from .models import ModelDef, TypeRef
from .render_api import render_lazy_init
from .text import HEADER, docstring, first_paragraph, literal, long_literal, tuple_literal

PACKAGE = "titanium_airflow_client"


def _imports(
    typing_names: Set[str], pydantic: Set[str], extensions: Set[str], base: Set[str], local: Dict[str, Set[str]]
) -> str:
    lines = ["from __future__ import annotations", ""]
    if typing_names:
        lines += [f"from typing import {', '.join(sorted(typing_names))}", ""]
    third = []
    if pydantic:
        third.append(f"from pydantic import {', '.join(sorted(pydantic))}")
    if extensions:
        third.append(f"from typing_extensions import {', '.join(sorted(extensions))}")
    if third:
        lines += [*third, ""]
    for module, names in sorted(local.items()):
        lines.append(f"from .{module} import {', '.join(sorted(names))}")
    return "\n".join(lines).rstrip() + "\n"


def render_model(model: ModelDef, models: Dict[str, ModelDef]) -> str:
    head = f'"""{model.name}: {first_paragraph(model.description).rstrip(".") or model.name}."""'
    if len(head) > 120:
        head = f'"""{model.name}: the model of the spec\'s ``{model.name}`` schema."""'
    render = {"object": _object, "enum": _enum, "alias": _alias, "union": _union}[model.kind]
    imports, body = render(model, models)
    return f"{head}\n\n{HEADER}\n\n{imports}\n\n{body}"


def _local(refs: Set[str], models: Dict[str, ModelDef], into: Dict[str, Set[str]]) -> None:
    for name in refs:
        into.setdefault(models[name].module, set()).add(name)


def _object(model: ModelDef, models: Dict[str, ModelDef]) -> tuple[str, str]:
    typing_names: Set[str] = set()
    base_names: Set[str] = set()
    local: Dict[str, Set[str]] = {}
    if model.bases:
        bases = model.bases
        _local(set(bases), models, local)
    elif model.type_tagged:
        bases = ["TypeTaggedModel"]
        local["_type_tagged"] = {"TypeTaggedModel"}
    else:
        bases = ["ApiModel"]
        base_names.add("ApiModel")
    mixin = naming.MIXINS.get(model.name)
    if mixin:
        bases = [*bases, mixin]
        local["_conversions"] = {mixin}
    lines = [f"class {model.name}({', '.join(bases)}):", docstring(model.description or model.name + ".", 4).rstrip()]
    if model.read_only:
        names = ", ".join(literal(n) for n in sorted(set(model.read_only)))
        lines += [
            "",
            "    # Filled in by the server: left out of request bodies.",
            f"    __read_only_fields__ = frozenset({{{names}}})",
        ]
    if model.always_sent:
        names = ", ".join(literal(n) for n in model.always_sent)
        lines += [
            "",
            "    # Sent even when unset: the server's default differs from the spec's.",
            f"    __always_sent_fields__ = {tuple_literal([literal(n) for n in model.always_sent])}",
        ]
    if model.fields:
        lines.append("")
    for field in model.fields:
        typing_names.add("Optional")
        if field.literal_tag:
            typing_names.add("Literal")
            annotation = f'Literal["{field.literal_tag}"]'
            default = literal(field.literal_tag)
        else:
            annotation = f"Optional[{field.type.text}]"
            default = repr(field.default)
            typing_names |= field.type.typing
            base_names |= field.type.base
            _local(field.type.models, models, local)
        arguments = [f"default={default}"]
        if field.alias:
            arguments.append(f"alias={literal(field.alias)}")
        description = first_paragraph(field.description)
        if description:
            arguments.append(f"description={long_literal(description, 8)}")
        lines.append(f"    {field.name}: {annotation} = Field({', '.join(arguments)})")
    if base_names:
        local["_base"] = base_names
    imports = _imports(
        typing_names - {"Optional"}
        | ({"Optional"} if model.fields and any(not f.literal_tag for f in model.fields) else set()),
        {"Field"} if model.fields else set(),
        set(),
        set(),
        local,
    )
    return imports, "\n".join(lines) + "\n"


def _enum(model: ModelDef, models: Dict[str, ModelDef]) -> tuple[str, str]:
    lines = [f"class {model.name}(ApiEnum):", docstring(model.description or model.name + ".", 4).rstrip(), ""]
    lines += [f"    {naming.enum_member(value)} = {literal(value)}" for value in model.values]
    return _imports(set(), set(), set(), set(), {"_base": {"ApiEnum"}}), "\n".join(lines) + "\n"


def _alias(model: ModelDef, models: Dict[str, ModelDef]) -> tuple[str, str]:
    target = model.target or TypeRef("Any", typing={"Any"})
    local: Dict[str, Set[str]] = {}
    _local(target.models, models, local)
    if target.base:
        local["_base"] = set(target.base)
    comment = "\n".join(f"# {line}" if line else "#" for line in (model.description or model.name).splitlines())
    body = f"{comment}\n{model.name}: TypeAlias = {target.text}\n"
    return _imports(target.typing, set(), {"TypeAlias"}, set(), local), body


def _union(model: ModelDef, models: Dict[str, ModelDef]) -> tuple[str, str]:
    local: Dict[str, Set[str]] = {}
    _local(set(model.members), models, local)
    pydantic: Set[str] = set()
    extensions: Set[str] = set()
    typing_names = {"Union"}
    tagged = model.tag_property is not None or model.discriminator_function is not None
    if tagged:
        pydantic |= {"Discriminator", "Tag"}
        extensions.add("Annotated")
        members = [f"Annotated[{m}, Tag({literal(m)})]" for m in model.members]
    else:
        members = list(model.members)
    union = "Union[" + ", ".join(members) + "]"
    if model.tag_property:
        known = [m for m in model.members if not m.startswith("Unknown")]
        fallback = next(m for m in model.members if m.startswith("Unknown"))
        local["_type_tagged"] = {"type_tag_discriminator"}
        arguments = f"{literal(model.tag_property)}, {tuple_literal([literal(m) for m in known])}, {literal(fallback)}"
        discriminator = f"Discriminator(type_tag_discriminator({arguments}))"
    elif model.discriminator_function:
        local["_unions"] = {model.discriminator_function}
        discriminator = f"Discriminator({model.discriminator_function})"
    if tagged:
        union = f"Annotated[{union}, {discriminator}]"
    if model.root_model:
        local.setdefault("_unions", set()).add("UnionModel")
        body = f"class {model.name}(UnionModel[{union}]):\n{docstring(model.description or model.name + '.', 4)}"
    else:
        extensions.add("TypeAlias")
        comment = "\n".join(f"# {line}" if line else "#" for line in (model.description or model.name).splitlines())
        body = f"{comment}\n{model.name}: TypeAlias = {union}\n"
    return _imports(typing_names, pydantic, extensions, set(), local), body


def render_seed_alias(alias: str, target: ModelDef) -> str:
    return (
        f'"""{alias}: the seed pages\' name for {target.name}."""\n\n{HEADER}\n\n'
        f"from .{target.module} import {target.name}\n\n{alias} = {target.name}\n\n"
        f'__all__ = ["{alias}"]\n'
    )


MODELS_DOC = """Request and response models of the Airflow 2.11 stable REST API (v1).

Generated from the OpenAPI spec, corrected where the running server sends other keys or shapes
(spec/v1-overrides.yaml). Every field is optional, unknown fields are kept and unknown enum values
parse. Each model lives in ``models.<snake_name>`` and is imported when first used.
"""


def model_exports(models: Dict[str, ModelDef], aliases: Dict[str, str]) -> Dict[str, str]:
    """Exported name → the module that defines it."""
    root = f"{PACKAGE}.models"
    exports = {name: f"{root}.{model.module}" for name, model in models.items()}
    exports.update({alias: f"{root}.{naming.snake(alias)}" for alias in aliases})
    exports.update({name: f"{root}._base" for name in ("ApiEnum", "ApiModel", "DateTime")})
    return exports


def model_files(models: Dict[str, ModelDef], aliases: Dict[str, str]) -> Dict[str, str]:
    files: Dict[str, str] = {}
    root = f"{PACKAGE}/models"
    for model in models.values():
        files[f"{root}/{model.module}.py"] = render_model(model, models)
    for alias, target in aliases.items():
        files[f"{root}/{naming.snake(alias)}.py"] = render_seed_alias(alias, models[target])
    files[f"{root}/__init__.py"] = render_lazy_init(
        f"{PACKAGE}.models", MODELS_DOC.strip(), model_exports(models, aliases)
    )
    return files
