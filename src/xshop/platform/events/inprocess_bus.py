"""The embedded runtime's event bus: in-process, with RabbitMQ's topic semantics, durable in SQLite.

Queues live in one SQLite file so events survive a restart exactly as they would in a durable
RabbitMQ queue: a message stays until its handler succeeds (ack) or it runs out of attempts (dead).
Broadcast subscriptions live in memory only, one queue per subscription, like RabbitMQ's exclusive
queues: they vanish with the bus and keep nothing across a restart.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    func,
    insert,
    select,
    update,
)

from xshop.platform.db import Database
from xshop.platform.events.bus import DeadLetter, Handler, Subscription, retry_delay, topic_matches
from xshop.platform.events.envelope import CloudEvent

log = logging.getLogger("xshop.bus")
READY, DEAD = "ready", "dead"

_metadata = MetaData()
bindings_table = Table(
    "bus_bindings",
    _metadata,
    Column("queue", String(200), primary_key=True),
    Column("pattern", String(200), primary_key=True),
)
messages_table = Table(
    "bus_messages",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("queue", String(200), nullable=False),
    Column("event_id", String(100), nullable=False),
    Column("envelope", JSON, nullable=False),
    Column("state", String(10), nullable=False, default=READY),
    Column("attempts", Integer, nullable=False, default=0),
    Column("available_at", Float, nullable=False),
    Column("last_error", Text),
    Column("failed_at", Float),
    UniqueConstraint("queue", "event_id"),
)


class InProcessBus:
    def __init__(
        self,
        db: Database,
        *,
        max_attempts: int,
        retry_base_seconds: float,
        retry_max_seconds: float,
        prefetch: int,
    ) -> None:
        self.db = db
        self.max_attempts = max_attempts
        self.retry_base = retry_base_seconds
        self.retry_max = retry_max_seconds
        self.prefetch = prefetch
        self._subscriptions: dict[str, Subscription] = {}
        self._broadcasts: list[Subscription] = []
        self._broadcast_queues: list[tuple[Subscription, asyncio.Queue[CloudEvent | None]]] = []
        self._bindings: dict[str, set[str]] = {}
        self._wakeups: dict[str, asyncio.Event] = {}
        self._consumers: list[asyncio.Task[None]] = []
        self._stopping = asyncio.Event()

    def subscribe(self, subscription: Subscription) -> None:
        if subscription.broadcast:
            self._broadcasts.append(subscription)
        else:
            self._subscriptions[subscription.queue] = subscription

    async def declare(self) -> None:
        """Create the bus's tables if this data directory has none yet."""
        async with self.db.engine.begin() as conn:
            await conn.run_sync(_metadata.create_all)

    async def start(self) -> None:
        await self.declare()
        async with self.db.transaction() as session:
            for sub in self._subscriptions.values():
                await session.execute(delete(bindings_table).where(bindings_table.c.queue == sub.queue))
                await session.execute(
                    insert(bindings_table), [{"queue": sub.queue, "pattern": p} for p in sub.bindings]
                )
            for queue in {sub.queue for sub in self._broadcasts} - set(self._subscriptions):
                await session.execute(delete(bindings_table).where(bindings_table.c.queue == queue))
                await session.execute(delete(messages_table).where(messages_table.c.queue == queue))
            rows = await session.execute(select(bindings_table))
            for queue, pattern in rows:
                self._bindings.setdefault(queue, set()).add(pattern)
        self._stopping.clear()
        for queue in self._subscriptions:
            self._wakeups[queue] = asyncio.Event()
            self._consumers.append(asyncio.create_task(self._consume(queue), name=f"consume:{queue}"))
        for sub in self._broadcasts:
            pending: asyncio.Queue[CloudEvent | None] = asyncio.Queue()
            self._broadcast_queues.append((sub, pending))
            self._consumers.append(
                asyncio.create_task(_consume_broadcast(sub, pending), name=f"broadcast:{sub.queue}")
            )

    async def close(self) -> None:
        self._stopping.set()
        for wakeup in self._wakeups.values():
            wakeup.set()
        for _, pending in self._broadcast_queues:
            pending.put_nowait(None)
        await asyncio.gather(*self._consumers, return_exceptions=True)
        self._consumers.clear()
        self._broadcast_queues.clear()

    async def publish(self, events: Sequence[CloudEvent]) -> None:
        now = time.time()
        rows = [
            {
                "queue": queue,
                "event_id": event.id,
                "envelope": event.model_dump(mode="json"),
                "state": READY,
                "attempts": 0,
                "available_at": now,
            }
            for event in events
            for queue, patterns in self._bindings.items()
            if any(topic_matches(p, event.type) for p in patterns)
        ]
        if rows:
            async with self.db.transaction() as session:
                await session.execute(insert(messages_table).prefix_with("OR IGNORE"), rows)
            for queue in {row["queue"] for row in rows}:
                if queue in self._wakeups:
                    self._wakeups[queue].set()
        for sub, pending in self._broadcast_queues:
            for event in events:
                if any(topic_matches(p, event.type) for p in sub.bindings):
                    pending.put_nowait(event)

    async def queues(self) -> list[str]:
        async with self.db.session() as session:
            rows = await session.execute(
                select(bindings_table.c.queue).distinct().order_by(bindings_table.c.queue)
            )
            return [queue for (queue,) in rows]

    async def dead_letters(self, queue: str) -> list[DeadLetter]:
        async with self.db.session() as session:
            rows = await session.execute(
                select(messages_table)
                .where(messages_table.c.queue == queue, messages_table.c.state == DEAD)
                .order_by(messages_table.c.id)
            )
            return [
                DeadLetter(
                    queue=row.queue,
                    event=CloudEvent.model_validate(row.envelope),
                    attempts=row.attempts,
                    error=row.last_error or "",
                    failed_at=datetime.fromtimestamp(row.failed_at or 0, UTC),
                )
                for row in rows
            ]

    async def replay(self, queue: str) -> int:
        async with self.db.transaction() as session:
            result = await session.execute(
                update(messages_table)
                .where(messages_table.c.queue == queue, messages_table.c.state == DEAD)
                .values(state=READY, attempts=0, available_at=time.time(), last_error=None, failed_at=None)
            )
        if queue in self._wakeups:
            self._wakeups[queue].set()
        return int(getattr(result, "rowcount", 0) or 0)

    async def ping(self) -> bool:
        return await self.db.ping()

    async def backlog(self) -> int:
        """Messages waiting or being handled, all queues (dead letters excluded)."""
        async with self.db.session() as session:
            count = await session.scalar(
                select(func.count()).select_from(messages_table).where(messages_table.c.state == READY)
            )
        return int(count or 0)

    async def _consume(self, queue: str) -> None:
        handler = self._subscriptions[queue].handler
        wakeup = self._wakeups[queue]
        in_flight: dict[int, asyncio.Task[None]] = {}
        while not self._stopping.is_set():
            wakeup.clear()
            free = self.prefetch - len(in_flight)
            due, next_at = await self._claim(queue, set(in_flight), free) if free > 0 else ([], None)
            for message_id, attempts, envelope in due:
                task = asyncio.create_task(self._deliver(queue, handler, message_id, attempts, envelope))
                in_flight[message_id] = task
                task.add_done_callback(lambda _, mid=message_id: (in_flight.pop(mid, None), wakeup.set()))
            if due and len(in_flight) < self.prefetch:
                continue
            timeout = 1.0 if next_at is None else max(0.0, min(1.0, next_at - time.time()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), timeout)
        if in_flight:
            await asyncio.gather(*in_flight.values(), return_exceptions=True)

    async def _claim(
        self, queue: str, skip: set[int], limit: int
    ) -> tuple[list[tuple[int, int, dict[str, object]]], float | None]:
        now = time.time()
        ready = (messages_table.c.queue == queue) & (messages_table.c.state == READY)
        async with self.db.session() as session:
            rows = await session.execute(
                select(messages_table.c.id, messages_table.c.attempts, messages_table.c.envelope)
                .where(ready, messages_table.c.available_at <= now, messages_table.c.id.not_in(skip))
                .order_by(messages_table.c.id)
                .limit(limit)
            )
            due = [(r.id, r.attempts, r.envelope) for r in rows]
            next_at = None
            if not due:
                next_at = await session.scalar(
                    select(messages_table.c.available_at)
                    .where(ready, messages_table.c.id.not_in(skip))
                    .order_by(messages_table.c.available_at)
                    .limit(1)
                )
        return due, next_at

    async def _deliver(
        self, queue: str, handler: Handler, message_id: int, attempts: int, envelope: dict[str, object]
    ) -> None:
        event = CloudEvent.model_validate(envelope)
        try:
            await handler(event)
        except Exception as exc:  # any handler failure is retried, then dead-lettered
            await self._nack(queue, message_id, attempts + 1, event, exc)
            return
        async with self.db.transaction() as session:
            await session.execute(delete(messages_table).where(messages_table.c.id == message_id))

    async def _nack(
        self, queue: str, message_id: int, attempts: int, event: CloudEvent, exc: Exception
    ) -> None:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        values: dict[str, object] = {"attempts": attempts, "last_error": error}
        if attempts >= self.max_attempts:
            values.update(state=DEAD, failed_at=time.time())
            log.error(
                "event %s (%s) dead-lettered on %s after %d attempts: %s",
                event.id,
                event.type,
                queue,
                attempts,
                error,
            )
        else:
            values["available_at"] = time.time() + retry_delay(attempts, self.retry_base, self.retry_max)
            log.warning(
                "event %s (%s) failed on %s, attempt %d: %s", event.id, event.type, queue, attempts, error
            )
        async with self.db.transaction() as session:
            await session.execute(
                update(messages_table).where(messages_table.c.id == message_id).values(**values)
            )


async def _consume_broadcast(sub: Subscription, pending: asyncio.Queue[CloudEvent | None]) -> None:
    """Hand each event to the handler once, in order, until ``None`` says the bus is closing."""
    while (event := await pending.get()) is not None:
        try:
            await sub.handler(event)
        except Exception as exc:  # best effort by contract: logged, never retried
            log.warning(
                "event %s (%s) failed on broadcast %s, not retried: %s",
                event.id,
                event.type,
                sub.queue,
                type(exc).__name__,
            )
