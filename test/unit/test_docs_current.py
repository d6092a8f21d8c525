"""docs/ and the README's tables against the generator and the code: they are what scripts/generate.py
writes, the model examples run without a server, links resolve, every method and model is listed,
each API page documents every method with its real parameters, and the seed pages' names survive.

The API pages' examples need the server: test/integration/test_doc_examples.py runs them.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import re
import sys
from pathlib import Path
from typing import Dict, List

import pytest

from titanium_airflow_client import api, models

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SEEDS = ROOT / "test" / "seeds"
sys.path.insert(0, str(ROOT / "scripts"))  # the generator
from codegen import main as generator  # noqa: E402
from codegen.docs import generated_pages  # noqa: E402
from codegen.naming import SEED_ALIASES  # noqa: E402

API_CLASSES = [getattr(api, name) for name in api.__all__]
NOT_MODELS = frozenset({"ApiEnum", "ApiModel", "DateTime"})  # shared bases and field types of models/_base.py


@pytest.fixture(scope="module")
def generated() -> Dict[str, str]:
    """Everything the generator writes, as it would write it now (nothing is written)."""
    return generator.generate()


def _python_blocks(text: str) -> List[str]:
    return re.findall(r"```python\n(.*?)```", text, re.S)


def _sections(text: str) -> Dict[str, str]:
    """Method name → its section of an API page (seed or generated)."""
    return {part.split("**", 1)[0]: part for part in re.split(r"^# \*\*", text, flags=re.M)[1:]}


def test_docs_and_readme_tables_are_current(generated: Dict[str, str]) -> None:
    docs = {path: text for path, text in generated.items() if path.startswith("docs/") or path == "README.md"}
    stale = [path for path, text in docs.items() if not (ROOT / path).is_file() or (ROOT / path).read_text() != text]
    stale += [path for path in generated_pages(ROOT) if path not in generated]
    assert stale == [], f"out of date: {stale}; run `python scripts/generate.py`"


def test_every_api_class_and_model_has_a_page() -> None:
    missing = [cls.__name__ for cls in API_CLASSES if not (DOCS / f"{cls.__name__}.md").is_file()]
    for name in models.__all__:
        if name in NOT_MODELS:
            continue
        page = f"Titanium{SEED_ALIASES[name]}" if name in SEED_ALIASES else name  # aliases share a page
        if not (DOCS / f"{page}.md").is_file():
            missing.append(name)
    assert missing == []


MODEL_PAGES = [Path(path).name for path in generated_pages(ROOT) if not path.endswith("Api.md")]


@pytest.mark.parametrize("page", MODEL_PAGES or ["no-model-pages"])
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
    used = {
        anchor
        for page in DOCS.glob("*.md")
        for anchor in re.findall(r"\(\.\./README\.md#([^)]+)\)", page.read_text(encoding="utf-8"))
    }
    assert used - anchors == set()


def _methods(api_class: type) -> Dict[str, object]:
    return {
        name: member
        for name, member in vars(api_class).items()
        if inspect.iscoroutinefunction(member) and not name.startswith("_") and not name.endswith("_with_http_info")
    }


def test_readme_lists_every_method_and_model() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| (\w+) \| \[(\w+)\]\(docs/\1\.md#\2\) \| [A-Z]+ /\S* \|", readme, flags=re.M))
    expected = {(cls.__name__, name) for cls in API_CLASSES for name in _methods(cls)}
    assert expected - listed == set()
    named = set(re.findall(r"^\| \[(\w+)\]\(docs/\w+\.md\) \|", readme, flags=re.M))
    assert set(models.__all__) - NOT_MODELS - named == set()


@pytest.mark.parametrize("api_class", API_CLASSES, ids=lambda cls: cls.__name__)
def test_api_pages_document_every_method_with_its_parameters(api_class: type) -> None:
    sections = _sections((DOCS / f"{api_class.__name__}.md").read_text(encoding="utf-8"))
    methods = _methods(api_class)
    assert sorted(sections) == sorted(methods)
    for name, section in sections.items():
        documented = re.findall(r"^ \*\*(\w+)\*\* \|", section, flags=re.M)
        parameters = [p for p in inspect.signature(methods[name]).parameters if p not in ("self", "options")]  # type: ignore[arg-type]
        assert documented == parameters, name
        blocks = _python_blocks(section)
        assert len(blocks) == 1, name
        code = blocks[0]
        compile(code, f"docs/{api_class.__name__}.md#{name}", "exec")
        assert f"await api_instance.{name}(" in code, name
        assert "except" not in code, f"{name}: examples must raise, not swallow errors"


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.md")), ids=lambda path: path.name)
def test_the_seed_pages_titanium_names_appear_where_the_seed_uses_them(seed: Path) -> None:
    """The seed pages (the contract) name some bodies and answers ``Titanium…``; the generated page
    of each such method mentions the same names."""
    ours = _sections((DOCS / seed.name).read_text(encoding="utf-8"))
    missing = []
    for name, section in _sections(seed.read_text(encoding="utf-8")).items():
        for titanium in sorted(set(re.findall(r"\bTitanium\w+", section))):
            if not re.search(rf"\b{titanium}\b", ours.get(name, "")):
                missing.append(f"{name}: {titanium}")
    assert missing == []
