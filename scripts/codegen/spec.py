"""The spec as the generator reads it: the vendored OpenAPI file with the overrides applied.

Overrides are JSON-pointer edits (``set`` a value, or ``remove`` a key) of the parsed spec, each
with the reason the running server differs and the test that shows it. Besides plain OpenAPI
keys they may set these extensions, which the generator reads:

- ``x-titanium-always-sent`` (on a schema): fields sent even when unset, because the server's
  default differs from the spec's.
- ``x-titanium-required`` (on a request body): fields the server needs although the spec calls
  them optional (without them it answers 500, or a 400 whatever the rest of the body says). The
  body schema's own ``required`` list is checked as well.
- ``x-titanium-discriminator`` (on a union): the function in ``models/_unions.py`` that tells
  the members apart, where the spec gives no usable discriminator.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

HTTP_METHODS = ("get", "put", "post", "delete", "patch")


class SpecError(Exception):
    """The spec or an override is not what the generator expects."""


@dataclass(frozen=True)
class Override:
    pointer: str
    reason: str
    test: str
    value: Any = None
    remove: bool = False


def load_overrides(path: Path) -> List[Override]:
    entries = yaml.safe_load(path.read_text()) or []
    overrides = []
    for entry in entries:
        unknown = set(entry) - {"pointer", "set", "remove", "reason", "test"}
        if unknown or not entry.get("reason") or not entry.get("test") or ("set" in entry) == bool(entry.get("remove")):
            raise SpecError(f"{path.name}: each override needs pointer, reason, test and one of set/remove: {entry}")
        overrides.append(
            Override(entry["pointer"], entry["reason"], entry["test"], entry.get("set"), bool(entry.get("remove")))
        )
    return overrides


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def apply_override(document: Dict[str, Any], override: Override) -> None:
    *parents, last = [_unescape(token) for token in override.pointer.lstrip("/").split("/")]
    node: Any = document
    for token in parents:
        if isinstance(node, list):
            node = node[int(token)]
        elif token in node:
            node = node[token]
        else:
            raise SpecError(f"override {override.pointer}: no {token!r} in the spec")
    if override.remove:
        if last not in node:
            raise SpecError(f"override {override.pointer}: nothing to remove")
        del node[last]
    elif isinstance(node, list) and last == "-":  # RFC 6901: past the end, i.e. append
        node.append(copy.deepcopy(override.value))
    elif isinstance(node, list):
        node[int(last)] = copy.deepcopy(override.value)
    else:
        node[last] = copy.deepcopy(override.value)


def load_spec(spec_path: Path, overrides_path: Path) -> Dict[str, Any]:
    document: Dict[str, Any] = yaml.safe_load(spec_path.read_text())
    for override in load_overrides(overrides_path):
        apply_override(document, override)
    return document


class Spec:
    """Reference resolution over the patched document."""

    def __init__(self, document: Dict[str, Any]) -> None:
        self.document = document
        self.schemas: Dict[str, Dict[str, Any]] = document["components"]["schemas"]

    def resolve(self, node: Dict[str, Any]) -> Dict[str, Any]:
        while "$ref" in node:
            node = self.lookup(node["$ref"])
        return node

    def lookup(self, ref: str) -> Dict[str, Any]:
        if not ref.startswith("#/"):
            raise SpecError(f"only local references are supported: {ref}")
        node: Any = self.document
        for token in ref[2:].split("/"):
            node = node[_unescape(token)]
        return node  # type: ignore[no-any-return]

    def operations(self) -> List[Dict[str, Any]]:
        """Every operation, with ``_path``, ``_method`` and its merged ``_parameters`` (resolved)."""
        found = []
        for path, item in self.document["paths"].items():
            shared = [self.resolve(p) for p in item.get("parameters", [])]
            for method in HTTP_METHODS:
                if method in item:
                    operation = dict(item[method])
                    own = [self.resolve(p) for p in operation.get("parameters", [])]
                    names = {p["name"] for p in own}
                    operation["_parameters"] = [p for p in shared if p["name"] not in names] + own
                    operation["_path"] = path
                    operation["_method"] = method.upper()
                    found.append(operation)
        return found

    def tag_description(self, tag: str) -> Optional[str]:
        for entry in self.document.get("tags", []):
            if entry["name"] == tag:
                return entry.get("description")
        return None


def ref_name(node: Dict[str, Any]) -> Optional[str]:
    """The schema name a ``$ref`` node points to, if it is one."""
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return ref.rsplit("/", 1)[1]
    return None
