"""From the spec's schemas to model definitions: objects, enums, unions and plain type aliases.

Every component schema becomes one definition; inline objects and enums get names of their own
(OpenAPI Generator's ``<Schema><Property>`` and ``…Inner``, or ``naming.INLINE_NAMES``); inline
response schemas are named ``<OperationId><status>Response``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Set, Tuple

from . import naming
from .spec import Spec, SpecError, ref_name


@dataclass
class TypeRef:
    """A Python type expression and what it needs imported."""

    text: str
    models: Set[str] = field(default_factory=set)  # generated names it uses
    typing: Set[str] = field(default_factory=set)  # names from typing
    base: Set[str] = field(default_factory=set)  # names from models/_base.py


@dataclass
class FieldDef:
    name: str
    alias: Optional[str]
    type: TypeRef
    description: str
    default: Any = None
    literal_tag: Optional[str] = None  # the ``__type`` value of a type-tagged object
    since: Optional[str] = None  # the Airflow version that added it, if later than the oldest supported


@dataclass
class ModelDef:
    name: str
    kind: str  # "object", "enum", "alias", "union"
    description: str
    module: str = ""
    # object
    bases: List[str] = field(default_factory=list)
    fields: List[FieldDef] = field(default_factory=list)
    read_only: List[str] = field(default_factory=list)
    always_sent: List[str] = field(default_factory=list)
    type_tagged: bool = False
    # enum
    values: List[str] = field(default_factory=list)
    # alias
    target: Optional[TypeRef] = None
    # union
    members: List[str] = field(default_factory=list)
    tag_property: Optional[str] = None  # the spec's discriminator.propertyName
    discriminator_function: Optional[str] = None  # x-titanium-discriminator
    shape: Dict[str, Tuple[str, ...]] = field(
        default_factory=dict
    )  # member → required fields, where nothing else tells
    root_model: bool = False  # a class (response types), not a TypeAlias
    request_only: bool = False
    since: Optional[str] = None  # the Airflow version that added it, if later than the oldest supported

    def __post_init__(self) -> None:
        self.module = naming.snake(self.name)


def clean_text(text: Optional[str]) -> str:
    """The spec's markdown as plain text: entities decoded, trailing blanks gone."""
    if not text:
        return ""
    text = text.replace("&#58;", ":").replace("&#x60;", "`")
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


class ModelBuilder:
    def __init__(
        self, spec: Spec, request_only: Set[str], inline_names: Optional[Dict[Tuple[str, str], str]] = None
    ) -> None:
        self.spec = spec
        self.request_only = {naming.class_name(name) for name in request_only}
        self.inline_names = inline_names or {}
        self.models: Dict[str, ModelDef] = {}

    def build_components(self) -> None:
        for name in self.spec.schemas:
            self.define_component(name)

    def define_component(self, name: str) -> str:
        """Define the component schema ``name``; return its class name (``BulkBody_X_`` → ``BulkBodyX``)."""
        return self.define(naming.class_name(name), self.spec.schemas[name])

    def define(self, name: str, schema: Dict[str, Any]) -> str:
        """Add the definition of ``schema`` under ``name`` (once); return the name."""
        if name in self.models:
            return name
        description = clean_text(schema.get("description"))
        if "anyOf" in schema or "oneOf" in schema:
            members = [ref_name(m) for m in schema.get("anyOf", schema.get("oneOf", []))]
            if None in members:
                raise SpecError(f"{name}: union members must be references")
            model = ModelDef(name, "union", description, members=[naming.class_name(m) for m in members if m])
            model.tag_property = (schema.get("discriminator") or {}).get("propertyName")
            model.discriminator_function = schema.get("x-titanium-discriminator")
            self.models[name] = model
            for member in members:
                self.define_component(member or "")
            if model.tag_property:
                self._define_unknown_member(model)
            elif not model.discriminator_function:
                model.shape = self._shapes(members)
            return name
        if "enum" in schema:
            values = [v for v in schema["enum"] if v is not None]
            self.models[name] = ModelDef(name, "enum", description, values=values)
            return name
        if schema.get("type") not in (None, "object") or not ("properties" in schema or "allOf" in schema):
            self.models[name] = ModelDef(name, "alias", description, target=self.type_of(schema, name, ""))
            return name
        model = ModelDef(name, "object", description, request_only=name in self.request_only)
        self.models[name] = model
        self._fill_object(model, schema)
        return name

    def _shapes(self, members: List[Optional[str]]) -> Dict[str, Tuple[str, ...]]:
        """Each member's required fields, when the members are objects no constant tells apart."""
        schemas = [self.spec.schemas[m or ""] for m in members]
        if any(
            s.get("type") != "object" or any("const" in p for p in s.get("properties", {}).values()) for s in schemas
        ):
            return {}
        return {naming.class_name(m or ""): tuple(s.get("required", [])) for m, s in zip(members, schemas, strict=True)}

    def _define_unknown_member(self, union: ModelDef) -> None:
        unknown = ModelDef(
            "Unknown" + union.name,
            "object",
            f"{union.name} of a kind this client does not know (not in the spec).\n\n"
            "Parsing a newer server's answer must not fail; every key is kept in ``model_extra``.",
            type_tagged=True,
        )
        unknown.fields.append(FieldDef("type", union.tag_property, TypeRef("str"), "The server's kind name."))
        self.models[unknown.name] = unknown
        union.members.append(unknown.name)

    def _fill_object(self, model: ModelDef, schema: Dict[str, Any]) -> None:
        parts = schema.get("allOf", [])
        properties: Dict[str, Any] = dict(schema.get("properties", {}))
        for part in parts:
            base = ref_name(part)
            if base is not None:
                model.bases.append(self.define_component(base))
            else:
                properties.update(part.get("properties", {}))
        inherited_read_only: List[str] = []
        for base in model.bases:
            inherited_read_only += self.models[base].read_only
        model.read_only = list(inherited_read_only)
        model.always_sent = list(schema.get("x-titanium-always-sent", []))
        if "__type" in properties:
            model.type_tagged = True
        for prop, node in properties.items():
            resolved = self.spec.resolve(node) if "$ref" in node else node
            name = naming.field_name(prop)
            if prop == "__type":
                model.fields.append(
                    FieldDef("type", "__type", TypeRef("str"), f"Always '{model.name}'.", literal_tag=model.name)
                )
                continue
            type_ref = self.type_of(node, model.name, prop)
            default = node.get("default") if model.request_only else None
            if "const" in node:  # the one value the field may have (a bulk action's "create"): always sent
                default = node["const"]
                model.always_sent.append(name)
            model.fields.append(
                FieldDef(name, prop if name != prop else None, type_ref, clean_text(node.get("description")), default)
            )
            if node.get("readOnly") or resolved.get("readOnly"):
                model.read_only.append(name)

    def type_of(self, node: Dict[str, Any], owner: str, prop: str) -> TypeRef:
        name = ref_name(node)
        if name is not None:
            name = self.define_component(name)
            return TypeRef(name, models={name})
        if "allOf" in node and len(node["allOf"]) == 1 and not node.get("properties"):
            return self.type_of(node["allOf"][0], owner, prop)
        if "anyOf" in node or "oneOf" in node:
            # OpenAPI 3.1's nullable (``anyOf: [X, {type: null}]``): every field is Optional already.
            options = [m for m in node.get("anyOf", node.get("oneOf", [])) if m.get("type") != "null"]
            if len(options) == 1:
                outer = {key: value for key, value in node.items() if key not in ("anyOf", "oneOf")}
                return self.type_of({**outer, **options[0]}, owner, prop)
            if _is_inline_union(node):  # a union of models gets a name, and a discriminator where it needs one
                inline = self.inline_names.get((owner, prop), owner + naming.camel(prop))
                self.define(inline, {"anyOf": options, "description": node.get("description", "")})
                return TypeRef(inline, models={inline})
            return _joined("Union", [self.type_of(m, owner, prop) for m in options])
        kind = node.get("type")
        if "const" in node:
            return TypeRef(f"Literal[{json.dumps(node['const'])}]", typing={"Literal"})
        if kind == "string":
            if "enum" in node:
                inline = self.inline_names.get((owner, prop), owner + naming.camel(prop))
                self.define(inline, node)
                return TypeRef(inline, models={inline})
            if node.get("format") in ("date-time", "datetime"):
                return TypeRef("DateTime", base={"DateTime"})
            return TypeRef("str")
        if kind == "integer":
            return TypeRef("int")
        if kind == "number":
            if node.get("format") == "whole":  # an override: whole values the server dumps as floats
                return TypeRef("WholeNumber", base={"WholeNumber"})
            return TypeRef("float")
        if kind == "boolean":
            return TypeRef("bool")
        if kind == "array" and "prefixItems" in node:  # a pair such as (task_id, map_index)
            return _joined("Tuple", [self.type_of(m, owner, prop) for m in node["prefixItems"]])
        if kind == "array":
            item = self.type_of(
                node.get("items", {}),
                owner,
                prop + "Inner" if _is_inline_object(node.get("items", {})) or _is_inline_union(node["items"]) else prop,
            )
            return TypeRef(f"List[{item.text}]", item.models, item.typing | {"List"}, item.base)
        if _is_inline_object(node):
            inline = self.inline_names.get((owner, prop), owner + naming.camel(prop))
            self.define(inline, node)
            return TypeRef(inline, models={inline})
        additional = node.get("additionalProperties")
        if isinstance(additional, dict) and additional:
            value = self.type_of(additional, owner, prop)
            return TypeRef(f"Dict[str, {value.text}]", value.models, value.typing | {"Dict"}, value.base)
        if kind == "object":
            return TypeRef("Dict[str, Any]", typing={"Dict", "Any"})
        return TypeRef("Any", typing={"Any"})


def _joined(generic: str, members: List[TypeRef]) -> TypeRef:
    """``Union[...]`` or ``Tuple[...]`` of the members, with everything they import."""
    joined = TypeRef(f"{generic}[" + ", ".join(m.text for m in members) + "]", typing={generic})
    for member in members:
        joined.models |= member.models
        joined.typing |= member.typing
        joined.base |= member.base
    return joined


def _is_inline_union(node: Dict[str, Any]) -> bool:
    """A union of two or more models (not just a nullable one)."""
    options = [m for m in node.get("anyOf", node.get("oneOf", [])) if m.get("type") != "null"]
    return len(options) > 1 and all(ref_name(m) for m in options)


def _is_inline_object(node: Dict[str, Any]) -> bool:
    return "$ref" not in node and ("properties" in node or ("allOf" in node and len(node["allOf"]) > 1))


def response_name(operation_id: str, status: str) -> str:
    return naming.camel(operation_id) + status + "Response"


def order_models(models: Dict[str, ModelDef]) -> List[Tuple[str, ModelDef]]:
    return sorted(models.items(), key=lambda item: item[1].module)
