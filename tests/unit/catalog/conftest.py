"""A catalog service on its own (real database, in-process bus) with a clock the test moves, and
tokens for it. Every test here runs on SQLite and on PostgreSQL (``database``); without a reachable
PostgreSQL the second run is skipped, except in CI where it fails (tests/infra.py)."""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import MovableClock
from tests.infra import fresh_postgres_database
from tests.unit.catalog.support import CatalogHarness
from xshop.platform.db import Database
from xshop.platform.events.inprocess_bus import InProcessBus
from xshop.platform.security.tokens import JwtCodec
from xshop.platform.settings import Settings
from xshop.services.catalog.app import build

SECRET = "catalog-test-secret-" + "x" * 40
MakeCatalog = Callable[..., AbstractAsyncContextManager[CatalogHarness]]


@pytest.fixture(params=["sqlite", "postgres"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """The catalog's database URL: a SQLite file, or a PostgreSQL database of the test's own."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/catalog.sqlite"
        return
    async with fresh_postgres_database("xshop_catalog") as url:
        yield url


@pytest.fixture
def make_catalog(tmp_path: Path, database: str) -> MakeCatalog:
    """``async with make_catalog(replicas=2) as catalog``: the service migrated and serving, as
    ``replicas`` units sharing one database like separate processes would; its sweeper not started."""

    @asynccontextmanager
    async def factory(*, replicas: int = 1, **overrides: Any) -> AsyncIterator[CatalogHarness]:
        values: dict[str, Any] = {"data_dir": tmp_path, "database_url": database, "jwt_secret": SECRET}
        settings = Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]
        clock = MovableClock()
        bus = InProcessBus(
            Database(f"sqlite+aiosqlite:///{tmp_path}/bus.sqlite"),
            max_attempts=3,
            retry_base_seconds=0.05,
            retry_max_seconds=0.2,
            prefetch=8,
        )
        units = [build(settings, bus, clock) for _ in range(replicas)]
        migrations = units[0].migrations
        assert migrations is not None
        await units[0].database.migrate(migrations)
        clients = [
            httpx.AsyncClient(transport=httpx.ASGITransport(unit.app), base_url="http://catalog")
            for unit in units
        ]
        codec = JwtCodec(SECRET, settings.jwt_issuer, settings.jwt_audience)
        try:
            yield CatalogHarness(units, clients, codec, clock)
        finally:
            for client in clients:
                await client.aclose()
            for unit in units:
                await unit.close()
            await bus.db.dispose()

    return factory


@pytest.fixture
async def catalog(make_catalog: MakeCatalog) -> AsyncIterator[CatalogHarness]:
    async with make_catalog() as harness:
        yield harness
