"""Inbox: a consumer records each event it applied, in the same transaction as the effect,
so a redelivered event has no second effect."""

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import Column, MetaData, String, Table, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from xshop.platform.clock import utcnow
from xshop.platform.context import correlation_id, current_service
from xshop.platform.db import Database
from xshop.platform.events.bus import Handler
from xshop.platform.events.envelope import CloudEvent
from xshop.platform.types import UtcDateTime

log = logging.getLogger("xshop.events")
Effect = Callable[[AsyncSession, CloudEvent], Awaitable[None]]


def inbox_table(metadata: MetaData) -> Table:
    return Table(
        "inbox",
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("event_id", String(100), primary_key=True),
        Column("event_type", String(200), nullable=False),
        Column("processed_at", UtcDateTime(), nullable=False),
    )


class Inbox:
    def __init__(self, table: Table, consumer: str) -> None:
        self.table = table
        self.consumer = consumer

    async def seen(self, session: AsyncSession, event_id: str) -> bool:
        found = await session.scalar(
            select(self.table.c.event_id).where(
                self.table.c.consumer == self.consumer, self.table.c.event_id == event_id
            )
        )
        return found is not None

    async def record(self, session: AsyncSession, event: CloudEvent) -> None:
        await session.execute(
            insert(self.table).values(
                consumer=self.consumer, event_id=event.id, event_type=event.type, processed_at=utcnow()
            )
        )


def in_event_context(service: str, handler: Handler) -> Handler:
    """Run ``handler`` with the event's correlation id and the consuming service in every log line."""

    async def handle(event: CloudEvent) -> None:
        service_token = current_service.set(service)
        cid_token = correlation_id.set(event.correlationid)
        try:
            await handler(event)
        finally:
            correlation_id.reset(cid_token)
            current_service.reset(service_token)

    return handle


class _AlreadyApplied(Exception):
    pass


def exactly_once(db: Database, inbox: Inbox, effect: Effect) -> Handler:
    """Record the event, then apply ``effect``, in one transaction; a recorded event is skipped.

    Recording first lets the inbox's primary key detect a duplicate without a separate lookup."""

    async def handle(event: CloudEvent) -> None:
        try:
            async with db.transaction() as session:
                try:
                    await inbox.record(session, event)
                except IntegrityError as exc:
                    raise _AlreadyApplied from exc
                await effect(session, event)
        except _AlreadyApplied:
            log.info("event %s already applied by %s", event.id, inbox.consumer)

    return handle
