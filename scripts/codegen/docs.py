"""The generated docs: docs/<Api>.md, docs/<Model>.md and the README's two tables.

Called by main.generate() with the Python files it generated, so that the model examples run
against exactly that code (staging.py) and ``--check`` covers the docs as well. Every example is
formatted with the project's ruff, like the code, so regenerating reproduces the pages exactly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Dict, List

from . import naming
from .api_examples import ApiExamples
from .docs_index import DocsIndex
from .markdown import MARKER
from .model_examples import ModelExamples, Plan
from .models import ModelDef
from .operations import OperationDef
from .prose import check_names, load_prose
from .render_api import PACKAGE
from .render_api_docs import ApiPages
from .render_model_docs import ModelPages
from .render_readme import ENDPOINTS, MODELS, endpoint_rows, model_rows, replace_table
from .samples import load_samples
from .spec import Spec
from .staging import run_plans

Formatter = Callable[[Dict[str, str]], Dict[str, str]]


def docs_files(
    root: Path,
    spec: Spec,
    operations: List[OperationDef],
    models: Dict[str, ModelDef],
    generated: Dict[str, str],
    format_python: Formatter,
) -> Dict[str, str]:
    """Relative path → content of every generated docs page, and the README with its tables rewritten."""
    index = DocsIndex(models, operations, root / PACKAGE)
    samples = load_samples()
    prose = load_prose()
    check_names(prose, {op.operation_id: op for op in operations}, set(index.by_tag), set(models))
    api_pages = ApiPages(index, prose, _responses(spec))

    # Model examples run first (what they print is part of the page), then every example is formatted.
    model_plans = _model_plans(index, ModelExamples(index, samples))
    shown = run_plans(root, PACKAGE, generated, {page: plan.steps for page, plan in model_plans.items()})
    sources = {_example_path("models", page): plan.render(shown[page]) for page, plan in model_plans.items()}
    api_examples = ApiExamples(index, samples)
    methods = [(tag, op, variant) for tag in index.tags() for op, variant in api_pages.methods(tag)]
    for tag, op, variant in methods:
        sources[_example_path(naming.api_class(tag), op.operation_id + variant)] = api_examples.source(tag, op, variant)
    formatted = format_python(sources)

    files: Dict[str, str] = {}
    model_pages = ModelPages(index, prose.models)
    for page in model_plans:
        example = formatted[_example_path("models", page)]
        if page in models:
            files[f"docs/{page}.md"] = model_pages.page(models[page], example)
        else:  # the page of a seed name (TitaniumDAGRun.md)
            target = next(target for target in index.aliases if index.alias_page(target) == page)
            files[f"docs/{page}.md"] = model_pages.seed_alias_page(target, example)
    for tag in index.tags():
        api = naming.api_class(tag)
        examples = {
            op.operation_id + variant: formatted[_example_path(api, op.operation_id + variant)]
            for op, variant in api_pages.methods(tag)
        }
        files[f"docs/{api}.md"] = api_pages.page(tag, examples)

    readme = (root / "README.md").read_text(encoding="utf-8")
    readme = replace_table(readme, ENDPOINTS, endpoint_rows(methods, lambda api, name: f"docs/{api}.md#{name}"))
    files["README.md"] = replace_table(readme, MODELS, model_rows(index, prose.models))
    return files


def _example_path(group: str, name: str) -> str:
    """Where an example sits while ruff formats it (a temporary directory)."""
    return f"examples/{group}/{name}.py"


def _model_plans(index: DocsIndex, examples: ModelExamples) -> Dict[str, Plan]:
    """Page name (docs/<name>.md) → the plan of its example: one per model, one per seed-name page."""
    plans: Dict[str, Plan] = {}
    for name in sorted(index.models):
        model = index.models[name]
        if model.kind == "enum":
            plans[name] = examples.enum_plan(model)
        elif model.kind == "alias":
            plans[name] = examples.type_alias_plan(model)
        elif model.kind == "union" and not model.root_model:
            plans[name] = examples.union_alias_plan(model)
        else:
            plans[name] = examples.object_plan(model)
    for target in sorted(index.aliases):
        plans[index.alias_page(target)] = examples.seed_alias_plan(target)
    return plans


def _responses(spec: Spec) -> Dict[str, Dict[str, Any]]:
    """Operation id → status → the spec's description of that response."""
    found: Dict[str, Dict[str, Any]] = {}
    for raw in spec.operations():
        found[raw["operationId"]] = {
            str(status): spec.resolve(response).get("description") for status, response in raw["responses"].items()
        }
    return found


def generated_pages(root: Path) -> List[str]:
    """The docs pages on disk that the generator wrote (their first line is MARKER)."""
    found = []
    for path in sorted((root / "docs").glob("*.md")):
        with path.open(encoding="utf-8") as handle:
            if handle.readline().rstrip("\n") == MARKER:
                found.append(str(path.relative_to(root)))
    return found
