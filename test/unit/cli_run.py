"""Running the command line in-process for a unit test: its environment cleared, its output captured.

``cli.main`` blocks, so it runs in a worker thread while the test's loop serves the fake server.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any, Iterator, Tuple

import pytest

from titanium_airflow_client import cli

ENV = ("TITANIUM_AIRFLOW_HOST", "TITANIUM_AIRFLOW_USERNAME", "TITANIUM_AIRFLOW_PASSWORD", "TITANIUM_AIRFLOW_TOKEN",
       "PYDANTIC_DISABLE_PLUGINS")  # the last one a command sets: restored after each test


def clear_cli_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"Result(code={self.code}, out={self.out!r}, err={self.err!r})"


async def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Result:
    capsys.readouterr()
    code = await asyncio.to_thread(cli.main, list(argv))
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def every_command(top: Any) -> Iterator[Tuple[str, argparse.ArgumentParser]]:
    """Every command's parser (``dags list``) below ``top``, found through argparse's subparser actions."""
    for action in top._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found = list(every_command(sub))
                yield from ((f"{name} {inner}", command) for inner, command in found) if found else [(name, sub)]
