"""``xshop dlq``: list and replay the embedded bus's dead letters (works while the shop runs)."""

from xshop.platform.events.bus import DeadLetter
from xshop.platform.settings import Settings
from xshop.runtime.embedded import inprocess_bus


async def list_dead_letters(settings: Settings, queue: str | None) -> list[DeadLetter]:
    bus = inprocess_bus(settings)
    try:
        await bus.declare()
        queues = [queue] if queue else await bus.queues()
        return [letter for name in queues for letter in await bus.dead_letters(name)]
    finally:
        await bus.db.dispose()


async def replay_dead_letters(settings: Settings, queue: str) -> int:
    bus = inprocess_bus(settings)
    try:
        await bus.declare()
        return await bus.replay(queue)
    finally:
        await bus.db.dispose()
