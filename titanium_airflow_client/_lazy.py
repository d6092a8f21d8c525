"""Package exports imported on first use (PEP 562), so that ``import titanium_airflow_client`` stays cheap.

The generated ``__init__`` modules map each exported name to the module defining it (a path under
this package, e.g. ``models.dag``); the module is imported the first time the name is looked up,
and the value is then cached.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, Callable, List, Mapping, Tuple

_ROOT = __name__.rsplit(".", 1)[0]


def lazy_exports(package: str, exports: Mapping[str, str]) -> Tuple[Callable[[str], Any], Callable[[], List[str]]]:
    """``(__getattr__, __dir__)`` for ``package``, whose names live in the modules ``exports`` gives."""
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        module_name = exports.get(name)
        if module_name is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(f"{_ROOT}.{module_name}")
        value = module if module_name.rsplit(".", 1)[-1] == name else getattr(module, name)  # e.g. "models"
        namespace[name] = value
        return value

    def __dir__() -> List[str]:
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__
