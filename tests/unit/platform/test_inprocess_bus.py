"""The in-process bus: routing, retries with backoff, dead letters, replay, durability across restart."""

from collections import Counter
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


async def test_routes_by_binding_to_every_matching_queue(tmp_path):
    bus = make_bus(tmp_path)
    seen: dict[str, list[str]] = {"audit": [], "mail": []}

    def recorder(queue):
        async def handle(e: CloudEvent) -> None:
            seen[queue].append(e.type)

        return handle

    bus.subscribe(Subscription("audit", ("#",), recorder("audit")))
    bus.subscribe(Subscription("mail", ("auth.email.#", "order.placed"), recorder("mail")))
    await bus.start()
    try:
        await bus.publish(
            [event("auth.email.verification.requested"), event("user.created"), event("order.placed")]
        )
        await eventually(lambda: len(seen["audit"]) == 3 and len(seen["mail"]) == 2)
        assert sorted(seen["mail"]) == ["auth.email.verification.requested", "order.placed"]
        await eventually(lambda: bus_is_empty(bus), what="acks")
    finally:
        await bus.close()
        await bus.db.dispose()


async def test_failing_handler_is_retried_then_dead_lettered_and_replay_delivers_once(tmp_path):
    bus = make_bus(tmp_path, attempts=3)
    calls: Counter[str] = Counter()
    broken = True

    async def handle(e: CloudEvent) -> None:
        calls[e.id] += 1
        if broken:
            raise RuntimeError("smtp is down")

    bus.subscribe(Subscription("q", ("x.#",), handle))
    await bus.start()
    try:
        sent = event("x.y")
        await bus.publish([sent])
        dead = await eventually(lambda: bus.dead_letters("q"), what="a dead letter")
        assert calls[sent.id] == 3
        assert dead[0].event.id == sent.id and dead[0].attempts == 3 and "smtp is down" in dead[0].error
        broken = False
        assert await bus.replay("q") == 1
        await eventually(lambda: calls[sent.id] == 4)
        assert await bus.dead_letters("q") == [] and await bus.backlog() == 0
        assert await bus.replay("q") == 0
    finally:
        await bus.close()
        await bus.db.dispose()


async def test_unconsumed_messages_survive_a_restart(tmp_path):
    first = make_bus(tmp_path)

    async def never_called(_: CloudEvent) -> None:
        raise AssertionError("the first process must not consume")

    first.subscribe(Subscription("q", ("#",), never_called))
    await first.start()
    await first.close()  # consumers stopped, bindings are durable
    await first.publish([event("a.b", 1), event("a.b", 2)])
    await first.db.dispose()

    second = make_bus(tmp_path)
    got: list[int] = []

    async def handle(e: CloudEvent) -> None:
        got.append(e.data["n"])

    second.subscribe(Subscription("q", ("#",), handle))
    await second.start()
    try:
        await eventually(lambda: sorted(got) == [1, 2])
    finally:
        await second.close()
        await second.db.dispose()


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
