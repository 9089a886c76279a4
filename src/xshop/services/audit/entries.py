"""How an event becomes an audit entry: searchable fields lifted from its payload, the rest redacted."""

import uuid
from datetime import UTC, datetime
from typing import Any

from xshop.platform.events.envelope import CloudEvent
from xshop.services.audit.actions import action_of, is_success
from xshop.services.audit.models import AuditLog
from xshop.services.audit.redaction import redact

# Payload fields come from any producer; an over-long one is clipped to fit its column rather than
# failing the insert forever (the full value stays in the payload).
_ID_LENGTH = 100
_EMAIL_LENGTH = 254
_IP_LENGTH = 64
_CORRELATION_ID_LENGTH = 128


def entry_from(event: CloudEvent, recorded_at: datetime) -> AuditLog:
    data = event.data
    email = _text(data, "email", _EMAIL_LENGTH)
    return AuditLog(
        id=str(uuid.uuid4()),
        event_id=event.id,
        event_type=event.type,
        action=action_of(event.type),
        source=event.source,
        user_id=_text(data, "userId", _ID_LENGTH),
        email=email.lower() if email else None,
        ip_address=_text(data, "ipAddress", _IP_LENGTH),
        user_agent=_text(data, "userAgent"),
        timestamp=as_utc(event.time),
        recorded_at=recorded_at,
        correlation_id=_clip(event.correlationid, _CORRELATION_ID_LENGTH)
        or _text(data, "correlationId", _CORRELATION_ID_LENGTH),
        payload=redact(data),
        success=is_success(event.type),
    )


def as_utc(value: datetime) -> datetime:
    """Times without an offset are taken as UTC, the only zone events are written in."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _text(data: dict[str, Any], key: str, limit: int | None = None) -> str | None:
    value = data.get(key)
    return _clip(value, limit) if isinstance(value, str) else None


def _clip(value: str | None, limit: int | None) -> str | None:
    value = (value or "").strip()
    return value[:limit] if value else None
