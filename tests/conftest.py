"""Shared fixtures. ``shop`` is a fresh embedded shop per test, in its own temporary data directory."""

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ShopDriver, running_shop, shop_settings
from xshop.platform.clock import Clock, utcnow
from xshop.platform.logs import CHATTY_LOGGERS


@pytest.fixture
async def shop(tmp_path: Path) -> AsyncIterator[ShopDriver]:
    async with running_shop(shop_settings(tmp_path)) as driver:
        yield driver


@pytest.fixture
def make_shop(tmp_path: Path) -> Callable[..., AbstractAsyncContextManager[ShopDriver]]:
    """A shop with other settings: ``async with make_shop(bcrypt_rounds=10) as shop``; ``clock=`` gives
    auth a clock the test controls (``tests.helpers.MovableClock``)."""

    def factory(clock: Clock = utcnow, **overrides: Any) -> AbstractAsyncContextManager[ShopDriver]:
        return running_shop(shop_settings(tmp_path, **overrides), clock)

    return factory


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """Tests that call configure_logging() must not change logging for the tests after them."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    chatty = {name: logging.getLogger(name).level for name in CHATTY_LOGGERS}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, value in chatty.items():
        logging.getLogger(name).setLevel(value)
