"""How the command line fails: exit statuses, UsageError, and the one line an error prints.

Every error, whoever finds it (argparse, a check of ours, the library, the server), prints one
line on stderr in one form: ``titanium-airflow: error: <text>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Sequence, Tuple

if TYPE_CHECKING:
    from titanium_airflow_client.exceptions import ApiException

PROG = "titanium-airflow"

EXIT_OK = 0
EXIT_RUN_FAILED = 1  # what was checked is not good: the run failed, a component is unhealthy...
EXIT_UNHEALTHY = EXIT_RUN_FAILED
EXIT_ERROR = 2
EXIT_WAIT_TIMEOUT = 3
EXIT_INTERRUPTED = 130

# The root of Configuration's default host, repeated here so that parsing imports none of the library
# (test_cli.py checks that the two agree); which API it serves is asked.
DEFAULT_HOST = "http://localhost:8080"
HOST_HINT = f"is the host the server's root URL, e.g. {DEFAULT_HOST}, or its API's, e.g. {DEFAULT_HOST}/api/v1?"
CREDENTIALS_HINT = "check the credentials (--username/--password or --token) and the user's permissions"

# What a command was asked about, e.g. (("DAG", "tit_bash"), ("task", "hello")): named in an error
# whose own text does not name them.
Subject = Sequence[Tuple[str, str]]


class UsageError(Exception):
    """A bad combination of options or arguments, or a refused confirmation: exit 2 with one line."""


def error_line(text: str) -> str:
    """The one form of every error line."""
    return f"{PROG}: error: {one_line(text)}"


def one_line(text: str) -> str:
    return " ".join(text.split())


def describe(exc: BaseException, subject: Subject = ()) -> str:
    """What went wrong, in plain words: the server's answer, or which connection failed."""
    from titanium_airflow_client.exceptions import (  # loaded already: the command has run
        ApiConnectionError,
        ApiDecodeError,
        ApiException,
        ApiTimeoutError,
    )

    if isinstance(exc, ApiDecodeError):
        first = exc.error.splitlines()[0] if exc.error else "undecodable answer"
        return f"{first} ({exc.method} {exc.url}); {HOST_HINT}"
    if isinstance(exc, ApiException):
        return _error_answer(exc, subject)
    if isinstance(exc, ApiConnectionError):
        return _connection_failure(exc.url, exc.__cause__, exc.reason)
    if isinstance(exc, ApiTimeoutError):
        return f"no answer from {_where(exc.url)} in time ({exc}); is the server overloaded, or --host wrong?"
    return one_line(str(exc) or type(exc).__name__)


def _error_answer(exc: ApiException, subject: Subject) -> str:
    """An error status: the server's title and detail, the ids asked for unless they name them, the status."""
    title = exc.problem.title if exc.problem is not None else None
    if title or exc.detail:
        text = ": ".join(part for part in (title, exc.detail) if part)
    else:
        body = (exc.body or b"")[:200].decode("utf-8", "replace").strip()
        if body.startswith("<"):  # an HTML page: not the API (wrong host path, a proxy)
            body = f"not an API answer; {HOST_HINT}"
        text = f"{exc.reason or 'error'} ({exc.method} {exc.url})" + (f": {body}" if body else "")
    if subject and not all(value in text for _, value in subject):
        text = f"{subject_text(subject)}: {text}"
    line = f"{text} (HTTP {exc.status})"
    if exc.status in (401, 403):
        line += f"; {CREDENTIALS_HINT}"
    return one_line(line)


def subject_text(subject: Subject) -> str:
    """``(("DAG", "d"), ("task", "t"))`` → ``task t of DAG d``."""
    return " of ".join(f"{kind} {value}" for kind, value in reversed(subject))


def _connection_failure(url: Optional[str], cause: Optional[BaseException], reason: str) -> str:
    """A request that got no answer, in plain words; ``--debug`` logs the transport's own text."""
    import socket
    import ssl

    where = _where(url)
    os_error = getattr(cause, "os_error", None)
    if isinstance(os_error, socket.gaierror):
        return f"cannot resolve the host name {getattr(cause, 'host', None) or where}; is --host right?"
    if isinstance(os_error, ConnectionRefusedError):
        return f"cannot connect to {where} (connection refused); is the server running and --host right?"
    certificate_error = getattr(cause, "certificate_error", None)
    if isinstance(certificate_error, ssl.SSLCertVerificationError):
        problem = certificate_error.verify_message or "the certificate is not trusted"
        return f"TLS failure with {where}: {problem}"
    if isinstance(cause, ssl.SSLError) or isinstance(os_error, ssl.SSLError):
        return f"TLS failure with {where}; is the server speaking TLS (https) at all?"
    if isinstance(os_error, OSError):
        why = (os_error.strerror or _words(type(os_error).__name__)).lower()
        return f"cannot connect to {where} ({why}); is the server running and --host right?"
    if cause is not None:
        return f"the connection to {where} failed: {one_line(str(cause)) or type(cause).__name__}"
    return f"the connection to {where} failed: {reason}"


def _words(class_name: str) -> str:
    """``ConnectionResetError`` → ``connection reset``."""
    import re

    return " ".join(re.findall(r"[A-Z][a-z]*", class_name.removesuffix("Error")))


def _where(url: Optional[str]) -> str:
    """``host:port`` of a URL (the default port spelled out), for messages."""
    if not url:
        return "the server"
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return parts.netloc or url
    host = parts.hostname or ""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
