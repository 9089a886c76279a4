"""Inbox: a consumer records each event it applied, in the same transaction as the effect,
so a redelivered event has no second effect."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator

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

    async def record(self, session: AsyncSession, *events: CloudEvent) -> None:
        now = utcnow()
        await session.execute(
            insert(self.table),
            [
                {"consumer": self.consumer, "event_id": e.id, "event_type": e.type, "processed_at": now}
                for e in events
            ],
        )

    async def seen_among(self, session: AsyncSession, event_ids: list[str]) -> set[str]:
        rows = await session.scalars(
            select(self.table.c.event_id).where(
                self.table.c.consumer == self.consumer, self.table.c.event_id.in_(event_ids)
            )
        )
        return set(rows)


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


async def _apply_one(db: Database, inbox: Inbox, effect: Effect, event: CloudEvent) -> None:
    try:
        async with db.transaction() as session:
            try:
                await inbox.record(session, event)
            except IntegrityError as exc:
                raise _AlreadyApplied from exc
            await effect(session, event)
    except _AlreadyApplied:
        log.info("event %s already applied by %s", event.id, inbox.consumer)


class _Batch:
    """Events delivered together are applied in one transaction: one look-up of the ids already
    applied, one multi-row inbox insert, every effect, one commit. Any failure in the batch falls
    back to one transaction per event, so only the failing event is retried by the bus."""

    def __init__(self, db: Database, inbox: Inbox, effect: Effect, max_size: int) -> None:
        self.db = db
        self.inbox = inbox
        self.effect = effect
        self.max_size = max_size
        self.waiting: list[tuple[CloudEvent, asyncio.Future[None]]] = []
        self.flushing = False

    async def submit(self, event: CloudEvent) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.append((event, future))
        if not self.flushing:
            self.flushing = True
            asyncio.get_running_loop().create_task(self._flush())
        await future

    async def _flush(self) -> None:
        try:
            while self.waiting:
                batch, self.waiting = self.waiting[: self.max_size], self.waiting[self.max_size :]
                await self._apply(batch)
        finally:
            self.flushing = False

    async def _apply(self, batch: list[tuple[CloudEvent, asyncio.Future[None]]]) -> None:
        events = list({event.id: event for event, _ in batch}.values())
        try:
            async with self.db.transaction() as session:
                done = await self.inbox.seen_among(session, [e.id for e in events])
                fresh = [e for e in events if e.id not in done]
                if fresh:
                    await self.inbox.record(session, *fresh)
                for event in fresh:
                    with _event_context(event):
                        await self.effect(session, event)
        except Exception:  # isolate the culprit: each event in its own transaction, failures to the bus
            await asyncio.gather(*(self._apply_alone(event, future) for event, future in batch))
            return
        for _, future in batch:
            if not future.done():
                future.set_result(None)

    async def _apply_alone(self, event: CloudEvent, future: asyncio.Future[None]) -> None:
        try:
            with _event_context(event):
                await _apply_one(self.db, self.inbox, self.effect, event)
        except Exception as exc:  # handed to the waiting delivery, which the bus retries
            if not future.done():
                future.set_exception(exc)
            return
        if not future.done():
            future.set_result(None)


@contextlib.contextmanager
def _event_context(event: CloudEvent) -> Iterator[None]:
    token = correlation_id.set(event.correlationid)
    try:
        yield
    finally:
        correlation_id.reset(token)


def exactly_once(db: Database, inbox: Inbox, effect: Effect, *, max_batch: int = 200) -> Handler:
    """A handler that applies ``effect`` and records the event in the inbox in one transaction,
    so a redelivered event has no second effect. Concurrent deliveries share a transaction."""
    batch = _Batch(db, inbox, effect, max_batch)
    return batch.submit
