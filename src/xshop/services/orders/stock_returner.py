"""Retries giving back the stock of cancelled orders whose cancellation reached the catalog late
(catalog down at the time): on a timer until the catalog has taken every unit back."""

import asyncio
import contextlib
import logging

from xshop.services.orders.transitions import StatusChanges

log = logging.getLogger("xshop.orders")


class StockReturner:
    def __init__(self, changes: StatusChanges, interval_seconds: float) -> None:
        self.changes = changes
        self.interval = interval_seconds
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="sweeper:orders-stock-returns")

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def run_once(self) -> int:
        returned = 0
        for order_id, reservation_id in await self.changes.pending_returns():
            returned += await self.changes.return_stock(order_id, reservation_id)
        return returned

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                returned = await self.run_once()
                if returned:
                    log.info("returned the stock of %d cancelled orders", returned)
            except Exception:  # the database may be briefly unavailable: try again next round
                log.warning("returning the stock of cancelled orders failed; retrying", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.interval)
