"""The items of an NDJSON answer, decoded line by line as the lines arrive (``ApiClient.stream``).

Lines may be split across chunks, the last one may lack its newline, and blank lines are skipped.
Each line may be up to ``max_response_bytes`` long; the stream as a whole has no limit, since it may
rightly go on for hours. A JSON answer (a server, or a proxy, that ignored ``Accept``) is read whole
and decoded as one item.
"""

from __future__ import annotations

import json
from typing import Any, AsyncIterator, Callable, Optional, TypeVar

from pydantic import ValidationError

from titanium_airflow_client.decoding import decode_error, summarize_validation_error
from titanium_airflow_client.endpoint import Endpoint
from titanium_airflow_client.exceptions import ApiResponseTooLargeError
from titanium_airflow_client.rest import RESTStream

T = TypeVar("T")


async def ndjson_items(endpoint: Endpoint[T], response: RESTStream, limit: Optional[int]) -> AsyncIterator[T]:
    """Each non-blank line of ``response`` decoded into ``endpoint.returns``, as it arrives."""
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    decode = _item_decoder(endpoint)
    if media_type == "application/json" or media_type.endswith("+json"):  # one document, not lines
        body = await _read_whole(response, limit)
        yield _decoded(decode, endpoint, response, body, "the response",
                       f"the server answered {media_type}, not NDJSON; ")
        return
    subject = f"the {media_type or 'untyped'} response"
    pending = bytearray()
    number = 0
    while chunk := await response.read_chunk():
        start = 0
        end = chunk.find(b"\n")
        while end >= 0:
            pending += chunk[start:end]
            number += 1
            line = bytes(pending)
            pending.clear()
            _check_size(response, line, limit)
            if line.strip():
                yield _decoded(decode, endpoint, response, line, f"line {number} of {subject}")
            start = end + 1
            end = chunk.find(b"\n", start)
        pending += chunk[start:]
        _check_size(response, pending, limit)  # a line that never ends must not fill the memory
    if pending.strip():
        yield _decoded(decode, endpoint, response, bytes(pending), f"line {number + 1} of {subject}")


def _item_decoder(endpoint: Endpoint[Any]) -> Callable[[bytes], Any]:
    if endpoint.model is not None:
        return endpoint.model.__pydantic_validator__.validate_json
    if endpoint.decode is not None:  # str: the line's text
        return endpoint.decode
    return json.loads


def _decoded(
    decode: Callable[[bytes], T], endpoint: Endpoint[Any], response: RESTStream, data: bytes, subject: str,
    why_prefix: str = "",
) -> T:
    invalid: Optional[str] = None
    try:
        return decode(data)
    except ValidationError as exc:  # raised out here: its text, and so its context, quote the whole line
        invalid = summarize_validation_error(exc)
    except Exception as exc:  # whatever a validator raised, the line is not the model
        invalid = f"{type(exc).__name__}: {exc}"
    raise decode_error(endpoint, response.url, response, why_prefix + invalid, subject=subject, body=data)


def _check_size(response: RESTStream, line: bytes | bytearray, limit: Optional[int]) -> None:
    if limit is not None and len(line) > limit:
        raise ApiResponseTooLargeError(response.method, response.url, limit, response.status, response.reason,
                                       response.headers)


async def _read_whole(response: RESTStream, limit: Optional[int]) -> bytes:
    body = bytearray()
    while chunk := await response.read_chunk():
        body += chunk
        _check_size(response, body, limit)
    return bytes(body)


__all__ = ["ndjson_items"]
