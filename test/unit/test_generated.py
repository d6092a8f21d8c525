"""The generated code stays generated: regenerating changes nothing, and every operation is proven live.

- ``scripts/generate.py --check`` finds no file that regenerating would change (or remove).
- Every operationId of the vendored spec is called by at least one integration test.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "v1.yaml"
HTTP_METHODS = ("get", "put", "post", "delete", "patch")


def test_regenerating_changes_nothing() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, f"regenerate with `python scripts/generate.py`:\n{result.stdout}{result.stderr}"


def spec_operation_ids() -> list[str]:
    paths = yaml.safe_load(SPEC.read_text())["paths"]
    return sorted(op["operationId"] for item in paths.values() for m, op in item.items() if m in HTTP_METHODS)


def test_the_spec_has_the_89_operations_of_airflow_2_11() -> None:
    assert len(spec_operation_ids()) == 89


def test_every_operation_is_called_by_an_integration_test() -> None:
    sources = "\n".join(path.read_text() for path in sorted((ROOT / "test" / "integration").glob("test_*.py")))
    untested = [
        op
        for op in spec_operation_ids()
        if not re.search(rf"\.{op}(_with_http_info|_text)?\b", sources)  # a call, or a method handed to paginate()
    ]
    assert not untested, f"no integration test calls: {', '.join(untested)}"
