"""docs/<Model>.md: one page per model (object, enum, union, type alias) and per seed-name alias target.

Everything on a page comes from the definitions: fields, types, aliases, defaults and descriptions;
``[readonly]`` and ``[always sent]``; enum values; the operations that send or return a model; the
methods hand-written mixins add. The example is the model's plan (model_examples.py), already run,
passed in as python source.
"""

from __future__ import annotations

import re
from typing import Dict, List

from . import naming
from .docs_index import DocsIndex, Method
from .markdown import FOOTER, MARKER, TABLE_HEAD, cell, link, type_cell
from .models import FieldDef, ModelDef
from .render_api import PACKAGE
from .text import new_in

PROPERTIES_HEAD = ["Name | Type | Description | Notes", TABLE_HEAD]


def rst_to_markdown(text: str) -> str:
    """Docstring markup as markdown: ``:class:`X``` and ````x```` become ```x```."""
    return re.sub(r":\w+:`~?([^`]+)`", r"`\1`", text).replace("``", "`")


class ModelPages:
    def __init__(self, index: DocsIndex, notes: Dict[str, str]) -> None:
        self.index = index
        self.notes = notes  # model → extra paragraph (spec/v1-docs.yaml, models)

    def page(self, model: ModelDef, example: str) -> str:
        lines = [MARKER, f"# {model.name}", ""]
        lines += self._about(model)
        if model.kind == "enum":
            lines += self._enum(model)
        elif model.kind == "alias":
            lines += self._type_alias(model)
        elif model.kind == "union" and not model.root_model:
            lines += self._union_alias(model)
        else:
            lines += ["## Properties", ""]
            lines += self._root_properties(model) if model.kind == "union" else self._properties(model)
            lines += ["", *self._legend(model), *self._methods(self.index.methods(model))]
        lines += ["## Example", "", "```python", example.rstrip("\n"), "```", "", FOOTER, ""]
        return "\n".join(lines)

    def seed_alias_page(self, target: str, example: str) -> str:
        names = self.index.aliases[target]
        page = self.index.alias_page(target)
        listed = " and ".join(f"`{name}`" for name in names)
        many = len(names) > 1
        lines = [
            MARKER,
            f"# {page}",
            "",
            f"{listed}, the seed pages' {'names' if many else 'name'} for this type, {'are' if many else 'is'}"
            f" the same class as [{target}]({target}.md): see that page for its properties and an example.",
            "",
        ]
        if page not in names:
            lines += [f"(`{page}` itself is not a name in `{PACKAGE}`; import {listed}.)", ""]
        lines += ["```python", example.rstrip("\n"), "```", "", FOOTER, ""]
        return "\n".join(lines)

    # --- parts -------------------------------------------------------------------------------------------

    def _about(self, model: ModelDef) -> List[str]:
        lines: List[str] = []
        for text in (model.description, self.notes.get(model.name, "")):
            if text and text.strip(".") != model.name:
                lines += [text.strip(), ""]
        if model.since:
            lines += [f"*{new_in(model.since)}*", ""]
        usage = self.index.usage.get(model.name)
        if usage:
            parts = []
            if usage.bodies:
                used = ", ".join(
                    f"[`{api}.{method}`]({api}.md#{method}) (`{param}`)" for api, method, param in usage.bodies
                )
                parts.append(f"Request body of {used}; a dict with the same keys is accepted too.")
            if usage.returns:
                used = ", ".join(f"[`{api}.{method}`]({api}.md#{method})" for api, method in usage.returns)
                parts.append(f"Returned by {used}.")
            lines += [" ".join(parts), ""]
        names = self.index.aliases.get(model.name)
        if names:
            listed = ", ".join(f"`{name}`" for name in names)
            page = self.index.alias_page(model.name)
            lines += [
                f"Also importable as {listed}, the seed pages' {'names' if len(names) > 1 else 'name'}: "
                f"the same class (see [{page}]({page}.md)).",
                "",
            ]
        return lines

    def _properties(self, model: ModelDef) -> List[str]:
        rows = list(PROPERTIES_HEAD)
        for f in self.index.fields(model):
            description = f.description
            if f.alias:
                description = f"{description} JSON key: `{f.alias}`.".strip()
            kind = "**str**" if f.literal_tag else type_cell(f.type.text, self.index.models)
            rows.append(f"**{f.name}** | {kind} | {cell(description)} | {self._notes(model, f)}")
        return rows

    def _notes(self, model: ModelDef, f: FieldDef) -> str:
        notes = ["[optional]"]
        if f.name in model.read_only:
            notes.append("[readonly]")
        default = f.literal_tag if f.literal_tag else f.default
        if default is not None:
            notes.append(f"[default to {default!r}]")
        if f.name in model.always_sent:
            notes.append("[always sent]")
        if f.since:
            notes.append(f"[{new_in(f.since).rstrip('.')}]")
        return " ".join(notes)

    def _root_properties(self, model: ModelDef) -> List[str]:
        members = " or ".join(link(member) for member in model.members)
        rows = list(PROPERTIES_HEAD)
        for prop in self.index.root_properties():
            rows.append(f"**{prop.name}** | {members} | {cell(rst_to_markdown(prop.summary))} | [readonly]")
        return rows

    def _legend(self, model: ModelDef) -> List[str]:
        lines = []
        if model.read_only:
            lines.append("`[readonly]`: filled in by the server; `to_request_body()` leaves it out of request bodies.")
        if model.always_sent:
            lines.append(
                "`[always sent]`: `to_request_body()` sends it even when it was not set, with its current value."
            )
        return [" ".join(lines), ""] if lines else []

    def _methods(self, methods: List[Method]) -> List[str]:
        if not methods:
            return []
        rows = ["Name | Return type | Description", "------------ | ------------- | -------------"]
        rows += [f"`{m.name}()` | **{m.returns}** | {cell(rst_to_markdown(m.summary))}" for m in methods]
        return ["## Methods", "", *rows, ""]

    def _enum(self, model: ModelDef) -> List[str]:
        lines = ["## Enum", ""]
        for value in model.values:
            lines += [f"* `{naming.enum_member(value)}` (value: `{value!r}`)", ""]
        lines += [
            "Values the client does not know parse too, as pseudo-members that compare equal to their text"
            " and are not listed when iterating the enum.",
            "",
        ]
        return lines

    def _union_alias(self, model: ModelDef) -> List[str]:
        fallback = self.index.union_fallback(model)
        key = model.tag_property or "the answer's shape"
        lines = [
            f"A type alias, not a class: one of the models below, chosen by the JSON key `{key}`."
            f" Use it as a field type, or parse it with `pydantic.TypeAdapter({model.name})`.",
            "",
            f"`{key}` | Parsed as",
            "------------ | -------------",
        ]
        for member in model.members:
            shown = "any other value, or none" if member == fallback else f"`{member}`"
            lines.append(f"{shown} | {link(member)}")
        lines += ["", *self._used_by(model)]
        return lines

    def _type_alias(self, model: ModelDef) -> List[str]:
        target = model.target.text if model.target else "Any"
        lines = [
            f"A type alias, not a class: `{model.name}` is `{target}`. It has a page because fields are declared"
            " with it.",
            "",
        ]
        return lines + self._used_by(model)

    def _used_by(self, model: ModelDef) -> List[str]:
        used = [f"[{owner}]({owner}.md).{name}" for owner, name in self.index.fields_using(model.name)]
        return [f"Used by {', '.join(used)}.", ""] if used else []
