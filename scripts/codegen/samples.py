"""The sample values of spec/v1-samples.yaml: one set for the generated docs and the tests.

- ``payloads``: model → JSON as the server sends it (as a caller sends it, for request-only models).
  Each model page parses its payload; test/unit/payloads.py reads some of them.
- ``requests``: model → the fields an example sets to build that request body.
- ``operations``: operation id → the arguments (and any set-up) of its example in docs/<Api>.md,
  which test/integration/test_doc_examples.py runs against the local Airflow.
- ``state``: the server objects those examples rely on; that test's ``docs_state`` fixture prepares them.

This module needs only PyYAML, so tests import it without the rest of the generator
(``sys.path`` gets ``scripts/``, then ``from codegen.samples import load_samples``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

import yaml

SAMPLES_PATH = Path(__file__).resolve().parents[2] / "spec" / "v1-samples.yaml"
# Names of what the examples create, change or delete; each must be in ``state`` (see check_state_names).
DOCS_NAME = re.compile(r"\bdocs_example_\w+")


class _Loader(yaml.SafeLoader):
    """YAML without date guessing: payloads keep their timestamps as the server's text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class OperationSample:
    """How the example of one operation calls it (every part optional)."""

    args: Dict[str, Any] = field(default_factory=dict)  # parameter → literal value
    code: Dict[str, str] = field(default_factory=dict)  # parameter → Python expression
    setup: str = ""  # statements after the ``args`` parameters, before the ``code`` ones
    show: str = ""  # replaces ``pprint(api_response)``
    after: str = ""  # statements after it
    imports: List[str] = field(default_factory=list)
    body_as_dict: bool = False  # pass the body as a dict rather than the model


@dataclass(frozen=True)
class StateObjects:
    """Objects of one kind the examples rely on: ``present`` ones (with the body that creates them)
    exist before the examples run, ``absent`` ones (names) do not."""

    present: List[Dict[str, Any]] = field(default_factory=list)
    absent: List[str] = field(default_factory=list)


@dataclass(frozen=True)
class DagRunState:
    dag_id: str
    dag_run_id: str
    finished: bool = False  # followed to its end (it executes); else finished at once by setting its state


@dataclass(frozen=True)
class DocsState:
    dag_runs: List[DagRunState]
    absent_dag_runs: List[DagRunState]
    objects: Dict[str, StateObjects]  # "variables", "pools", "connections", "roles", "users"


@dataclass(frozen=True)
class Samples:
    payloads: Dict[str, Any]
    requests: Dict[str, Dict[str, Any]]
    operations: Dict[str, OperationSample]
    state: DocsState


class SamplesError(Exception):
    """spec/v1-samples.yaml is not what the generator expects."""


def _only(entry: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(entry) - allowed
    if unknown:
        raise SamplesError(f"{where}: unknown keys {sorted(unknown)}")


def _operation(name: str, entry: Optional[Mapping[str, Any]]) -> OperationSample:
    entry = entry or {}
    _only(entry, set(OperationSample.__dataclass_fields__), f"operations.{name}")
    return OperationSample(
        args=dict(entry.get("args") or {}),
        code={key: str(value) for key, value in (entry.get("code") or {}).items()},
        setup=(entry.get("setup") or "").rstrip(),
        show=(entry.get("show") or "").rstrip(),
        after=(entry.get("after") or "").rstrip(),
        imports=list(entry.get("imports") or []),
        body_as_dict=bool(entry.get("body_as_dict")),
    )


def _state(entry: Mapping[str, Any]) -> DocsState:
    _only(entry, {"dag_runs", "absent_dag_runs", "variables", "pools", "connections", "roles", "users"}, "state")
    objects = {}
    for kind in ("variables", "pools", "connections", "roles", "users"):
        part = entry.get(kind) or {}
        _only(part, {"present", "absent"}, f"state.{kind}")
        objects[kind] = StateObjects(list(part.get("present") or []), list(part.get("absent") or []))
    return DocsState(
        [DagRunState(**run) for run in entry.get("dag_runs") or []],
        [DagRunState(**run) for run in entry.get("absent_dag_runs") or []],
        objects,
    )


def load_samples(path: Path = SAMPLES_PATH) -> Samples:
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}  # _Loader is a SafeLoader
    _only(document, {"payloads", "requests", "operations", "state"}, path.name)
    samples = Samples(
        payloads=dict(document.get("payloads") or {}),
        requests={name: dict(fields or {}) for name, fields in (document.get("requests") or {}).items()},
        operations={name: _operation(name, entry) for name, entry in (document.get("operations") or {}).items()},
        state=_state(document.get("state") or {}),
    )
    check_state_names(samples)
    return samples


def state_names(state: DocsState) -> set[str]:
    """Every ``docs_example_*`` name the state section declares."""
    names = {run.dag_run_id for run in [*state.dag_runs, *state.absent_dag_runs]}
    for objects in state.objects.values():
        names.update(objects.absent)
        for body in objects.present:
            names.update(DOCS_NAME.findall(repr(body)))
    return names


def check_state_names(samples: Samples) -> None:
    """A ``docs_example_*`` name an example uses but ``state`` does not declare would make the examples
    depend on whatever the server happens to hold."""
    declared = state_names(samples.state)
    uses = {f"requests.{name}": repr(fields) for name, fields in samples.requests.items()}
    for name, sample in samples.operations.items():
        uses[f"operations.{name}"] = repr([sample.args, sample.code, sample.setup, sample.after])
    for where, text in uses.items():
        missing = sorted(set(DOCS_NAME.findall(text)) - declared)
        if missing:
            raise SamplesError(f"{where} uses {missing}, which state does not declare")
