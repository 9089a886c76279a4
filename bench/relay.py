"""Events/s from a PostgreSQL outbox through RabbitMQ to a consumer that applies them exactly once.

Usage: .venv/bin/python bench/relay.py [--events 20000] [--relays 2]
Needs PostgreSQL and RabbitMQ on 127.0.0.1 (XSHOP_TEST_DATABASE_URL / XSHOP_TEST_BROKER_URL override).
Writes the events into the users service's outbox first (not timed), then times the relays publishing
them (publisher confirms) and the audit service's real consumer recording each one (inbox + audit row),
each service in its own PostgreSQL schema.
"""

import argparse
import asyncio
import os
import time
import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from xshop.contracts.events import UserCreated
from xshop.platform.clock import utcnow
from xshop.platform.db import Database
from xshop.platform.events.bus import Subscription
from xshop.platform.events.envelope import CloudEvent
from xshop.platform.events.inbox import Inbox, exactly_once
from xshop.platform.events.outbox import Outbox
from xshop.platform.events.rabbitmq_bus import RabbitMqBus
from xshop.platform.events.relay import OutboxRelay
from xshop.platform.metrics import ServiceMetrics
from xshop.services.audit import app as audit_app
from xshop.services.audit import models as audit_models
from xshop.services.audit.service import AuditService
from xshop.services.users import app as users_app
from xshop.services.users import models as users_models

PG = os.environ.get("XSHOP_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
AMQP = os.environ.get("XSHOP_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672/")


async def main(total: int, relays: int) -> None:
    run = uuid.uuid4().hex[:8]
    producer = Database(PG, schema=f"bench_users_{run}")
    consumer_db = Database(PG, schema=f"bench_audit_{run}")
    await producer.migrate(users_app.MIGRATIONS)
    await consumer_db.migrate(audit_app.MIGRATIONS)
    outbox = Outbox(users_models.outbox, "users")
    for start in range(0, total, 1000):
        async with producer.transaction() as session:
            await outbox.add(
                session,
                *(
                    UserCreated(user_id=str(i), email=f"{i}@bench.co", created_at=utcnow())
                    for i in range(start, min(total, start + 1000))
                ),
            )

    applied = 0
    done = asyncio.Event()
    audit = AuditService(consumer_db)

    async def effect(session: AsyncSession, event: CloudEvent) -> None:
        nonlocal applied
        await audit.record(session, event)
        applied += 1
        if applied == total:
            done.set()

    bus = RabbitMqBus(
        AMQP,
        exchange=f"bench.{run}",
        max_attempts=3,
        retry_base_seconds=0.5,
        retry_max_seconds=1,
        prefetch=200,
    )
    handler = exactly_once(consumer_db, Inbox(audit_models.inbox, "audit"), effect)
    bus.subscribe(Subscription(f"bench-{run}", ("user.created",), handler))
    await bus.start()
    workers = [
        OutboxRelay(producer, outbox, bus, ServiceMetrics(f"relay{i}"), batch_size=500, poll_seconds=0.05)
        for i in range(relays)
    ]
    started = time.perf_counter()
    for relay in workers:
        relay.start()
    await asyncio.wait_for(done.wait(), timeout=300)
    elapsed = time.perf_counter() - started
    for relay in workers:
        await relay.stop()
    await bus.close()
    print(f"machine: {os.cpu_count()} cores; {total} events, {relays} relay(s), batch 500, prefetch 200")
    print(
        f"outbox -> RabbitMQ -> consumer (inbox + effect): {total / elapsed:,.0f} events/s ({elapsed:.2f} s)"
    )
    await producer.dispose()
    await consumer_db.dispose()
    admin = create_async_engine(PG)
    async with admin.begin() as conn:
        for schema in (f"bench_users_{run}", f"bench_audit_{run}"):
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    await admin.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--relays", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(main(args.events, args.relays))
