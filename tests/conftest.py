"""Shared fixtures. ``shop`` is a fresh embedded shop per test, in its own temporary data directory;
in tests marked ``any_runtime`` it is also, once, a driver of the session's distributed shop."""

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ShopDriver, running_shop, shop_settings
from tests.runtimes import DistributedDriver, DistributedShop, fresh_infra, xshop_up
from xshop.platform.clock import Clock, utcnow
from xshop.platform.logs import CHATTY_LOGGERS


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "any_runtime: the test's `shop` is parametrised by runtime: embedded, and distributed "
        "(`xshop up` on PostgreSQL and RabbitMQ, one for the session: tests must not assume a fresh shop)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "shop" in metafunc.fixturenames and metafunc.definition.get_closest_marker("any_runtime"):
        metafunc.parametrize(
            "runtime", [pytest.param("embedded"), pytest.param("distributed", marks=pytest.mark.distributed)]
        )


@pytest.fixture
def runtime() -> str:
    return "embedded"


@pytest.fixture(scope="session")
def distributed_shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DistributedShop]:
    """One `xshop up` for the session, on a database and vhost of its own; users and notifications
    run twice (replicas competing on one queue, and a worker tests/distributed/test_crash.py can kill)."""
    replicas = ("--replicas", "notifications=2", "--replicas", "users=2")
    with (
        fresh_infra() as (database, vhost),
        xshop_up(database, vhost, tmp_path_factory.mktemp("distributed"), *replicas) as up,
    ):
        yield up


@pytest.fixture
async def shop(request: pytest.FixtureRequest, tmp_path: Path, runtime: str) -> AsyncIterator[ShopDriver]:
    if runtime == "distributed":
        driver = DistributedDriver(request.getfixturevalue("distributed_shop"))
        yield driver  # type: ignore[misc]
        await driver.aclose()
        return
    async with running_shop(shop_settings(tmp_path)) as embedded:
        yield embedded


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
