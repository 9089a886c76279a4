"""Fixtures of the order tests: a shop on SQLite or on PostgreSQL (``backend``)."""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ShopDriver, running_shop, shop_settings
from tests.infra import fresh_postgres_database

MakeShop = Callable[..., AbstractAsyncContextManager[ShopDriver]]


@pytest.fixture(params=["sqlite", "postgres"])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[str | None]:
    """None for SQLite files; else the URL of a PostgreSQL database of the test's own (each service
    in its own schema, as in distributed mode)."""
    if request.param == "sqlite":
        yield None
        return
    async with fresh_postgres_database("xshop_orders") as url:
        yield url


@pytest.fixture
def make_orders_shop(tmp_path: Path, backend: str | None) -> MakeShop:
    @asynccontextmanager
    async def factory(**overrides: Any) -> AsyncIterator[ShopDriver]:
        values = {"database_url": backend} if backend else {}
        async with running_shop(shop_settings(tmp_path, **(values | overrides))) as driver:
            yield driver

    return factory
