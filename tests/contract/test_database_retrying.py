"""``Database.retrying`` waits out a database that refuses connections for a moment, on real
PostgreSQL, and never repeats a statement the database rejected."""

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from tests.infra import POSTGRES_URL, fresh_postgres_database
from xshop.platform.db import Database


async def _set_connections(name: str, allowed: bool) -> None:
    server = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        async with server.connect() as conn:
            await conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}'))
            if not allowed:
                await conn.execute(
                    text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                    {"name": name},
                )
    finally:
        await server.dispose()


@pytest.fixture
async def postgres() -> tuple[Database, str]:
    async with fresh_postgres_database("xshop_retrying") as url:
        database = Database(url, schema="public")
        async with database.transaction() as session:
            await session.execute(text("CREATE TABLE notes (id int PRIMARY KEY)"))
        yield database, str(make_url(url).database)
        await database.dispose()


async def _insert(session: AsyncSession, note: int) -> int:
    await session.execute(text("INSERT INTO notes (id) VALUES (:id)"), {"id": note})
    return note


async def test_a_refusing_database_is_waited_out(postgres):
    database, name = postgres
    await _set_connections(name, allowed=False)
    writing = asyncio.create_task(database.retrying(lambda s: _insert(s, 1), seconds=10))
    await asyncio.sleep(1)
    assert not writing.done()
    await _set_connections(name, allowed=True)
    assert await writing == 1
    async with database.session() as session:
        assert (await session.execute(text("SELECT count(*) FROM notes"))).scalar_one() == 1


async def test_the_wait_is_bounded(postgres):
    database, name = postgres
    await _set_connections(name, allowed=False)
    try:
        with pytest.raises(DBAPIError):
            await database.retrying(lambda s: _insert(s, 1), seconds=0.5)
    finally:
        await _set_connections(name, allowed=True)


async def test_a_rejected_statement_is_not_repeated(postgres):
    database, _ = postgres
    calls: list[int] = []

    async def duplicate(session: AsyncSession) -> int:
        calls.append(1)
        return await _insert(session, 7)

    await database.retrying(duplicate, seconds=5)
    with pytest.raises(IntegrityError):
        await database.retrying(duplicate, seconds=5)
    assert len(calls) == 2
