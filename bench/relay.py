"""Events/s from a PostgreSQL outbox through RabbitMQ to a consumer that applies them exactly once,
and registration → email latency of the distributed shop.

Usage: .venv/bin/python bench/relay.py [--events 20000] [--relays 2] [--latency-seconds 30] [--rate 10]
Needs PostgreSQL and RabbitMQ on 127.0.0.1 (XSHOP_TEST_DATABASE_URL / XSHOP_TEST_BROKER_URL override).

1. Writes the events into the users service's outbox first (not timed), then times the relays
   publishing them (publisher confirms) and the audit service's real consumer recording each one
   (inbox + audit row), each service in its own PostgreSQL schema.
2. Starts ``xshop up`` (one process per service, bcrypt cost 10, the mail catcher) on a fresh
   PostgreSQL database and RabbitMQ vhost (made with ``rabbitmqctl``, dropped afterwards), registers
   ``--rate`` users per second through the BFF for ``--latency-seconds`` and reports, from each 201
   to the mail catcher receiving the verification email, p50/p99 and how many arrived.
   ``--latency-seconds 0`` skips this part.
"""

import argparse
import asyncio
import os
import time
import uuid
from collections import Counter

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from _shop import RunningShop, distributed_shop
from register import email_latencies, pct
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


async def paced(base: str, count: int, per_second: float) -> tuple[dict[str, float], Counter[str]]:
    """Open loop at a steady rate: each 201's time by email, and how many of each answer."""
    done_at: dict[str, float] = {}
    answers: Counter[str] = Counter()
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:

        async def one(email: str) -> None:
            body = {"firstName": "Bench", "lastName": "Mark", "password": "Bench1pass", "email": email}
            response = await http.post("/bff/auth/register", json=body)
            code = response.json().get("code", "") if response.status_code >= 400 else ""
            answers[f"{response.status_code} {code}".strip()] += 1
            if response.status_code == 201:
                done_at[email] = time.time()

        tasks = []
        for i in range(count):
            tasks.append(asyncio.create_task(one(f"relay-{i}-{uuid.uuid4().hex[:8]}@bench.example.com")))
            await asyncio.sleep(1 / per_second)
        await asyncio.gather(*tasks)
    return done_at, answers


async def registration_latency(shop: RunningShop, seconds: float, rate: float) -> None:
    gateway, mail = shop.url("gateway"), shop.url("mail")
    await paced(gateway, max(1, int(rate)), rate)  # warm-up: connections, bcrypt, caches
    async with httpx.AsyncClient(base_url=mail) as http:
        await http.delete("/api/v1/messages")
    done_at, answers = await paced(gateway, int(seconds * rate), rate)
    print("answers:", dict(answers))
    latencies = await email_latencies(mail, done_at)
    if not latencies:
        print("distributed registration → email: no email arrived")
        return
    print(
        f"distributed (xshop up, bcrypt 10) paced {rate:g} reg/s x {seconds:g} s: "
        f"{len(done_at)} registered (201), {len(latencies)} emails arrived"
    )
    p50, p99, worst = (value * 1000 for value in (pct(latencies, 50), pct(latencies, 99), max(latencies)))
    print(f"registration → email: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--relays", type=int, default=2)
    parser.add_argument("--latency-seconds", type=float, default=30)
    parser.add_argument("--rate", type=float, default=10, help="registrations per second")
    args = parser.parse_args()
    if args.events > 0:
        asyncio.run(main(args.events, args.relays))
    if args.latency_seconds > 0:
        with distributed_shop(jwt_secret="bench-secret-" + "x" * 40) as shop:
            asyncio.run(registration_latency(shop, args.latency_seconds, args.rate))
