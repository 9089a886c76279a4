"""Transactional outbox: events are rows written in the same transaction as the state change."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from xshop.platform.clock import utcnow
from xshop.platform.context import ensure_correlation_id
from xshop.platform.db import after_commit
from xshop.platform.events.envelope import CloudEvent, EventData
from xshop.platform.types import UtcDateTime


def outbox_table(metadata: MetaData) -> Table:
    return Table(
        "outbox",
        metadata,
        Column("seq", Integer, primary_key=True, autoincrement=True),
        Column("event_id", String(100), nullable=False, unique=True),
        Column("event_type", String(200), nullable=False),
        Column("envelope", JSON, nullable=False),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("published_at", UtcDateTime(), nullable=True, index=True),
    )


class Outbox:
    """Writes a service's events into its ``outbox`` table; the relay publishes them later."""

    def __init__(self, table: Table, source: str) -> None:
        self.table = table
        self.source = source
        self._listeners: list[Callable[[], None]] = []

    def on_committed(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after a transaction that added events commits (the relay's wake-up)."""
        self._listeners.append(listener)

    async def add(self, session: AsyncSession, *events: EventData) -> list[CloudEvent]:
        envelopes = [
            CloudEvent(
                source=self.source,
                type=event.event_type,
                correlationid=ensure_correlation_id(),
                data=event.to_data(),
            )
            for event in events
        ]
        await self.add_envelopes(session, *envelopes)
        return envelopes

    async def add_envelopes(self, session: AsyncSession, *envelopes: CloudEvent) -> None:
        """Events already in their envelope (the events gateway's producers build their own)."""
        await session.execute(
            self.table.insert(),
            [
                {
                    "event_id": envelope.id,
                    "event_type": envelope.type,
                    "envelope": envelope.model_dump(mode="json"),
                    "created_at": envelope.time,
                }
                for envelope in envelopes
            ],
        )
        for listener in self._listeners:
            after_commit(session, listener)

    async def claim(self, session: AsyncSession, limit: int) -> list[tuple[int, CloudEvent]]:
        """Unpublished rows in order; locked so relays of other replicas skip them (PostgreSQL)."""
        rows = await session.execute(
            select(self.table.c.seq, self.table.c.envelope)
            .where(self.table.c.published_at.is_(None))
            .order_by(self.table.c.seq)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [(seq, CloudEvent.model_validate(envelope)) for seq, envelope in rows]

    async def mark_published(
        self, session: AsyncSession, seqs: list[int], when: datetime | None = None
    ) -> None:
        await session.execute(
            update(self.table).where(self.table.c.seq.in_(seqs)).values(published_at=when or utcnow())
        )

    async def pending(self, session: AsyncSession) -> int:
        count: Any = await session.scalar(
            select(func.count()).select_from(self.table).where(self.table.c.published_at.is_(None))
        )
        return int(count or 0)
