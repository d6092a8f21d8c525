"""What decoding failures say: the ApiDecodeError of an answer that is not the endpoint's model."""

from __future__ import annotations

from typing import Any, Optional

from pydantic import ValidationError

from titanium_airflow_client.endpoint import Endpoint
from titanium_airflow_client.exceptions import ApiDecodeError, render_path
from titanium_airflow_client.rest import RESTResponse


def decode_error(
    endpoint: Endpoint[Any],
    url: str,
    response: RESTResponse,
    why: str,
    *,
    subject: str = "the response",
    body: Optional[bytes] = None,
) -> ApiDecodeError:
    """``cannot decode {subject} of {operation}() as {Model}: {why}``, holding ``body`` (the response's by default)."""
    returns = endpoint.returns.__name__ if endpoint.returns is not None else "nothing"
    content_type = response.headers.get("Content-Type", "")
    if content_type and "json" not in content_type:  # e.g. a caller's own Accept asked for text
        why = f"the server answered {content_type.split(';')[0]}, not JSON; {why}"
    return ApiDecodeError(
        f"cannot decode {subject} of {endpoint.operation_id}() as {returns}: {why}",
        response.status, response.reason, response.data if body is None else body, response.headers,
        method=endpoint.method, url=url,
    )


def summarize_validation_error(exc: ValidationError, shown: int = 3) -> str:
    """The first few errors, without the input they failed on.

    ``str()`` of a ValidationError quotes that input, which for invalid JSON is the whole
    body, rendered at several times its size.
    """
    errors = exc.errors(include_url=False, include_input=False, include_context=False)
    described = [f"{render_path(list(error['loc'])) or 'body'}: {error['msg'][:200]}" for error in errors[:shown]]
    if len(errors) > shown:
        described.append(f"and {len(errors) - shown} more")
    return "; ".join(described)


__all__ = ["decode_error", "summarize_validation_error"]
