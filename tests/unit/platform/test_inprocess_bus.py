"""In-process bus specifics (the shared behaviour is in tests/contract/test_event_bus.py)."""

from pathlib import Path

from tests.waiting import eventually
from xshop.platform.db import Database
from xshop.platform.events.bus import Subscription
from xshop.platform.events.envelope import CloudEvent
from xshop.platform.events.inprocess_bus import InProcessBus


def make_bus(path: Path, attempts: int = 3) -> InProcessBus:
    return InProcessBus(
        Database(f"sqlite+aiosqlite:///{path / 'bus.sqlite'}"),
        max_attempts=attempts,
        retry_base_seconds=0.02,
        retry_max_seconds=0.05,
        prefetch=4,
    )


def event(kind: str, n: int = 0) -> CloudEvent:
    return CloudEvent(source="test", type=kind, data={"n": n})


async def test_publishing_the_same_event_twice_queues_it_once(tmp_path):
    bus = make_bus(tmp_path)
    got: list[str] = []

    async def handle(e: CloudEvent) -> None:
        got.append(e.id)

    bus.subscribe(Subscription("q", ("#",), handle))
    await bus.start()
    try:
        e = event("a")
        await bus.publish([e, e])
        await bus.publish([e])
        await eventually(lambda: len(got) >= 1)
        await eventually(lambda: bus_is_empty(bus))
        assert got == [e.id]
    finally:
        await bus.close()
        await bus.db.dispose()


async def bus_is_empty(bus: InProcessBus) -> bool:
    return await bus.backlog() == 0
