"""Python source of the model modules, their seed-name aliases and ``models/__init__.py``."""

from __future__ import annotations

from typing import Dict, Set

from . import naming
from .models import ModelDef, TypeRef
from .render_api import render_lazy_init
from .target import CORE, Target
from .text import docstring, first_paragraph, literal, long_literal, new_in, tuple_literal

# Hand-written model helpers every generation shares: another generation imports them from the core's models.
_CORE_HELPERS = ("_base", "_type_tagged", "_unions")


def _imports(
    target: Target,
    typing_names: Set[str],
    pydantic: Set[str],
    extensions: Set[str],
    base: Set[str],
    local: Dict[str, Set[str]],
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
        where = f"{CORE}.models." if module in _CORE_HELPERS and not target.is_core else "."
        lines.append(f"from {where}{module} import {', '.join(sorted(names))}")
    return "\n".join(lines).rstrip() + "\n"


def render_model(target: Target, model: ModelDef, models: Dict[str, ModelDef]) -> str:
    head = f'"""{model.name}: {first_paragraph(model.description).rstrip(".") or model.name}."""'
    if len(head) > 120:
        head = f'"""{model.name}: the model of the spec\'s ``{model.name}`` schema."""'
    render = {"object": _object, "enum": _enum, "alias": _alias, "union": _union}[model.kind]
    imports, body = render(target, model, models)
    return f"{head}\n\n{target.header}\n\n{imports}\n\n{body}"


def _local(refs: Set[str], models: Dict[str, ModelDef], into: Dict[str, Set[str]]) -> None:
    for name in refs:
        into.setdefault(models[name].module, set()).add(name)


def _object(target: Target, model: ModelDef, models: Dict[str, ModelDef]) -> tuple[str, str]:
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
    mixin = target.mixins.get(model.name)
    if mixin:
        bases = [*bases, mixin]
        local["_conversions"] = {mixin}
    lines = [f"class {model.name}({', '.join(bases)}):", docstring(_model_doc(model), 4).rstrip()]
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
            enum = models.get(field.type.text)
            if enum is not None and enum.kind == "enum" and isinstance(field.default, str):
                default = f"{enum.name}.{naming.enum_member(field.default)}"
            typing_names |= field.type.typing
            base_names |= field.type.base
            _local(field.type.models, models, local)
        arguments = [f"default={default}"]
        if field.alias:
            arguments.append(f"alias={literal(field.alias)}")
        description = first_paragraph(field.description)
        if field.since:
            description = f"{description.rstrip('.')}. {new_in(field.since)}" if description else new_in(field.since)
        if description:
            arguments.append(f"description={long_literal(description, 8)}")
        lines.append(f"    {field.name}: {annotation} = Field({', '.join(arguments)})")
    if base_names:
        local["_base"] = base_names
    imports = _imports(
        target,
        typing_names - {"Optional"}
        | ({"Optional"} if model.fields and any(not f.literal_tag for f in model.fields) else set()),
        {"Field"} if model.fields else set(),
        set(),
        set(),
        local,
    )
    return imports, "\n".join(lines) + "\n"


def _model_doc(model: ModelDef) -> str:
    text = model.description or model.name + "."
    return f"{text}\n\n{new_in(model.since)}" if model.since else text


def _enum(target: Target, model: ModelDef, models: Dict[str, ModelDef]) -> tuple[str, str]:
    lines = [f"class {model.name}(ApiEnum):", docstring(_model_doc(model), 4).rstrip(), ""]
    lines += [f"    {naming.enum_member(value)} = {literal(value)}" for value in model.values]
    return _imports(target, set(), set(), set(), set(), {"_base": {"ApiEnum"}}), "\n".join(lines) + "\n"


def _alias(target: Target, model: ModelDef, models: Dict[str, ModelDef]) -> tuple[str, str]:
    alias = model.target or TypeRef("Any", typing={"Any"})
    local: Dict[str, Set[str]] = {}
    _local(alias.models, models, local)
    if alias.base:
        local["_base"] = set(alias.base)
    comment = "\n".join(f"# {line}" if line else "#" for line in (model.description or model.name).splitlines())
    body = f"{comment}\n{model.name}: TypeAlias = {alias.text}\n"
    return _imports(target, alias.typing, set(), {"TypeAlias"}, set(), local), body


def _union(target: Target, model: ModelDef, models: Dict[str, ModelDef]) -> tuple[str, str]:
    local: Dict[str, Set[str]] = {}
    _local(set(model.members), models, local)
    pydantic: Set[str] = set()
    extensions: Set[str] = set()
    typing_names = {"Union"}
    tagged = model.tag_property is not None or model.discriminator_function is not None or bool(model.shape)
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
    elif model.shape:
        local["_unions"] = {"required_fields_discriminator"}
        shapes = ", ".join(
            f"{literal(m)}: {tuple_literal([literal(f) for f in fields])}" for m, fields in model.shape.items()
        )
        discriminator = f"Discriminator(required_fields_discriminator({{{shapes}}}))"
    if tagged:
        union = f"Annotated[{union}, {discriminator}]"
    if model.root_model:
        local.setdefault("_unions", set()).add("UnionModel")
        body = f"class {model.name}(UnionModel[{union}]):\n{docstring(_model_doc(model), 4)}"
    else:
        extensions.add("TypeAlias")
        comment = "\n".join(f"# {line}" if line else "#" for line in (model.description or model.name).splitlines())
        body = f"{comment}\n{model.name}: TypeAlias = {union}\n"
    return _imports(target, typing_names, pydantic, extensions, set(), local), body


def render_seed_alias(target: Target, alias: str, model: ModelDef) -> str:
    return (
        f'"""{alias}: the seed pages\' name for {model.name}."""\n\n{target.header}\n\n'
        f"from .{model.module} import {model.name}\n\n{alias} = {model.name}\n\n"
        f'__all__ = ["{alias}"]\n'
    )


MODELS_DOC = """Request and response models of the {airflow} REST API ({name}).

Generated from the OpenAPI spec, corrected where the running server sends other keys or shapes
(spec/{name}-overrides.yaml). Every field is optional, unknown fields are kept and unknown enum values
parse. Each model lives in ``models.<snake_name>`` and is imported when first used.
"""


def model_exports(target: Target, models: Dict[str, ModelDef]) -> Dict[str, str]:
    """Exported name → the module that defines it."""
    root = f"{target.package}.models"
    exports = {name: f"{root}.{model.module}" for name, model in models.items()}
    exports.update({alias: f"{root}.{naming.snake(alias)}" for alias in target.seed_aliases})
    exports.update({name: f"{CORE}.models._base" for name in ("ApiEnum", "ApiModel", "DateTime")})
    return exports


def model_files(target: Target, models: Dict[str, ModelDef]) -> Dict[str, str]:
    files: Dict[str, str] = {}
    root = f"{target.folder}/models"
    for model in models.values():
        files[f"{root}/{model.module}.py"] = render_model(target, model, models)
    for alias, name in target.seed_aliases.items():
        files[f"{root}/{naming.snake(alias)}.py"] = render_seed_alias(target, alias, models[name])
    airflow = "Airflow 2.11 stable" if target.is_core else target.airflow  # v1's words, kept
    doc = MODELS_DOC.format(airflow=airflow, name=target.name).strip()
    files[f"{root}/__init__.py"] = render_lazy_init(
        target, f"{target.package}.models", doc, model_exports(target, models)
    )
    return files
