"""Argument types for argparse, and reading what was given.

Each type turns one command-line word into a value or raises ``ArgumentTypeError``, whose text
argparse prefixes with the option (``argument --conf: ...``): so the text never names the option.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional

if TYPE_CHECKING:
    from datetime import datetime

# The states of a DAG run, as the API documents them (DagState; test_cli.py checks they agree).
DAG_RUN_STATES = ("queued", "running", "success", "failed")


def iso_datetime(text: str) -> datetime:
    """An ISO 8601 date-time; ``Z`` is UTC, and so is no offset (the client's rule)."""
    from datetime import datetime

    value = text.strip()
    if value[-1:] in ("Z", "z"):  # Python 3.10's fromisoformat does not take Z
        value = value[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO 8601 date-time: {text!r} (e.g. 2026-01-02T03:04:05+00:00; no offset means UTC)"
        ) from None


def int_at_least(minimum: int) -> Callable[[str], int]:
    """A whole number of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more: {text!r}")
        return value

    return parse


positive_int = int_at_least(1)
non_negative_int = int_at_least(0)


POLL_SECONDS = 2.0  # --poll-interval's default, for --wait and --follow


def poll_seconds(given: Optional[float]) -> float:
    """``--poll-interval`` as given, else its default (None when not given: ``only_with`` needs that)."""
    return POLL_SECONDS if given is None else given


def seconds(text: str) -> float:
    """A positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds: {text!r}")
    return value


def conf(text: str) -> Dict[str, Any]:
    """A JSON object: given as it is, ``@file.json``, or ``@-`` for stdin."""
    import json

    source = ""
    if text.startswith("@"):
        path = text[1:]
        source = "stdin" if path == "-" else path
        try:
            if path == "-":
                text = sys.stdin.read()
            else:
                with open(path, encoding="utf-8") as file:
                    text = file.read()
        except OSError as exc:
            raise argparse.ArgumentTypeError(f"cannot read {path}: {exc.strerror or exc}") from None
    # argparse names --conf itself; a file or stdin is named here
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{source} is not JSON: {exc}" if source else f"not JSON: {exc}") from None
    if not isinstance(value, dict):
        kind = _JSON_KINDS.get(type(value), type(value).__name__)
        must = f"{source} must hold" if source else "must be"
        raise argparse.ArgumentTypeError(f"{must} a JSON object {{...}}, not {kind}")
    return value


_JSON_KINDS = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true or false",
               type(None): "null"}


def comma_list(text: str) -> List[str]:
    """``a,b`` → ``["a", "b"]``; with ``action="extend"``, ``--x a --x b,c`` gives ``["a", "b", "c"]``."""
    return [part.strip() for part in text.split(",") if part.strip()]


def dag_run_states(text: str) -> List[str]:
    """A comma list of DAG run states, each checked before anything is sent."""
    states = comma_list(text)
    for state in states:
        if state not in DAG_RUN_STATES:
            choices = ", ".join(DAG_RUN_STATES)
            raise argparse.ArgumentTypeError(f"unknown DAG run state {state!r}; choose from {choices}")
    return states


def given(**kwargs: Any) -> Dict[str, Any]:
    """The arguments the user gave; the others keep the API method's own defaults."""
    return {key: value for key, value in kwargs.items() if value is not None and value != []}


def dag_id_or_all(dag_id: Optional[str]) -> str:
    """A DAG id, or ``~`` (every DAG) for none, ``~``, or the home directory a shell made of an unquoted ``~``."""
    if not dag_id or dag_id == "~":
        return "~"
    if dag_id == os.path.expanduser("~") and "/" in dag_id:  # no DAG id holds a "/": it was the shell
        return "~"
    return dag_id
