"""The outbox relay: publishes committed outbox rows to the bus and marks them published, and reports
its lag (rows waiting, age of the oldest) as metrics after every pass."""

import asyncio
import contextlib
import logging

from sqlalchemy import func, select

from xshop.platform.clock import Clock, utcnow
from xshop.platform.db import Database
from xshop.platform.events.bus import EventBus
from xshop.platform.events.outbox import Outbox
from xshop.platform.metrics import ServiceMetrics

log = logging.getLogger("xshop.relay")


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        outbox: Outbox,
        bus: EventBus,
        metrics: ServiceMetrics,
        *,
        batch_size: int,
        poll_seconds: float,
        clock: Clock = utcnow,
    ) -> None:
        self.db = db
        self.outbox = outbox
        self.bus = bus
        self.metrics = metrics
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.clock = clock
        self._wakeup = asyncio.Event()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        outbox.on_committed(self.wake)

    def wake(self) -> None:
        self._wakeup.set()

    def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name=f"relay:{self.outbox.source}")

    async def stop(self) -> None:
        """Stop after the batch in progress, if any."""
        self._stopping.set()
        self._wakeup.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def relay_once(self) -> int:
        async with self.db.transaction() as session:
            claimed = await self.outbox.claim(session, self.batch_size)
            if not claimed:
                return 0
            await self.bus.publish([event for _, event in claimed])
            await self.outbox.mark_published(session, [seq for seq, _ in claimed])
        self.metrics.events_published.inc(len(claimed))
        return len(claimed)

    async def _run(self) -> None:
        while not self._stopping.is_set():
            self._wakeup.clear()
            try:
                published = await self.relay_once()
            except Exception:  # broker or database down: keep the rows, try again after a pause
                log.warning("outbox relay failed; retrying", exc_info=True)
                published = 0
            await self.report_lag()
            if published == self.batch_size:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), self.poll_seconds)

    async def report_lag(self) -> None:
        """Counted over the whole table, not this relay's claims: rows other replicas hold are lag too,
        and every replica's /metrics then tells the same story."""
        table = self.outbox.table
        try:
            async with self.db.session() as session:
                pending, oldest = (
                    await session.execute(
                        select(func.count(), func.min(table.c.created_at)).where(
                            table.c.published_at.is_(None)
                        )
                    )
                ).one()
        except Exception:  # database down: the pass itself failed and logged it; keep the last values
            return
        self.metrics.outbox_pending.set(pending)
        age = (self.clock() - oldest).total_seconds() if oldest is not None else 0.0
        self.metrics.outbox_oldest_age.set(max(age, 0.0))
