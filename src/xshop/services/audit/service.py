"""Use cases of the audit service: record an event (inside the inbox transaction) and search the trail."""

import logging
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from xshop.platform.clock import Clock, utcnow
from xshop.platform.db import Database, after_commit
from xshop.platform.errors import not_found
from xshop.platform.events.envelope import CloudEvent
from xshop.platform.pagination import PageParams, fetch_page
from xshop.services.audit.entries import entry_from
from xshop.services.audit.models import AuditLog
from xshop.services.audit.schemas import AuditFilters

log = logging.getLogger("xshop.audit")


class AuditService:
    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock

    async def record(self, session: AsyncSession, event: CloudEvent) -> None:
        """The inbox effect: the caller's transaction also marks the event as applied."""
        entry = entry_from(event, self.clock())
        session.add(entry)
        # Confirmed only once committed: a rolled-back entry will be retried, not recorded.
        after_commit(session, lambda: log.info("recorded %s %s as %s", event.type, event.id, entry.action))

    async def search(self, filters: AuditFilters, page: PageParams) -> tuple[list[AuditLog], int]:
        query = (
            select(AuditLog)
            .where(*_conditions(filters))
            .order_by(AuditLog.timestamp.desc(), AuditLog.id.desc())
        )
        async with self.db.session() as session:
            return await fetch_page(session, query, page)

    async def get(self, log_id: str) -> AuditLog:
        async with self.db.session() as session:
            entry = await session.get(AuditLog, log_id)
        if entry is None:
            raise not_found("Audit log")
        return entry


def _conditions(filters: AuditFilters) -> list[ColumnElement[bool]]:
    equal: list[tuple[Any, object]] = [
        (AuditLog.user_id, filters.user_id),
        (AuditLog.email, filters.email),
        (AuditLog.event_type, filters.event_type),
        (AuditLog.action, filters.action),
        (AuditLog.correlation_id, filters.correlation_id),
        (AuditLog.ip_address, filters.ip_address),
        (AuditLog.success, filters.success),
    ]
    conditions = [column == value for column, value in equal if value is not None]
    if filters.start is not None:
        conditions.append(AuditLog.timestamp >= filters.start)
    if filters.end is not None:
        conditions.append(AuditLog.timestamp <= filters.end)
    return conditions
