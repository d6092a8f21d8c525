"""The API pages' own text, beyond the spec: spec/v1-docs.yaml (its header says what each key means)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Mapping, Optional

import yaml

from .models import clean_text

PROSE_PATH = Path(__file__).resolve().parents[2] / "spec" / "v1-docs.yaml"


class ProseError(Exception):
    """spec/v1-docs.yaml is not what the generator expects."""


@dataclass(frozen=True)
class OperationProse:
    description: Optional[str] = None
    note: str = ""
    params: Dict[str, str] = field(default_factory=dict)
    responses: Dict[str, str] = field(default_factory=dict)  # status → text (":…" extends the spec's)
    accept: Optional[str] = None

    def description_for(self, spec_description: str, summary: str) -> str:
        """The description under the summary; a first paragraph that only repeats the summary is dropped."""
        text = self.description if self.description is not None else spec_description
        paragraphs = [part.strip() for part in text.split("\n\n") if part.strip()]
        if paragraphs and " ".join(paragraphs[0].split()).rstrip(".") == " ".join(summary.split()).rstrip("."):
            paragraphs = paragraphs[1:]
        return "\n\n".join([*paragraphs, *([self.note.strip()] if self.note.strip() else [])])

    def response_for(self, status: str, spec_text: Optional[str]) -> Optional[str]:
        """The description of a status, or None when neither the spec nor the prose has one."""
        own = self.responses.get(status)
        if own is None:
            return spec_text
        if own.startswith(":"):
            return f"{(spec_text or '').rstrip('.')}{own.rstrip('.')}."
        return own


@dataclass(frozen=True)
class Prose:
    pages: Dict[str, str]
    operations: Dict[str, OperationProse]
    models: Dict[str, str]

    def operation(self, operation_id: str) -> OperationProse:
        return self.operations.get(operation_id) or OperationProse()


def _text(value: Any) -> str:
    return clean_text(str(value))


def _operation(name: str, entry: Mapping[str, Any]) -> OperationProse:
    unknown = set(entry) - {"description", "note", "params", "responses", "accept"}
    if unknown:
        raise ProseError(f"operations.{name}: unknown keys {sorted(unknown)}")
    description = entry.get("description")
    return OperationProse(
        description=_text(description) if description is not None else None,
        note=_text(entry.get("note") or ""),
        params={key: _text(value) for key, value in (entry.get("params") or {}).items()},
        responses={str(key): _text(value) for key, value in (entry.get("responses") or {}).items()},
        accept=entry.get("accept"),
    )


def load_prose(path: Path = PROSE_PATH) -> Prose:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = set(document) - {"pages", "operations", "models"}
    if unknown:
        raise ProseError(f"{path.name}: unknown keys {sorted(unknown)}")
    return Prose(
        pages={tag: _text(text) for tag, text in (document.get("pages") or {}).items()},
        operations={name: _operation(name, entry or {}) for name, entry in (document.get("operations") or {}).items()},
        models={name: _text(text) for name, text in (document.get("models") or {}).items()},
    )


def check_names(prose: Prose, operations: Mapping[str, Any], tags: set[str], models: set[str]) -> None:
    """An entry for an operation, parameter, tag or model that does not exist is a typo that would go unseen."""
    for tag in prose.pages:
        if tag not in tags:
            raise ProseError(f"pages.{tag}: no such tag")
    for model in prose.models:
        if model not in models:
            raise ProseError(f"models.{model}: no such model")
    for name, entry in prose.operations.items():
        if name not in operations:
            raise ProseError(f"operations.{name}: no such operation")
        known = {param.name for param in operations[name].params}
        for param in entry.params:
            if param not in known:
                raise ProseError(f"operations.{name}.params.{param}: no such parameter")
