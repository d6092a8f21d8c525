"""The ```python blocks of README.md and docs/*.md, for the suites that run them: each block is an example of
one API generation, Airflow 3's when it imports ``titanium_airflow_client.v2``, else Airflow 2's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

REPO_ROOT = Path(__file__).resolve().parents[1]
_FENCE_OPEN = re.compile(r"^```python\s*$")
_FENCE_CLOSE = re.compile(r"^```\s*$")


@dataclass(frozen=True)
class Example:
    path: str  # relative to the repository
    line: int  # of the opening fence
    code: str

    @property
    def id(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def uses_server(self) -> bool:
        return "ApiClient" in self.code

    @property
    def generation(self) -> str:
        return "v2" if "titanium_airflow_client.v2" in self.code else "v1"


def collect_examples(generation: str) -> List[Example]:
    """The examples of ``generation`` ("v1" or "v2"), in document order."""
    files = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
    examples = []
    for path in files:
        if not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        start: Optional[int] = None
        for number, line in enumerate(lines, start=1):
            if start is None and _FENCE_OPEN.match(line):
                start = number
            elif start is not None and _FENCE_CLOSE.match(line):
                code = "\n".join(lines[start : number - 1]) + "\n"
                examples.append(Example(str(path.relative_to(REPO_ROOT)), start, code))
                start = None
    return [example for example in examples if example.generation == generation]
