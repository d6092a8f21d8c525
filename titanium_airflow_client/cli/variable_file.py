"""The file ``variables import`` reads and ``variables export`` writes: the JSON object of
``airflow variables export``, ``{"key": "value", "other": {"value": "...", "description": "..."}}``.

Airflow stores a variable's value as a string. A value in the file that is not a string (a number, a
list, an object other than ``{"value": ..., "description": ...}``) is stored as its JSON text, as
``airflow variables import`` does; export writes every value back as the string the server holds.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Tuple

from titanium_airflow_client.cli.errors import UsageError

STDIN = "-"
_ENTRY_KEYS = frozenset({"value", "description"})


class Entry(NamedTuple):
    """One variable of the file; ``description`` None when the file gives none (an update keeps the server's)."""

    key: str
    value: str
    description: Optional[str]


def read_variables(path: str) -> List[Entry]:
    """Every variable of the file at ``path`` (``-``: stdin), checked before anything is sent."""
    source = "stdin" if path == STDIN else path
    try:
        if path == STDIN:
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as file:
                text = file.read()
    except OSError as exc:
        raise UsageError(f"cannot read {source}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"{source} is not UTF-8 text: {exc.reason} at byte {exc.start}") from None
    try:
        document = json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKey as duplicate:
        raise UsageError(f"{source}: the key {duplicate.key!r} appears twice in one object") from None
    except ValueError as exc:
        raise UsageError(f"{source} is not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise UsageError(f'{source} must hold a JSON object {{"key": "value", ...}}, not {_kind(document)}')
    return [_entry(source, key, value) for key, value in document.items()]


def _entry(source: str, key: str, given: Any) -> Entry:
    if not key.strip():
        raise UsageError(f"{source}: a variable's key is empty")
    description: Optional[str] = None
    value = given
    if isinstance(given, dict) and "value" in given and set(given) <= _ENTRY_KEYS:
        value, description = given["value"], given.get("description")
        if description is not None and not isinstance(description, str):
            raise UsageError(f"{source}: variable {key!r}: the description must be a string, not {_kind(description)}")
    if value is None:
        raise UsageError(f"{source}: variable {key!r} has no value (null); Airflow stores a string")
    return Entry(key, value if isinstance(value, str) else json.dumps(value), description)


def write_variables(entries: Iterable[Entry], path: Optional[str]) -> int:
    """Write the variables to ``path`` (None or ``-``: stdout); returns how many were written.

    A new file is readable by its owner alone: variables often hold secrets.
    """
    document: Dict[str, Any] = {}
    for key, value, description in entries:
        document[key] = {"value": value, "description": description} if description else value
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if path is None or path == STDIN:
        sys.stdout.write(text)
        sys.stdout.flush()
        return len(document)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    return len(document)


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: List[Tuple[str, Any]]) -> Dict[str, Any]:
    """json's object hook: a key given twice would silently lose a variable."""
    seen: Dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def _kind(value: Any) -> str:
    kinds = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true or false",
             type(None): "null", dict: "an object"}
    return kinds.get(type(value), type(value).__name__)
