"""Releases expired reservations on a timer, so their units show as available again in listings
even when no one reserves (reserving also releases them first)."""

import asyncio
import contextlib
import logging

from xshop.services.catalog.reservations import ReservationService

log = logging.getLogger("xshop.catalog")


class ReservationSweeper:
    def __init__(self, reservations: ReservationService, interval_seconds: float) -> None:
        self.reservations = reservations
        self.interval = interval_seconds
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="sweeper:catalog-reservations")

    async def stop(self) -> None:
        """Stop after the sweep in progress, if any; harmless when not running."""
        self._stopping.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                expired = await self.reservations.expire_due()
            except Exception:  # the database may be briefly unavailable: try again next round
                log.warning("releasing expired reservations failed; retrying", exc_info=True)
                expired = 0
            if expired:
                log.info("released %d expired reservations", expired)
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.interval)
