"""The event bus interface. Adapters: in-process (embedded) and RabbitMQ (distributed).

Semantics are RabbitMQ's: a topic exchange routes each event by its ``type`` to every queue with a
matching binding (``*`` one word, ``#`` zero or more); each queue delivers at least once, retries a
failing handler with growing delays and, after the last attempt, moves the event to its dead letters.

A broadcast subscription is the exception: every bus instance (every replica of a service) gets its
own short-lived queue, so each one receives every matching event while it runs. Nothing is kept for
an instance that is down, a failing handler is logged and not retried, and there are no dead
letters: it suits best-effort, idempotent work such as clearing a local cache.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Protocol

from xshop.platform.events.envelope import CloudEvent

Handler = Callable[[CloudEvent], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    queue: str
    bindings: tuple[str, ...]
    handler: Handler
    broadcast: bool = False
    """One queue per bus instance, deleted with it, instead of the durable queue all replicas share."""


@dataclass(frozen=True)
class DeadLetter:
    queue: str
    event: CloudEvent
    attempts: int
    error: str
    failed_at: datetime


class EventBus(Protocol):
    def subscribe(self, subscription: Subscription) -> None:
        """Declare a queue with its bindings and consume it; call before ``start``. A durable queue
        replaced by a broadcast subscription of the same name is deleted on ``start`` unless another
        process still consumes it, so it does not fill up with events nobody reads."""

    async def start(self) -> None: ...

    async def close(self) -> None:
        """Stop consuming once in-flight handlers finish; release connections."""

    async def publish(self, events: Sequence[CloudEvent]) -> None:
        """Return only once the bus has stored every event (publisher confirms)."""

    async def queues(self) -> list[str]:
        """Every declared durable queue (broadcast queues have no dead letters)."""

    async def dead_letters(self, queue: str) -> list[DeadLetter]: ...

    async def replay(self, queue: str) -> int:
        """Move a queue's dead letters back onto it; returns how many."""

    async def ping(self) -> bool: ...


@lru_cache(maxsize=4096)
def topic_matches(pattern: str, routing_key: str) -> bool:
    return _match(tuple(pattern.split(".")), tuple(routing_key.split(".")))


def _match(pattern: tuple[str, ...], words: tuple[str, ...]) -> bool:
    if not pattern:
        return not words
    head, rest = pattern[0], pattern[1:]
    if head == "#":
        return any(_match(rest, words[i:]) for i in range(len(words) + 1))
    if not words:
        return False
    return (head == "*" or head == words[0]) and _match(rest, words[1:])


def retry_delay(attempt: int, base: float, cap: float) -> float:
    """Exponential backoff: base, 2·base, 4·base … capped."""
    return float(min(cap, base * 2 ** max(0, attempt - 1)))
