"""The BFF's in-process cache of public catalogue answers (product list, product, categories).

Browsing is most of the shop's traffic and the same few pages are asked for again and again, so the
BFF keeps the catalog's answers rather than calling the service each time. An answer is dropped
when an admin write passes through this BFF and when a ``product.*`` or ``inventory.*`` event
arrives (a write through another replica or process). Changes that publish no event, such as stock
held by reservations, show within ``ttl_seconds`` plus one call to the catalog: an answer that old
is still served while a single call in the background replaces it, so no request waits for the
refresh. Past twice the TTL (the catalog is down, say) requests wait for a fresh answer again.
Concurrent misses for one key share one call.
"""

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from xshop.platform.events.envelope import CloudEvent

Key = tuple[str, bytes]
"""The catalog path and the query string as the client sent it."""
Fetch = Callable[[], Awaitable["Answer"]]


@dataclass(frozen=True)
class Answer:
    body: bytes
    etag: str


class CatalogCache:
    def __init__(
        self, ttl_seconds: float, *, capacity: int = 512, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl_seconds
        self.capacity = capacity
        self._clock = clock
        self._answers: OrderedDict[Key, tuple[float, Answer]] = OrderedDict()
        self._pending: dict[Key, asyncio.Task[Answer]] = {}
        self._generation = 0

    async def get(self, key: Key, fetch: Fetch) -> Answer:
        if self.ttl <= 0:
            return await fetch()
        stored = self._answers.get(key)
        if stored is not None:
            age = self._clock() - stored[0]
            if age < 2 * self.ttl:
                self._answers.move_to_end(key)
                if age >= self.ttl:
                    self._filling(key, fetch)
                return stored[1]
        # Shielded: one waiter giving up (a client gone) must not cancel the call the others wait for.
        return await asyncio.shield(self._filling(key, fetch))

    def clear(self) -> None:
        self._answers.clear()
        self._pending.clear()
        self._generation += 1

    async def on_event(self, event: CloudEvent) -> None:
        self.clear()

    def __len__(self) -> int:
        return len(self._answers)

    def _filling(self, key: Key, fetch: Fetch) -> asyncio.Task[Answer]:
        """The call in progress for ``key``, started if there is none."""
        pending = self._pending.get(key)
        if pending is None:
            pending = asyncio.get_running_loop().create_task(self._fill(key, fetch))
            pending.add_done_callback(_retrieve_outcome)
            self._pending[key] = pending
        return pending

    async def _fill(self, key: Key, fetch: Fetch) -> Answer:
        generation = self._generation
        try:
            answer = await fetch()
        finally:
            if self._pending.get(key) is asyncio.current_task():
                del self._pending[key]
        # An answer fetched while a write cleared the cache may predate the write: use it, don't keep it.
        if generation == self._generation:
            self._answers[key] = (self._clock(), answer)
            self._answers.move_to_end(key)
            while len(self._answers) > self.capacity:
                self._answers.popitem(last=False)
        return answer


def _retrieve_outcome(task: asyncio.Task[Answer]) -> None:
    """Marks a failure as seen even if nobody waited for it, so asyncio does not report it as lost."""
    if not task.cancelled():
        task.exception()
