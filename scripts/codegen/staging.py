"""Run example plans against the package as this run generates it, not as it is on disk.

The package is copied to a temporary directory with the newly generated modules written over it,
and example_runner.py runs there in a fresh interpreter: ``--check`` writes nothing, and the
generator's own process never imports the package it is replacing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List

RUNNER = Path(__file__).resolve().parent / "example_runner.py"


class ExampleError(Exception):
    """A docs example failed while its page was built."""


def run_plans(
    root: Path, package: str, generated: Dict[str, str], plans: Dict[str, List[Dict[str, Any]]]
) -> Dict[str, List[str]]:
    """What the ``show`` steps of each plan print, run against ``root/package`` with ``generated``
    (relative path → content) written over it."""
    with tempfile.TemporaryDirectory(prefix="titanium-docs-") as temp:
        stage = Path(temp)
        shutil.copytree(root / package, stage / package, ignore=shutil.ignore_patterns("__pycache__"))
        for path, content in generated.items():
            if path.startswith(package + "/"):
                (stage / path).parent.mkdir(parents=True, exist_ok=True)
                (stage / path).write_text(content, encoding="utf-8")
        completed = subprocess.run(
            [sys.executable, str(RUNNER)],
            input=json.dumps(plans),
            capture_output=True,
            text=True,
            cwd=stage,
            env={**os.environ, "PYTHONPATH": str(stage), "PYTHONDONTWRITEBYTECODE": "1"},
            check=False,
        )
        if completed.returncode != 0:
            raise ExampleError(f"example_runner.py failed:\n{completed.stderr}")
        result = json.loads(completed.stdout)
        if not Path(result["package"]).resolve().is_relative_to(stage.resolve()):
            raise ExampleError(f"the examples ran against {result['package']}, not the generated package")
    if result["errors"]:
        report = "\n".join(f"--- {plan_id}\n{error}" for plan_id, error in sorted(result["errors"].items()))
        raise ExampleError(f"{len(result['errors'])} docs example(s) failed:\n{report}")
    shown: Dict[str, List[str]] = result["shown"]
    return shown
