"""A FakeAirflow that answers by path, as a test scripts it: each path's answers in order, its last one
repeated, so a test of the run and log helpers says what the server answers each time it is asked."""

from __future__ import annotations

import json
from collections import deque
from typing import Any, Deque, Dict, List, Optional, Tuple

from .conftest import FakeAirflow, Recorded, Reply


class ScriptedAirflow:
    """The responder of ``fake``: ``on(method, path, *answers)`` queues answers for a path (without its query)."""

    def __init__(self, fake: FakeAirflow) -> None:
        self.fake = fake
        self._answers: Dict[Tuple[str, str], Deque[Reply]] = {}
        self._last: Dict[Tuple[str, str], Reply] = {}
        fake.responder = self._respond

    def on(
        self, method: str, path: str, *answers: Any, status: int = 200, content_type: str = "application/json"
    ) -> None:
        """Answer ``method path`` with each of ``answers`` in turn (JSON-encoded unless bytes); the last repeats."""
        queue = self._answers.setdefault((method, path), deque())
        for answer in answers:
            body = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
            queue.append(Reply(status, body, content_type))

    def on_reply(self, method: str, path: str, *replies: Reply) -> None:
        self._answers.setdefault((method, path), deque()).extend(replies)

    def _respond(self, request: Recorded) -> Reply:
        key = (request.method, request.path)
        queue = self._answers.get(key)
        if queue:
            self._last[key] = reply = queue.popleft()
            return reply
        if key in self._last:
            return self._last[key]
        return Reply(404, json.dumps({"detail": f"not scripted: {request.method} {request.path}"}).encode())

    def calls(self, path: Optional[str] = None) -> List[str]:
        """``METHOD path?query`` of each request (to ``path`` only, when given), in order."""
        return [f"{r.method} {r.raw_path}" for r in self.fake.requests if path is None or r.path == path]


def ndjson(*objects: Any) -> bytes:
    """An NDJSON body: one JSON object per line."""
    return b"".join(json.dumps(item).encode() + b"\n" for item in objects)


def task_instances(*states: Optional[str], key: str = "task_instances") -> Dict[str, Any]:
    """A task-instance listing with one instance in each of ``states`` (None: no state yet)."""
    items = [{"task_id": f"t{index}", "state": state} for index, state in enumerate(states)]
    return {key: items, "total_entries": len(items)}
