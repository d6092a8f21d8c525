"""Masking a connection's secrets before they are printed: its password, and the values of its extra
whose key looks secret, by the rule Airflow itself masks them with.

The servers mask too (Airflow 2 never sends a password back and masks extra, Airflow 3 sends ``***``),
but not all of them, not always (``[core] hide_sensitive_var_conn_fields``): the command line does not
count on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, TypeVar

if TYPE_CHECKING:
    from titanium_airflow_client.models import ApiModel

MASK = "***"

# Airflow 3.3's DEFAULT_SENSITIVE_FIELDS (Airflow 2.11's are a subset): a key is secret when, lower-cased and
# its non-word runs made "_", it contains one of these.
SENSITIVE_NAMES = frozenset({
    "access_key", "access_token", "api_key", "apikey", "auth_header", "authorization", "bearer",
    "connection_string", "dsn", "passphrase", "passwd", "password", "private_key", "proxy", "proxy_password",
    "proxies", "secret", "service_account", "service_key", "token", "keyfile_dict", "webhook_url",
})

Model = TypeVar("Model", bound="ApiModel")


def is_secret_key(key: str) -> bool:
    import re

    name = re.sub(r"\W+", "_", key.strip().lower())
    return any(sensitive in name for sensitive in SENSITIVE_NAMES)


def masked_value(key: str, value: Any) -> Any:
    """``value`` with every value under a secret-looking key masked, however deep (dicts and lists)."""
    if value is None or value == "":
        return value
    if is_secret_key(key):
        return MASK
    if isinstance(value, dict):
        return {name: masked_value(name, item) for name, item in value.items()}
    if isinstance(value, list):
        return [masked_value(key, item) for item in value]
    return value


def masked_extra(extra: str) -> str:
    """A connection's extra with its secret-looking values masked; the text as it was when it is not a
    JSON object or holds nothing secret (so that it prints exactly as the server sent it)."""
    import json

    try:
        parsed = json.loads(extra)
    except ValueError:
        return extra
    if not isinstance(parsed, dict):
        return extra
    masked = masked_value("", parsed)
    return extra if masked == parsed else json.dumps(masked)


def masked_connection(connection: Model) -> Model:
    """A copy of a connection model (v1 ``Connection``, v2 ``ConnectionResponse``...) with its secrets masked."""
    changes: Dict[str, Any] = {}
    password = getattr(connection, "password", None)
    if password:
        changes["password"] = MASK
    extra = getattr(connection, "extra", None)
    if isinstance(extra, str) and extra:
        shown = masked_extra(extra)
        if shown != extra:
            changes["extra"] = shown
    if not changes:
        return connection
    return connection.model_copy(update=changes)
