"""Use cases of the notifications service: mail what events ask for, once, logging every attempt.

The SMTP send cannot join a database transaction, so delivery runs in three steps: claim the email
log row (one transaction), send (no transaction open), record the outcome and the inbox entry (one
transaction). Once a send is recorded, no redelivery of the event sends again; while one is under
way, its claim makes concurrent deliveries of the same event back off. A send whose outcome could not
be recorded (crash, database down) is repeated, with the same Message-ID, once its claim lapses.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from xshop.platform.clock import Clock, utcnow
from xshop.platform.db import Database
from xshop.platform.events.envelope import CloudEvent
from xshop.platform.events.inbox import Inbox
from xshop.platform.mail.sender import MailDeliveryError, SmtpSender
from xshop.platform.pagination import PageParams, fetch_page
from xshop.services.notifications.emails import COMPOSERS, OutgoingEmail
from xshop.services.notifications.models import EmailAttempt, EmailLog, EmailStatus

log = logging.getLogger("xshop.notifications")
CONSUMER = "notifications"
_MAX_ERROR = 500


class EmailInFlight(Exception):
    """Another delivery of the same event is sending its email now; the bus retries this one later."""


@dataclass(frozen=True)
class LogFilters:
    to: str | None = None
    type: str | None = None
    status: EmailStatus | None = None
    correlation_id: str | None = None


class NotificationsService:
    def __init__(
        self,
        db: Database,
        inbox: Inbox,
        sender: SmtpSender,
        company_name: str,
        *,
        claim_seconds: float,
        clock: Clock = utcnow,
    ) -> None:
        self.db = db
        self.inbox = inbox
        self.sender = sender
        self.company_name = company_name
        self.claim = timedelta(seconds=claim_seconds)
        self.clock = clock
        self.mail_domain = parseaddr(sender.mail_from)[1].rpartition("@")[2] or "xshop.local"

    async def handle(self, event: CloudEvent) -> None:
        """The queue's handler: compose the event's email and deliver it."""
        compose = COMPOSERS.get(event.type)
        if compose is None:
            log.warning("no email for event type %s; event %s acknowledged", event.type, event.id)
            return
        await self.deliver(event, compose(event, self.company_name))

    async def deliver(self, event: CloudEvent, email: OutgoingEmail) -> None:
        claimed = await self._claim(event, email)
        if claimed is None:
            return
        log_id, message_id = claimed
        started = self.clock()
        try:
            await self.sender.send(
                to=email.to, subject=email.subject, html=email.html, text=email.text, message_id=message_id
            )
        except MailDeliveryError as exc:
            await self._record(event, log_id, started, error=str(exc)[:_MAX_ERROR])
            log.warning("%s email %s for event %s failed: %s", email.type, log_id, event.id, exc)
            raise
        await self._record(event, log_id, started, error=None)
        log.info("%s email %s for event %s sent", email.type, log_id, event.id)

    async def _claim(self, event: CloudEvent, email: OutgoingEmail) -> tuple[str, str] | None:
        """The log row's id and Message-ID when this delivery should send; None when nothing is left to do."""
        now = self.clock()
        try:
            async with self.db.transaction() as session:
                if await self.inbox.seen(session, event.id):
                    return None
                row = await session.scalar(
                    select(EmailLog).where(EmailLog.event_id == event.id).with_for_update()
                )
                if row is None:
                    row = self._new_log(event, email, now)
                    session.add(row)
                    await session.flush()
                elif row.status == EmailStatus.SENT:
                    await self.inbox.record(session, event)
                    return None
                elif row.claimed_at is not None and now - row.claimed_at < self.claim:
                    raise EmailInFlight(f"email {row.id} for event {event.id} is being sent")
                else:
                    row.claimed_at = now
                return row.id, row.message_id
        except IntegrityError as exc:
            # A concurrent delivery wrote first (unique event_id, inbox key); it carries the event on.
            raise EmailInFlight(f"a concurrent delivery of event {event.id} got there first") from exc

    def _new_log(self, event: CloudEvent, email: OutgoingEmail, now: datetime) -> EmailLog:
        return EmailLog(
            id=str(uuid.uuid4()),
            event_id=event.id,
            type=email.type,
            to=email.to.strip().lower(),
            subject=email.subject,
            status=EmailStatus.PENDING,
            attempts=0,
            last_error=None,
            # Derived from the event, so every resend of this email carries the same Message-ID.
            message_id=f"<{event.id}.{email.type}@{self.mail_domain}>",
            correlation_id=email.correlation_id or event.correlationid,
            claimed_at=now,
            sent_at=None,
            created_at=now,
            updated_at=now,
        )

    async def _record(self, event: CloudEvent, log_id: str, started: datetime, *, error: str | None) -> None:
        now = self.clock()
        async with self.db.transaction() as session:
            row = await session.get(EmailLog, log_id, with_for_update=True)
            assert row is not None, "email log rows are never deleted"
            row.attempts += 1
            row.updated_at = now
            row.claimed_at = None
            session.add(
                EmailAttempt(
                    id=str(uuid.uuid4()),
                    email_log_id=row.id,
                    attempt=row.attempts,
                    attempted_at=started,
                    outcome=EmailStatus.FAILED if error else EmailStatus.SENT,
                    error=error,
                )
            )
            if error is not None:
                row.last_error = error
                if row.status != EmailStatus.SENT:  # a delivery that took over a lapsed claim sent it
                    row.status = EmailStatus.FAILED
                return
            row.status = EmailStatus.SENT
            row.sent_at = row.sent_at or now
            if not await self.inbox.seen(session, event.id):
                await self.inbox.record(session, event)

    async def list_logs(self, filters: LogFilters, params: PageParams) -> tuple[list[EmailLog], int]:
        query = (
            select(EmailLog)
            .options(selectinload(EmailLog.history))
            .order_by(EmailLog.created_at.desc(), EmailLog.id.desc())
        )
        if filters.to:
            query = query.where(EmailLog.to == filters.to.strip().lower())
        if filters.type:
            query = query.where(EmailLog.type == filters.type)
        if filters.status:
            query = query.where(EmailLog.status == filters.status)
        if filters.correlation_id:
            query = query.where(EmailLog.correlation_id == filters.correlation_id)
        async with self.db.session() as session:
            return await fetch_page(session, query, params)
