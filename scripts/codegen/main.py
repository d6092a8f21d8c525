"""Generate the client's API modules, blocking twins, models, exports and docs from the vendored spec.

    python scripts/generate.py           write the generated files (and remove generated files that are gone)
    python scripts/generate.py --check   exit 1 and list the generated files that are missing or out of date

Every generated file starts with ``text.HEADER`` (docs pages: ``markdown.MARKER``); files without it
are hand-written and never touched, except the tables between the README's markers (docs.py).
The output is formatted with the project's ruff, so regenerating reproduces the committed files exactly.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Dict, List

from . import naming
from .docs import docs_files, generated_pages
from .models import ModelBuilder
from .operations import OperationDef, build_operations, request_body_models
from .render_api import PACKAGE, api_module, render_api, render_lazy_init, render_sync_api
from .render_models import model_exports, model_files
from .render_wire_cases import render_wire_cases
from .spec import Spec, load_spec
from .text import HEADER

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "v1.yaml"
OVERRIDES = ROOT / "spec" / "v1-overrides.yaml"
GENERATED_DIRS = (f"{PACKAGE}/api", f"{PACKAGE}/models", f"{PACKAGE}/sync/api", PACKAGE, "test/unit")

PACKAGE_DOC = """Async client for Apache Airflow's stable REST API (v1, Airflow 2.x).

    async with ApiClient(Configuration(host=..., username=..., password=...)) as client:
        run = await DAGRunApi(client).post_dag_run("my_dag", DAGRun(conf={"x": 1}))

Every API class, model and exception is importable from here; each is loaded on first use.
"""

SYNC_DOC = """Blocking facade over the async client, for scripts and REPLs.

    import titanium_airflow_client.sync as titanium_airflow_client

    with titanium_airflow_client.ApiClient(configuration) as api_client:
        dags = titanium_airflow_client.DAGApi(api_client).get_dags(limit=5)

Same Configuration, models, exceptions, method names, parameters and defaults as the async
API; ``with`` instead of ``async with``, plain calls instead of ``await``, and
:func:`paginate` returns a plain iterator. Each ApiClient runs the async client on an event
loop in a daemon thread of its own; :meth:`ApiClient.close` (or leaving ``with``) stops it.
"""


def generate() -> Dict[str, str]:
    """Relative path → content of every generated file."""
    spec = Spec(load_spec(SPEC, OVERRIDES))
    builder = ModelBuilder(spec, request_body_models(spec))
    builder.build_components()
    operations = build_operations(spec, builder)
    by_tag: Dict[str, List[OperationDef]] = defaultdict(list)
    for op in operations:
        for tag in op.tags:
            by_tag[tag].append(op)
    files = model_files(builder.models, naming.SEED_ALIASES)
    api_exports: Dict[str, str] = {}
    sync_exports: Dict[str, str] = {}
    for tag in sorted(by_tag):
        module = api_module(tag)
        files[f"{PACKAGE}/api/{module}.py"] = render_api(tag, by_tag[tag], builder.models, spec.tag_description(tag))
        files[f"{PACKAGE}/sync/api/{module}.py"] = render_sync_api(tag, by_tag[tag])
        api_exports[naming.api_class(tag)] = f"{PACKAGE}.api.{module}"
        sync_exports[naming.api_class(tag)] = f"{PACKAGE}.sync.api.{module}"
    files[f"{PACKAGE}/api/__init__.py"] = render_lazy_init(
        f"{PACKAGE}.api", "One class per API tag; each method is one endpoint.", api_exports
    )
    files[f"{PACKAGE}/sync/api/__init__.py"] = render_lazy_init(
        f"{PACKAGE}.sync.api", "The blocking API classes, one per API tag.", sync_exports
    )
    shared = _shared_exports()
    models = model_exports(builder.models, naming.SEED_ALIASES)
    files[f"{PACKAGE}/__init__.py"] = render_lazy_init(
        PACKAGE,
        PACKAGE_DOC.strip(),
        {
            **shared,
            **api_exports,
            **models,
            "ApiClient": f"{PACKAGE}.api_client",
            "paginate": f"{PACKAGE}.pagination",
            "api": f"{PACKAGE}.api",
        },
    )
    files[f"{PACKAGE}/sync/__init__.py"] = render_lazy_init(
        f"{PACKAGE}.sync",
        SYNC_DOC.strip(),
        {
            **shared,
            **sync_exports,
            **models,
            "ApiClient": f"{PACKAGE}.sync.client",
            "blocking": f"{PACKAGE}.sync.client",
            "paginate": f"{PACKAGE}.sync.pagination",
            "api": f"{PACKAGE}.sync.api",
        },
    )
    files["test/unit/wire_cases.py"] = render_wire_cases(operations, builder.models)
    python = format_python(files)
    return {**python, **docs_files(ROOT, spec, operations, builder.models, python, format_python)}


def _shared_exports() -> Dict[str, str]:
    shared = {name: f"{PACKAGE}.exceptions" for name in _declared_names(ROOT / PACKAGE / "exceptions.py")}
    shared.update(
        {
            "__version__": f"{PACKAGE}.version",
            "ApiResponse": f"{PACKAGE}.api_response",
            "Configuration": f"{PACKAGE}.configuration",
            "RequestOptions": f"{PACKAGE}.api_client",
            "exceptions": f"{PACKAGE}.exceptions",
            "models": f"{PACKAGE}.models",
        }
    )
    return shared


def _declared_names(path: Path) -> List[str]:
    """The ``__all__`` of a hand-written module, read without importing the package."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return list(ast.literal_eval(node.value))
    raise SystemExit(f"{path}: no __all__")


def format_python(files: Dict[str, str]) -> Dict[str, str]:
    """The files as the project's ruff sorts their imports and formats them."""
    with tempfile.TemporaryDirectory() as temp:
        base = Path(temp)
        (base / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
        for path, content in files.items():
            target = base / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content)
        ruff = [sys.executable, "-m", "ruff"]
        subprocess.run([*ruff, "check", "--quiet", "--fix-only", "--select", "I,F401", "."], cwd=base, check=True)
        subprocess.run([*ruff, "format", "--quiet", "."], cwd=base, check=True)
        return {path: (base / path).read_text() for path in files}


def existing_generated() -> List[str]:
    found = []
    for folder in GENERATED_DIRS:
        for path in sorted((ROOT / folder).glob("*.py")):
            if HEADER in path.read_text():
                found.append(str(path.relative_to(ROOT)))
    return found + generated_pages(ROOT)


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report files that would change")
    args = parser.parse_args(argv)
    files = generate()
    stale = [path for path in existing_generated() if path not in files]
    changed = [
        path for path, content in files.items() if not (ROOT / path).exists() or (ROOT / path).read_text() != content
    ]
    if args.check:
        for path in changed:
            print(f"out of date: {path}")
        for path in stale:
            print(f"no longer generated: {path}")
        return 1 if changed or stale else 0
    for path in changed:
        (ROOT / path).parent.mkdir(parents=True, exist_ok=True)
        (ROOT / path).write_text(files[path])
    for path in stale:
        (ROOT / path).unlink()
    print(f"{len(files)} generated files, {len(changed)} written, {len(stale)} removed")
    return 0
