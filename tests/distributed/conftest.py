"""The distributed shop of these tests is the session's (`tests/runtimes.py`): `xshop up` with two
notification replicas on a PostgreSQL database and a RabbitMQ vhost of its own."""

from collections.abc import Iterator

import pytest

from tests.runtimes import XSHOP, DistributedShop, fresh_infra, shop_env
from tests.runtimes import psql as _psql

__all__ = ["XSHOP", "DistributedShop", "_psql", "shop_env"]


@pytest.fixture(scope="session")
def infra() -> Iterator[tuple[str, str]]:
    """A database and a vhost for tests that start processes of their own."""
    with fresh_infra() as names:
        yield names


@pytest.fixture
def distributed(distributed_shop: DistributedShop) -> DistributedShop:
    return distributed_shop
