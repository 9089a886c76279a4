"""Redaction of event payloads before they are stored: the audit trail must never hold a secret.

Over-redacting a harmless field costs little; storing a live token does not, so the rules match on
parts of names rather than exact names.
"""

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REDACTED = "[REDACTED]"
SECRET_KEY_PARTS = ("password", "token", "secret", "hash", "authorization", "cookie")
SECRET_QUERY_PARTS = ("token", "code", "key", "secret", "password", "signature")


def redact(value: Any) -> Any:
    """A copy of ``value`` with secret-named keys and credential-carrying URLs replaced."""
    if isinstance(value, dict):
        return {key: REDACTED if _is_secret_key(key) else redact(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    if isinstance(value, str):
        return redact_url(value)
    return value


def redact_url(value: str) -> str:
    """``value`` unchanged unless it is a URL carrying a credential (a secret-named parameter in its
    query or fragment, or a password in its user info); then scheme, host and path are kept, every query
    value and the password are replaced, and the fragment is dropped."""
    try:
        parts = urlsplit(value)
        password = parts.password
    except ValueError:
        return value
    if not (parts.scheme and parts.netloc):
        return value
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = [name for name, _ in query + parse_qsl(parts.fragment, keep_blank_values=True)]
    if password is None and not any(_is_secret_param(name) for name in names):
        return value
    netloc = parts.netloc
    if password is not None:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.partition(':')[0]}:{REDACTED}@{host}"
    redacted_query = urlencode([(name, REDACTED) for name, _ in query], safe="[]")
    return urlunsplit((parts.scheme, netloc, parts.path, redacted_query, ""))


def _is_secret_key(key: object) -> bool:
    name = str(key).lower()
    return any(part in name for part in SECRET_KEY_PARTS)


def _is_secret_param(name: str) -> bool:
    lowered = name.lower()
    return any(part in lowered for part in SECRET_QUERY_PARTS)
