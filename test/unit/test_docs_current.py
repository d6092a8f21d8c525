"""docs/ against the code: model pages regenerate identically, their examples run, links resolve,
and the hand-written API pages cover every method with its real parameters."""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import io
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Dict, List

import pytest

from titanium_airflow_client import DAGApi, DAGRunApi

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
API_CLASSES = (DAGApi, DAGRunApi)


def _load_generator() -> ModuleType:
    name = "gen_model_docs"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "gen_model_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def _python_blocks(text: str) -> List[str]:
    return re.findall(r"```python\n(.*?)```", text, re.S)


def test_model_pages_are_current() -> None:
    stale = _load_generator().stale_pages(DOCS)
    assert stale == [], f"stale model pages {stale}: run `python scripts/gen_model_docs.py`"


@pytest.mark.parametrize("page", sorted(_load_generator().render_pages()))
def test_model_page_examples_run_without_a_server(page: str) -> None:
    blocks = _python_blocks((DOCS / page).read_text(encoding="utf-8"))
    assert blocks, f"{page} has no example"
    for block in blocks:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(block, f"docs/{page}", "exec"), {"__name__": "__doc_example__"})


def test_links_between_pages_resolve() -> None:
    missing = []
    for page in sorted(DOCS.glob("*.md")):
        for target in re.findall(r"\]\(([^)#:/]+\.md)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if not (DOCS / target).is_file():
                missing.append(f"{page.name} -> {target}")
    assert missing == []


def test_links_back_to_the_readme_hit_its_sections() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.
    anchors = {
        re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        for heading in re.findall(r"^#+ (.+)$", readme, flags=re.M)
    }
    used = {anchor for page in DOCS.glob("*.md")
            for anchor in re.findall(r"\(\.\./README\.md#([^)]+)\)", page.read_text(encoding="utf-8"))}
    assert used - anchors == set()


def _sections(api_class: type) -> Dict[str, str]:
    text = (DOCS / f"{api_class.__name__}.md").read_text(encoding="utf-8")
    return {part.split("**", 1)[0]: part for part in re.split(r"^# \*\*", text, flags=re.M)[1:]}


@pytest.mark.parametrize("api_class", API_CLASSES, ids=lambda cls: cls.__name__)
def test_api_pages_document_every_method_with_its_parameters(api_class: type) -> None:
    sections = _sections(api_class)
    methods = {
        name: member
        for name, member in vars(api_class).items()
        if inspect.iscoroutinefunction(member) and not name.startswith("_") and not name.endswith("_with_http_info")
    }
    assert sorted(sections) == sorted(methods)
    for name, section in sections.items():
        documented = re.findall(r"^ \*\*(\w+)\*\* \|", section, flags=re.M)
        parameters = [p for p in inspect.signature(methods[name]).parameters if p not in ("self", "options")]
        assert documented == parameters, name
        blocks = _python_blocks(section)
        assert len(blocks) == 1, name
        code = blocks[0]
        compile(code, f"docs/{api_class.__name__}.md#{name}", "exec")
        assert f"await api_instance.{name}(" in code, name
        assert "except" not in code, f"{name}: examples must raise, not swallow errors"
