"""Fixtures of the order tests: a shop on SQLite or on PostgreSQL (``backend``)."""

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.helpers import ShopDriver, running_shop, shop_settings
from tests.infra import POSTGRES_URL, require

MakeShop = Callable[..., AbstractAsyncContextManager[ShopDriver]]


@pytest.fixture(params=["sqlite", "postgres"])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[str | None]:
    """None for SQLite files; else the URL of a PostgreSQL database of the test's own (each service
    in its own schema, as in distributed mode)."""
    if request.param == "sqlite":
        yield None
        return
    require("PostgreSQL", 5432)
    name = f"xshop_orders_{uuid.uuid4().hex[:10]}"
    server = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        async with server.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        async with server.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await server.dispose()


@pytest.fixture
def make_orders_shop(tmp_path: Path, backend: str | None) -> MakeShop:
    @asynccontextmanager
    async def factory(**overrides: Any) -> AsyncIterator[ShopDriver]:
        values = {"database_url": backend} if backend else {}
        async with running_shop(shop_settings(tmp_path, **(values | overrides))) as driver:
            yield driver

    return factory
