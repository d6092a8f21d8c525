"""Run the model pages' example plans (model_examples.Plan) and report what their ``show`` steps print.

Started by staging.py in a fresh interpreter whose ``titanium_airflow_client`` is the package being
generated; reads ``{plan id: [step, ...]}`` as JSON on stdin, writes ``{"shown": {id: [text, ...]},
"errors": {id: text}}`` on stdout. Only the standard library and the package are imported here.
"""

from __future__ import annotations

import contextlib
import io
import json
import pprint
import sys
import traceback
from typing import Any, Dict, List


def _unknown_keys(value: Any, allowed: List[str], found: List[str]) -> None:
    from pydantic import BaseModel, RootModel

    if isinstance(value, RootModel):
        _unknown_keys(value.root, allowed, found)
    elif isinstance(value, BaseModel):
        if value.model_extra and type(value).__name__ not in allowed:
            found.extend(f"{type(value).__name__}.{key}" for key in value.model_extra)
        for name in type(value).model_fields:
            _unknown_keys(getattr(value, name), allowed, found)
    elif isinstance(value, list):
        for item in value:
            _unknown_keys(item, allowed, found)
    elif isinstance(value, dict):
        for item in value.values():
            _unknown_keys(item, allowed, found)


def run_plan(plan_id: str, steps: List[Dict[str, Any]]) -> List[str]:
    namespace: Dict[str, Any] = {"__name__": "__doc_example__"}
    shown: List[str] = []
    for step in steps:
        with contextlib.redirect_stdout(io.StringIO()):
            if "code" in step:
                exec(compile(step["code"], f"<{plan_id}>", "exec"), namespace)
            elif "show" in step:
                exec(compile(f"__shown__ = {step['show']}", f"<{plan_id}>", "exec"), namespace)
                value = namespace.pop("__shown__")
                shown.append(value if isinstance(value, str) else pprint.pformat(value, width=100, sort_dicts=False))
            else:
                found: List[str] = []
                _unknown_keys(namespace[step["check"]], step["allow_extra"], found)
                if found:
                    raise ValueError(f"the sample has keys no model declares: {', '.join(found)}")
    return shown


def main() -> int:
    import titanium_airflow_client

    plans: Dict[str, List[Dict[str, Any]]] = json.load(sys.stdin)
    result: Dict[str, Any] = {"package": titanium_airflow_client.__file__, "shown": {}, "errors": {}}
    for plan_id, steps in plans.items():
        try:
            result["shown"][plan_id] = run_plan(plan_id, steps)
        except Exception:
            result["errors"][plan_id] = traceback.format_exc(limit=3)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
