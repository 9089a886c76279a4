"""exactly_once: concurrent deliveries share a transaction, yet each event has one effect, and a
failing event fails alone (the bus retries it) while the rest of its batch is applied."""

import asyncio

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select

from xshop.platform.db import Database
from xshop.platform.events.envelope import CloudEvent
from xshop.platform.events.inbox import Inbox, exactly_once, inbox_table

metadata = MetaData()
effects = Table("effects", metadata, Column("id", Integer, primary_key=True), Column("event_id", String(100)))
inbox = inbox_table(metadata)


@pytest.fixture
async def db(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'svc.sqlite'}")
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield database
    await database.dispose()


async def count(db: Database, table: Table) -> int:
    async with db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


def event(n: int) -> CloudEvent:
    return CloudEvent(source="t", type="thing.happened", data={"n": n})


async def record_effect(session, e: CloudEvent) -> None:
    if e.data["n"] < 0:
        raise ValueError("bad event")
    await session.execute(insert(effects).values(event_id=e.id))


async def test_concurrent_deliveries_including_duplicates_apply_each_event_once(db):
    handle = exactly_once(db, Inbox(inbox, "c"), record_effect)
    events = [event(n) for n in range(50)]
    await asyncio.gather(*(handle(e) for e in events + events[:10]))
    assert await count(db, effects) == 50
    assert await count(db, inbox) == 50
    await handle(events[0])  # a redelivery after the fact
    assert await count(db, effects) == 50


async def test_a_failing_event_fails_alone_and_the_rest_of_its_batch_is_applied(db):
    handle = exactly_once(db, Inbox(inbox, "c"), record_effect)
    good = [event(n) for n in range(20)]
    bad = event(-1)
    results = await asyncio.gather(
        *(handle(e) for e in [*good[:10], bad, *good[10:]]), return_exceptions=True
    )
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 1 and isinstance(failures[0], ValueError)
    assert await count(db, effects) == 20
    async with db.session() as session:
        assert await Inbox(inbox, "c").seen(session, bad.id) is False


async def test_consumers_keep_separate_inbox_entries(db):
    await exactly_once(db, Inbox(inbox, "audit"), record_effect)(shared := event(1))
    await exactly_once(db, Inbox(inbox, "mail"), record_effect)(shared)
    assert await count(db, effects) == 2
