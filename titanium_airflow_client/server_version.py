"""The server's Airflow version, and what a call uses that a server that old lacks.

Endpoints and query parameters that a later release than the oldest supported one added carry
``since`` (see ``Endpoint``). Before such a call, the ApiClient learns the server's version once per
host (``Configuration.server_version``, else ``GET .../version``) and refuses, before sending, what the
server cannot have. When the version stays unknown, a 404, 405 or 422 answer says what may be the cause.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Dict, List, Mapping, Optional, Tuple

from titanium_airflow_client.endpoint import Endpoint
from titanium_airflow_client.exceptions import ApiVersionError, OpenApiException

if TYPE_CHECKING:
    from titanium_airflow_client.api_response import ApiResponse

logger = logging.getLogger("titanium_airflow_client")

_VERSION = re.compile(r"(\d+)\.(\d+)")
# Statuses an older server answers a path or parameter it does not know with (v1: 404, 405 or 400; v2: 404,
# 405 or 422): with an unknown version, these get the note.
STATUSES_OF_A_MISSING_FEATURE = frozenset({400, 404, 405, 422})

Version = Tuple[int, int]
# (what the call uses, the version that added it): ("get_dag_runs()", "3.1"), ("get_dag_runs(cursor=...)", "3.2")
Needs = List[Tuple[str, str]]


def parse_version(text: str) -> Optional[Version]:
    """(major, minor) of ``3.0.6``, ``2.10.5+composer``, ``3.1.0rc1``; None when there is none."""
    match = _VERSION.match(text.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


def needs(endpoint: Endpoint[Any], arguments: Mapping[str, Any]) -> Needs:
    """What this call of ``endpoint`` uses that came after the oldest supported version: the operation, and
    each query parameter given (not None)."""
    found: Needs = []
    if endpoint.since:
        found.append((f"{endpoint.operation_id}()", endpoint.since))
    for query in endpoint.query:
        if query.since and arguments.get(query.name) is not None:
            found.append((f"{endpoint.operation_id}({query.name}=...)", query.since))
    return found


def note_for(needed: Needs) -> str:
    """What an error answer adds when the server's version is unknown."""
    uses = "; ".join(f"{what} is new in Airflow {version}" for what, version in needed)
    return f"{uses}: a server older than that answers so (set Configuration.server_version to be told before sending)"


class ServerVersions:
    """One ApiClient's knowledge of its servers' versions: per host, the configured one or the one the
    server said (asked once; concurrent calls share the question), or None when it could not be learned."""

    def __init__(self) -> None:
        self._known: Dict[str, Optional[Tuple[Version, str, str]]] = {}
        self._pending: Dict[str, asyncio.Future[Optional[Tuple[Version, str, str]]]] = {}

    async def check(
        self,
        needed: Needs,
        host: str,
        configured: Optional[str],
        ask: Callable[[], Awaitable[ApiResponse[Any]]],
    ) -> bool:
        """Raise ApiVersionError for the first of ``needed`` the server is too old for; return whether its
        version is known (else an error answer gets ``note_for(needed)``)."""
        known: Optional[Tuple[Version, str, str]]
        if configured is not None:  # Configuration checked that it parses
            known = (parse_version(configured) or (0, 0), configured, "Configuration.server_version")
        else:
            known = await self._learn(host, ask)
        if known is None:
            return False
        version, text, source = known
        for what, since in needed:
            added = parse_version(since)
            if added is not None and version < added:
                raise ApiVersionError(what, since, text, source)
        return True

    async def _learn(
        self, host: str, ask: Callable[[], Awaitable[ApiResponse[Any]]]
    ) -> Optional[Tuple[Version, str, str]]:
        if host in self._known:
            return self._known[host]
        pending = self._pending.get(host)
        if pending is None:
            pending = self._pending[host] = asyncio.ensure_future(_ask_version(ask))
        try:
            known = await asyncio.shield(pending)
        finally:
            if pending.done():
                self._pending.pop(host, None)
        self._known[host] = known
        return known


async def _ask_version(ask: Callable[[], Awaitable[ApiResponse[Any]]]) -> Optional[Tuple[Version, str, str]]:
    try:
        answer = await ask()
    except OpenApiException as exc:  # the version stays unknown; errors then get the note
        logger.debug("the server's version could not be learned: %s", type(exc).__name__)
        return None
    text = getattr(answer.data, "version", None)
    version = parse_version(text) if isinstance(text, str) else None
    return None if version is None or text is None else (version, text, "GET version")
