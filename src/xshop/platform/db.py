"""Async SQLAlchemy database access per service: engine, transactions, readiness, migrations.

The same code runs on SQLite (embedded) and PostgreSQL (distributed); only the URL differs.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, NotSupportedError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

log = logging.getLogger("xshop.db")
_WRITE = "xshop_write"
AFTER_COMMIT = "xshop_after_commit"

T = TypeVar("T")


def after_commit(session: AsyncSession, callback: Callable[[], None]) -> None:
    """Queue ``callback`` to run when the session's transaction commits (never on rollback)."""
    callbacks: list[Callable[[], None]] = session.info.setdefault(AFTER_COMMIT, [])
    if callback not in callbacks:
        callbacks.append(callback)


def _make_sqlite_behave(engine: AsyncEngine) -> None:
    """WAL for concurrent readers; write transactions take the lock up front (BEGIN IMMEDIATE)
    so two writers queue on busy_timeout instead of failing with 'database is locked'."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


def _out_of_reach(exc: Exception) -> bool:
    """Errors about reaching the database, not about the statement: the drivers report refused
    connections and lost locks with generic classes, so the statement errors are the ones singled out."""
    return not isinstance(exc, (IntegrityError, DataError, ProgrammingError, NotSupportedError))


class Database:
    """One service's database. ``transaction()`` for writes, ``session()`` for reads."""

    def __init__(self, url: str, *, schema: str | None = None, echo: bool = False) -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        # On PostgreSQL every service lives in its own schema of a shared database; unqualified
        # table names resolve there, so models and migrations stay schema-agnostic.
        self.schema = None if self.is_sqlite else schema
        if self.is_sqlite and self.url.database:
            Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
        options: dict[str, Any] = {"echo": echo}
        if not self.is_sqlite:
            # Small pools: many service processes (and replicas) share one server's connection limit.
            options.update(pool_size=5, max_overflow=5, pool_pre_ping=True)
            if self.schema:
                options["connect_args"] = {"server_settings": {"search_path": self.schema}}
        self.engine = create_async_engine(self.url, **options)
        if self.is_sqlite:
            _make_sqlite_behave(self.engine)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time. Queueing writers here hands the lock over at once, where
        # SQLite's own busy handler would make them sleep and retry while the holder waits its turn
        # on a busy event loop. PostgreSQL writers run concurrently.
        self._write_turn = asyncio.Lock() if self.is_sqlite else contextlib.nullcontext()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A write transaction; callbacks queued with ``after_commit`` run once it has committed."""
        async with self._write_turn, self._sessions() as session, session.begin():
            await session.connection(execution_options={_WRITE: True})
            yield session
        for callback in session.info.pop(AFTER_COMMIT, ()):
            callback()

    async def retrying(self, work: Callable[[AsyncSession], Awaitable[T]], *, seconds: float) -> T:
        """``work`` in a write transaction, run again while the database is briefly out of reach
        (connection refused or cut, file locked) for up to ``seconds``. For the step that completes
        a use case whose earlier step another service has already committed: failing it would leave
        the use case half done."""
        deadline = time.monotonic() + seconds
        delay = 0.05
        while True:
            try:
                async with self.transaction() as session:
                    return await work(session)
            except (DBAPIError, OSError) as exc:
                if not _out_of_reach(exc) or time.monotonic() + delay > deadline:
                    raise
                log.warning("database out of reach (%s); retrying", type(exc).__name__)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 1.0)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session:
            yield session

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:  # readiness must answer, whatever the driver raised
            log.warning("database ping failed", exc_info=True)
            return False
        return True

    async def migrate(self, script_location: Path) -> None:
        """Apply the service's Alembic migrations up to head."""
        config = Config()
        config.set_main_option("script_location", str(script_location))
        async with self.engine.begin() as conn:
            if self.schema:
                await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"'))
            await conn.run_sync(_upgrade, config)

    async def is_at_head(self, script_location: Path) -> bool:
        """Whether every migration of the service has been applied to this database."""
        config = Config()
        config.set_main_option("script_location", str(script_location))
        heads = set(ScriptDirectory.from_config(config).get_heads())
        async with self.engine.connect() as conn:
            current = await conn.run_sync(
                lambda sync: set(MigrationContext.configure(sync).get_current_heads())
            )
        return current == heads

    async def dispose(self) -> None:
        await self.engine.dispose()


def _upgrade(connection: Connection, config: Config) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
