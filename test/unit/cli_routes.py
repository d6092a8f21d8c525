"""A fake Airflow of either generation for the command-line tests: answers by path, records what was asked.

``serve(fake, routes, v2=...)``: each route is a path (``/api/v1/importErrors``) and the JSON it answers
(a status with it as ``(404, {...})``, or a function of the request that gives either); an Airflow 3 also
logs the command line in (user ``USERNAME``, password ``PASSWORD``). Any other path answers 404.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Tuple, Union

from .conftest import FakeAirflow, Recorded, Reply
from .v2_api import PASSWORD, USERNAME, Airflow3Auth, airflow3, root_of

Route = Union[Any, Tuple[int, Any]]
NOT_FOUND = {"title": "Not Found", "status": 404, "detail": None}


def serve(fake: FakeAirflow, routes: Dict[str, Route], *, v2: bool) -> List[str]:
    """Answer ``routes``; return the command line's connection options for this server."""
    logged_in = airflow3(Airflow3Auth())

    def respond(request: Recorded) -> Reply:
        if v2 and (request.path == "/auth/token" or request.path == "/api/v2/version"):
            return logged_in(request)
        route = routes.get(request.path, (404, NOT_FOUND))
        if callable(route):
            route = route(request)
        status, body = route if isinstance(route, tuple) else (200, route)
        content_type = "application/problem+json" if status >= 400 else "application/json"
        return Reply(status, json.dumps(body).encode(), content_type)

    fake.responder = respond
    if v2:
        return ["--host", root_of(fake.host) + "/api/v2", "-u", USERNAME, "-p", PASSWORD]
    return ["--host", fake.host, "-u", "admin", "-p", "s3cret"]


def asked(fake: FakeAirflow) -> List[Tuple[str, List[Tuple[str, str]]]]:
    """The API requests the command made (path and query), without the login and the client's version check."""
    return [
        (request.path, request.query) for request in fake.requests
        if request.path.startswith("/api/") and not request.path.endswith("/version")
    ]
