"""Regenerate the client from the spec: ``python scripts/generate.py [--check]`` (see scripts/codegen/main.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from codegen.main import main

if __name__ == "__main__":
    sys.exit(main())
