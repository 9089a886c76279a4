"""Tables of the audit service only: the audit trail and the consumer inbox."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from xshop.platform.events.inbox import inbox_table
from xshop.platform.types import UtcDateTime


class Base(DeclarativeBase):
    pass


class AuditLog(Base):
    """One event as recorded: searchable columns extracted from it plus its redacted payload."""

    __tablename__ = "audit_logs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(100), unique=True)
    event_type: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[str | None] = mapped_column(String(100), index=True)
    # Indexed although the seed's schema does not: "failed logins for this address" is a core search.
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    ip_address: Mapped[str | None] = mapped_column(String(64), index=True)
    user_agent: Mapped[str | None] = mapped_column(Text)
    timestamp: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    correlation_id: Mapped[str | None] = mapped_column(String(128), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    success: Mapped[bool] = mapped_column(Boolean)


inbox = inbox_table(Base.metadata)
