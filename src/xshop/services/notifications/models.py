"""Tables of the notifications service only: one log row per email, its attempts, and the inbox."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from xshop.platform.events.inbox import inbox_table
from xshop.platform.types import UtcDateTime


class Base(DeclarativeBase):
    pass


class EmailStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class EmailLog(Base):
    """The email an event asked for; at most one per event.

    ``status`` is the outcome so far: ``pending`` (not tried yet), ``failed`` (the bus will retry) or
    ``sent`` (final). ``claimed_at`` marks a send under way, so a concurrent delivery of the same event
    waits instead of sending twice; the claim lapses if its sender crashed.
    """

    __tablename__ = "email_logs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    type: Mapped[str] = mapped_column(String(50))
    to: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(255))
    correlation_id: Mapped[str | None] = mapped_column(String(128), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    history: Mapped[list["EmailAttempt"]] = relationship(
        order_by="EmailAttempt.attempt", lazy="raise", passive_deletes=True
    )


class EmailAttempt(Base):
    __tablename__ = "email_attempts"
    __table_args__ = (UniqueConstraint("email_log_id", "attempt"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    email_log_id: Mapped[str] = mapped_column(ForeignKey("email_logs.id", ondelete="CASCADE"), index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    outcome: Mapped[str] = mapped_column(String(10))
    error: Mapped[str | None] = mapped_column(Text)


inbox = inbox_table(Base.metadata)
