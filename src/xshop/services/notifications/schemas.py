"""Response models of the notifications API (camelCase on the wire)."""

from datetime import datetime

from xshop.platform.schemas import CamelModel
from xshop.services.notifications.models import EmailLog, EmailStatus


class EmailAttemptPublic(CamelModel):
    attempt: int
    attempted_at: datetime
    outcome: str
    error: str | None


class EmailLogPublic(CamelModel):
    id: str
    event_id: str
    type: str
    to: str
    subject: str
    status: EmailStatus
    attempts: int
    last_error: str | None
    message_id: str
    correlation_id: str | None
    sent_at: datetime | None
    created_at: datetime
    updated_at: datetime
    attempt_log: list[EmailAttemptPublic]

    @classmethod
    def of(cls, row: EmailLog) -> "EmailLogPublic":
        return cls(
            id=row.id,
            event_id=row.event_id,
            type=row.type,
            to=row.to,
            subject=row.subject,
            status=EmailStatus(row.status),
            attempts=row.attempts,
            last_error=row.last_error,
            message_id=row.message_id,
            correlation_id=row.correlation_id,
            sent_at=row.sent_at,
            created_at=row.created_at,
            updated_at=row.updated_at,
            attempt_log=[EmailAttemptPublic.model_validate(a, from_attributes=True) for a in row.history],
        )
