"""Fake Airflows for the command-line unit tests of ``variables``, ``connections`` and ``pools``: answers by
``"METHOD /path"``, on Airflow 2 (``--host .../api/v1``) or Airflow 3 (``--host .../api/v2``, logging in)."""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List, Union

from .conftest import FakeAirflow, Recorded, Reply
from .v2_api import PASSWORD, USERNAME, Airflow3Auth, root_of

Answer = Union[Reply, Callable[[Recorded], Reply]]


def reply(status: int = 200, body: Any = None) -> Reply:
    return Reply(status, b"" if body is None else json.dumps(body).encode())


def not_found(detail: str = "Not found") -> Reply:
    return reply(404, {"title": "Not Found", "detail": detail, "status": 404})


def serve(fake: FakeAirflow, answers: Dict[str, Answer], *, v2: bool) -> List[str]:
    """Answer ``fake``'s requests from ``answers`` (404 for any other); returns the command line's
    connection options for that generation."""
    auth = Airflow3Auth()

    def respond(request: Recorded) -> Reply:
        if v2:
            if request.path == "/auth/token":
                return auth.login(request)
            refusal = auth.refusal(request.path, request.headers)
            if refusal is not None:
                return refusal
        answer = answers.get(f"{request.method} {request.path}")
        if answer is None:
            return not_found(f"nothing at {request.method} {request.path}")
        return answer(request) if callable(answer) else answer

    fake.responder = respond
    if v2:
        return ["--host", root_of(fake.host) + "/api/v2", "-u", USERNAME, "-p", PASSWORD]
    return ["--host", fake.host, "-u", "admin", "-p", "admin"]


def calls(fake: FakeAirflow) -> List[str]:
    """The requests made, but the login: ``"METHOD /path?query"``."""
    return [f"{r.method} {r.raw_path}" for r in fake.requests if r.path != "/auth/token"]


def base(v2: bool) -> str:
    return "/api/v2" if v2 else "/api/v1"
