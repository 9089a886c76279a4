"""One behavioural suite for every EventBus adapter: the in-process bus and RabbitMQ."""

import uuid
from collections import Counter
from collections.abc import Callable

import aio_pika
import pytest
from sqlalchemy import select

from tests.infra import RABBITMQ_URL, require
from tests.waiting import eventually
from xshop.platform.db import Database
from xshop.platform.events.bus import EventBus, Subscription
from xshop.platform.events.envelope import CloudEvent
from xshop.platform.events.inprocess_bus import InProcessBus, bindings_table, messages_table
from xshop.platform.events.rabbitmq_bus import RabbitMqBus


@pytest.fixture(params=["inprocess", "rabbitmq"])
async def bus_factory(request, tmp_path):
    """Makes buses that share one broker (or one bus file), so a test can restart its bus."""
    run = uuid.uuid4().hex[:8]
    made: list[EventBus] = []
    queues: list[str] = []
    if request.param == "rabbitmq":
        require("RabbitMQ", 5672)

    def factory(attempts: int = 3) -> EventBus:
        options = {
            "max_attempts": attempts,
            "retry_base_seconds": 0.05,
            "retry_max_seconds": 0.1,
            "prefetch": 4,
        }
        if request.param == "inprocess":
            bus: EventBus = InProcessBus(
                Database(f"sqlite+aiosqlite:///{tmp_path / 'bus.sqlite'}"), **options
            )
        else:
            bus = RabbitMqBus(RABBITMQ_URL, exchange=f"test.{run}", **options)
        made.append(bus)
        return bus

    def queue(name: str) -> str:
        queues.append(f"{name}-{run}")
        return queues[-1]

    factory.queue = queue  # type: ignore[attr-defined]
    yield factory
    for bus in made:
        await bus.close()
        if isinstance(bus, InProcessBus):
            await bus.db.dispose()
    if request.param == "rabbitmq":
        await _delete_rabbitmq_topology(f"test.{run}", queues)


async def _delete_rabbitmq_topology(exchange: str, queues: list[str]) -> None:
    connection = await aio_pika.connect(RABBITMQ_URL)
    async with connection:
        channel = await connection.channel()
        for name in queues:
            for suffix in ("", ".dlq", ".retry.50", ".retry.100"):
                await channel.queue_delete(name + suffix)
        await channel.exchange_delete(exchange)


def event(kind: str, n: int = 0) -> CloudEvent:
    return CloudEvent(source="test", type=kind, data={"n": n})


async def test_routes_by_binding_to_every_matching_queue(bus_factory: Callable[..., EventBus]):
    bus = bus_factory()
    seen: dict[str, list[str]] = {"audit": [], "mail": []}

    def recorder(name: str):
        async def handle(e: CloudEvent) -> None:
            seen[name].append(e.type)

        return handle

    bus.subscribe(Subscription(bus_factory.queue("audit"), ("#",), recorder("audit")))
    bus.subscribe(Subscription(bus_factory.queue("mail"), ("auth.email.#", "order.placed"), recorder("mail")))
    await bus.start()
    await bus.publish(
        [event("auth.email.verification.requested"), event("user.created"), event("order.placed")]
    )
    await eventually(lambda: len(seen["audit"]) == 3 and len(seen["mail"]) == 2, what="deliveries")
    assert sorted(seen["mail"]) == ["auth.email.verification.requested", "order.placed"]
    assert sorted(seen["audit"]) == ["auth.email.verification.requested", "order.placed", "user.created"]


async def test_failing_handler_is_retried_then_dead_lettered_and_replay_delivers_once(bus_factory):
    bus = bus_factory(attempts=3)
    queue = bus_factory.queue("q")
    calls: Counter[str] = Counter()
    broken = True

    async def handle(e: CloudEvent) -> None:
        calls[e.id] += 1
        if broken:
            raise RuntimeError("smtp is down")

    bus.subscribe(Subscription(queue, ("x.#",), handle))
    await bus.start()
    sent = event("x.y")
    await bus.publish([sent])
    dead = await eventually(lambda: bus.dead_letters(queue), what="a dead letter")
    assert calls[sent.id] == 3
    assert dead[0].event.id == sent.id and dead[0].attempts == 3 and "smtp is down" in dead[0].error
    assert len(await bus.dead_letters(queue)) == 1, "listing must not consume dead letters"
    broken = False
    assert await bus.replay(queue) == 1
    await eventually(lambda: calls[sent.id] == 4, what="the replayed delivery")
    assert await bus.dead_letters(queue) == []
    assert await bus.replay(queue) == 0


async def test_events_published_while_no_consumer_runs_are_delivered_later(bus_factory):
    queue = bus_factory.queue("q")

    async def never(_: CloudEvent) -> None:
        raise AssertionError("not this consumer")

    declaring = bus_factory()
    declaring.subscribe(Subscription(queue, ("a.#",), never))
    await declaring.start()
    await declaring.close()

    publisher = bus_factory()
    await publisher.start()
    await publisher.publish([event("a.b", 1), event("a.b", 2), event("other", 3)])
    await publisher.close()

    got: list[int] = []

    async def handle(e: CloudEvent) -> None:
        got.append(e.data["n"])

    consumer = bus_factory()
    consumer.subscribe(Subscription(queue, ("a.#",), handle))
    await consumer.start()
    await eventually(lambda: sorted(got) == [1, 2], what="both events after the restart")


async def test_ping_reflects_the_connection(bus_factory):
    bus = bus_factory()
    await bus.start()
    assert await bus.ping() is True


def recording(into: list[int]):
    async def handle(e: CloudEvent) -> None:
        into.append(e.data["n"])

    return handle


async def test_broadcast_subscribers_each_receive_every_event_and_durable_queues_still_share(bus_factory):
    bus = bus_factory()
    cache, first, second = bus_factory.queue("cache"), [], []
    durable: list[int] = []
    bus.subscribe(Subscription(cache, ("product.*",), recording(first), broadcast=True))
    bus.subscribe(Subscription(cache, ("product.*",), recording(second), broadcast=True))
    bus.subscribe(Subscription(bus_factory.queue("durable"), ("product.*",), recording(durable)))
    await bus.start()
    await bus.publish([event("product.updated", n) for n in range(5)] + [event("order.placed", 9)])
    await eventually(lambda: len(first) == len(second) == len(durable) == 5, what="every delivery")
    assert first == second == [0, 1, 2, 3, 4]
    assert sorted(durable) == [0, 1, 2, 3, 4]
    assert cache not in await bus.queues(), "broadcast queues have no dead letters to list"


async def test_a_failing_broadcast_handler_is_neither_retried_nor_dead_lettered(bus_factory):
    bus = bus_factory(attempts=3)
    cache = bus_factory.queue("cache")
    calls: Counter[int] = Counter()

    async def handle(e: CloudEvent) -> None:
        calls[e.data["n"]] += 1
        if e.data["n"] == 0:
            raise RuntimeError("cache is broken")

    bus.subscribe(Subscription(cache, ("x.#",), handle, broadcast=True))
    await bus.start()
    await bus.publish([event("x.y", 0), event("x.y", 1)])
    await eventually(lambda: calls[1] == 1, what="the event after the failure")
    await bus.publish([event("x.y", 2)])
    await eventually(lambda: calls[2] == 1, what="a later event")
    assert calls[0] == 1
    assert cache not in await bus.queues()
    assert await bus.dead_letters(cache) == []


async def test_each_replica_gets_every_broadcast_while_replicas_share_a_durable_queue(bus_factory, request):
    if "inprocess" in request.node.callspec.id:
        pytest.skip("the embedded bus serves one process: there are no replicas to share a queue")
    cache, orders = bus_factory.queue("cache"), bus_factory.queue("orders")
    seen: dict[str, list[int]] = {}
    for replica in ("a", "b"):
        bus = bus_factory()
        seen[f"cache-{replica}"], seen[f"orders-{replica}"] = [], []
        bus.subscribe(
            Subscription(cache, ("product.*",), recording(seen[f"cache-{replica}"]), broadcast=True)
        )
        bus.subscribe(Subscription(orders, ("product.*",), recording(seen[f"orders-{replica}"])))
        await bus.start()
    publisher = bus_factory()
    await publisher.start()
    await publisher.publish([event("product.updated", n) for n in range(20)])
    await eventually(
        lambda: (
            len(seen["cache-a"]) == len(seen["cache-b"]) == 20
            and len(seen["orders-a"]) + len(seen["orders-b"]) == 20
        ),
        what="every delivery",
    )
    assert seen["cache-a"] == seen["cache-b"] == list(range(20))
    assert sorted(seen["orders-a"] + seen["orders-b"]) == list(range(20)), "each durable event once"


async def durable_backlog(bus: EventBus, queue: str) -> int | None:
    """Messages waiting in the durable queue ``queue``; None when it does not exist."""
    if isinstance(bus, InProcessBus):
        async with bus.db.session() as session:
            rows = await session.execute(select(messages_table.c.id).where(messages_table.c.queue == queue))
            bound = await session.execute(select(bindings_table).where(bindings_table.c.queue == queue))
            messages, bindings = len(rows.all()), len(bound.all())
        return messages if bindings else None
    connection = await aio_pika.connect(RABBITMQ_URL)
    async with connection:
        channel = await connection.channel()
        try:
            declared = await channel.declare_queue(queue, passive=True)
        except aio_pika.exceptions.ChannelNotFoundEntity:
            return None
        return int(declared.declaration_result.message_count or 0)


async def test_a_durable_queue_replaced_by_a_broadcast_one_stops_collecting_events(bus_factory):
    queue = bus_factory.queue("cache")

    async def never(_: CloudEvent) -> None:
        raise AssertionError("not this consumer")

    old = bus_factory()
    old.subscribe(Subscription(queue, ("product.*",), never))
    await old.start()
    await old.close()
    publisher = bus_factory()
    await publisher.start()
    await publisher.publish([event("product.updated", 1)])
    assert await durable_backlog(publisher, queue) == 1

    got: list[int] = []
    new = bus_factory()
    new.subscribe(Subscription(queue, ("product.*",), recording(got), broadcast=True))
    await new.start()
    assert await durable_backlog(new, queue) is None
    await new.publish([event("product.updated", 2)])
    await eventually(lambda: got == [2], what="the broadcast delivery")
    assert await durable_backlog(new, queue) is None


async def test_a_durable_queue_an_older_replica_still_consumes_is_kept(bus_factory, request):
    if "inprocess" in request.node.callspec.id:
        pytest.skip("the embedded bus serves one process: there are no older replicas")
    queue = bus_factory.queue("cache")
    old_seen: list[int] = []
    old = bus_factory()
    old.subscribe(Subscription(queue, ("product.*",), recording(old_seen)))
    await old.start()
    got: list[int] = []
    new = bus_factory()
    new.subscribe(Subscription(queue, ("product.*",), recording(got), broadcast=True))
    await new.start()
    await new.publish([event("product.updated", 3)])
    await eventually(lambda: got == [3] and old_seen == [3], what="both replicas to hear of it")
    assert await durable_backlog(new, queue) == 0
