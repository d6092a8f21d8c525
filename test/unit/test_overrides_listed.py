"""Every entry of spec/v1-overrides.yaml and spec/v2-overrides.yaml names, in ``test:``, a test that exists:
``path::function``."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, List

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
OVERRIDES = (ROOT / "spec" / "v1-overrides.yaml", ROOT / "spec" / "v2-overrides.yaml")


def _entries() -> List[Dict[str, Any]]:
    found = []
    for path in OVERRIDES:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(entries, list) and entries, f"{path} holds no overrides"
        found += [{**entry, "file": path.name} for entry in entries]
    return found


@cache
def _test_functions(path: Path) -> FrozenSet[str]:
    """Names of the test functions a file defines: at module level, or as methods of its Test* classes."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            names.update(item.name for item in node.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)))
    return frozenset(name for name in names if name.startswith("test"))


ENTRIES = _entries()


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{entry['file']}:{entry.get('pointer')}" for entry in ENTRIES])
def test_each_override_names_an_existing_test(entry: Dict[str, Any]) -> None:
    test = entry.get("test")
    assert isinstance(test, str) and test.count("::") == 1, f"test: must be path::function, got {test!r}"
    file_name, function = test.split("::")
    path = ROOT / file_name
    assert path.suffix == ".py" and path.is_file(), f"{entry['pointer']}: no test file {file_name}"
    assert path.resolve().is_relative_to(ROOT / "test"), f"{entry['pointer']}: {file_name} is not under test/"
    assert function in _test_functions(path), f"{entry['pointer']}: {file_name} defines no test {function}()"


def test_the_check_finds_a_missing_test(tmp_path: Path) -> None:
    sample = tmp_path / "test_sample.py"
    sample.write_text("async def test_here() -> None: ...\n\nclass TestGroup:\n    def test_method(self): ...\n")
    assert _test_functions(sample) == {"test_here", "test_method"}
    assert "test_gone" not in _test_functions(sample)
