"""``xshop dlq``: list and replay dead letters, on the embedded bus or on RabbitMQ (XSHOP_BROKER_URL)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from xshop.platform.events.bus import DeadLetter, EventBus
from xshop.platform.settings import Settings
from xshop.runtime.distributed import rabbitmq_bus
from xshop.runtime.embedded import inprocess_bus
from xshop.runtime.registry import services


@asynccontextmanager
async def _connected_bus(settings: Settings) -> AsyncIterator[EventBus]:
    if not settings.broker_url:
        local = inprocess_bus(settings)
        try:
            await local.declare()
            yield local
        finally:
            await local.db.dispose()
        return
    broker = rabbitmq_bus(settings)
    units = [build(settings, broker, _no_calls) for build in services().values()]
    for unit in units:
        for subscription in unit.subscriptions:
            broker.subscribe(subscription)
    try:
        await broker.connect()
        yield broker
    finally:
        await broker.close()
        for unit in units:
            await unit.close()


def _no_calls(service: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=f"http://{service}.invalid")


class UnknownQueue(LookupError):
    def __init__(self, queue: str, known: list[str]) -> None:
        super().__init__(f"no queue {queue!r}; one of: {', '.join(known)}")


async def list_dead_letters(settings: Settings, queue: str | None) -> list[DeadLetter]:
    async with _connected_bus(settings) as bus:
        known = await bus.queues()
        if queue is not None and queue not in known:
            raise UnknownQueue(queue, known)
        queues = [queue] if queue else known
        return [letter for name in queues for letter in await bus.dead_letters(name)]


async def replay_dead_letters(settings: Settings, queue: str) -> int:
    async with _connected_bus(settings) as bus:
        known = await bus.queues()
        if queue not in known:
            raise UnknownQueue(queue, known)
        return await bus.replay(queue)
