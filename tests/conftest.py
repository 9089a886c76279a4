"""Shared fixtures. ``shop`` is a fresh embedded shop per test, in its own temporary data directory."""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ShopDriver, running_shop, shop_settings


@pytest.fixture
async def shop(tmp_path: Path) -> AsyncIterator[ShopDriver]:
    async with running_shop(shop_settings(tmp_path)) as driver:
        yield driver


@pytest.fixture
def make_shop(tmp_path: Path) -> Callable[..., AbstractAsyncContextManager[ShopDriver]]:
    """A shop with other settings: ``async with make_shop(bcrypt_rounds=10) as shop``."""

    def factory(**overrides: Any) -> AbstractAsyncContextManager[ShopDriver]:
        return running_shop(shop_settings(tmp_path, **overrides))

    return factory
