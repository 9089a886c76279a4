"""The persistence contract on SQLite and PostgreSQL: migrations, the outbox relay under concurrent
relays (no event published twice), and uniqueness enforced by the database under concurrency."""

import asyncio
import uuid
from collections import Counter
from collections.abc import Sequence

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.infra import POSTGRES_URL, require
from xshop.contracts.events import UserCreated
from xshop.platform.clock import utcnow
from xshop.platform.db import Database
from xshop.platform.errors import ProblemError
from xshop.platform.events.envelope import CloudEvent
from xshop.platform.events.outbox import Outbox
from xshop.platform.events.relay import OutboxRelay
from xshop.platform.metrics import ServiceMetrics
from xshop.platform.security.passwords import PasswordHasher
from xshop.services.users import app as users_app
from xshop.services.users import models
from xshop.services.users.schemas import UserCreate
from xshop.services.users.service import UsersService


@pytest.fixture(params=["sqlite", "postgres"])
async def database(request, tmp_path):
    if request.param == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'users.sqlite'}")
        yield db
        await db.dispose()
        return
    require("PostgreSQL", 5432)
    schema = f"test_users_{uuid.uuid4().hex[:8]}"
    db = Database(POSTGRES_URL, schema=schema)
    yield db
    await db.dispose()
    admin = create_async_engine(POSTGRES_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    await admin.dispose()


class RecordingBus:
    """Stands in for the broker only; the relay and the outbox under test are real."""

    def __init__(self) -> None:
        self.published: Counter[str] = Counter()

    async def publish(self, events: Sequence[CloudEvent]) -> None:
        await asyncio.sleep(0.001)  # yield while the claimed rows are locked, as a broker round trip would
        self.published.update(e.id for e in events)

    async def ping(self) -> bool:
        return True


async def test_concurrent_relays_publish_every_outbox_row_exactly_once(database):
    await database.migrate(users_app.MIGRATIONS)
    outbox = Outbox(models.outbox, "users")
    for batch in range(30):
        async with database.transaction() as session:
            await outbox.add(
                session,
                *(
                    UserCreated(user_id=f"{batch}-{i}", email=f"{batch}-{i}@x.co", created_at=utcnow())
                    for i in range(10)
                ),
            )
    bus = RecordingBus()
    relays = [
        OutboxRelay(database, outbox, bus, ServiceMetrics(f"r{i}"), batch_size=7, poll_seconds=0.05)  # type: ignore[arg-type]
        for i in range(3)
    ]

    async def drain(relay: OutboxRelay) -> None:
        while await relay.relay_once():
            pass

    await asyncio.gather(*(drain(relay) for relay in relays))
    assert len(bus.published) == 300
    assert set(bus.published.values()) == {1}
    async with database.session() as session:
        assert await outbox.pending(session) == 0


async def test_unique_email_holds_under_concurrent_creates(database):
    await database.migrate(users_app.MIGRATIONS)
    service = UsersService(database, Outbox(models.outbox, "users"), PasswordHasher(4))
    data = UserCreate.model_validate({"email": "Same@Example.com", "password": "abc123", "firstName": "Sam"})

    async def create() -> str:
        try:
            await service.create_user(data)
        except ProblemError as exc:
            return f"{exc.status} {exc.code}"
        return "201"

    results = await asyncio.gather(*(create() for _ in range(20)))
    assert sorted(results) == ["201"] + ["409 EMAIL_EXISTS"] * 19
    async with database.session() as session:
        assert await session.scalar(text("SELECT count(*) FROM users")) == 1
        assert await session.scalar(text("SELECT count(*) FROM outbox")) == 1
