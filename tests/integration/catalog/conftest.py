"""Fixtures of the catalogue tests: the test's namespace, admin and customer credentials, and the
seeded catalogue."""

import pytest

from tests.helpers import ShopDriver
from tests.integration.catalog.support import Catalogue, Namespace, seed


@pytest.fixture
def namespace() -> Namespace:
    return Namespace()


@pytest.fixture
def admin(shop: ShopDriver, namespace: Namespace) -> dict[str, str]:
    return shop.token(["customer", "admin"], user_id=namespace.admin_id)


@pytest.fixture
def customer(shop: ShopDriver) -> dict[str, str]:
    return shop.token(["customer"], user_id="customer-1")


@pytest.fixture
async def catalogue(shop: ShopDriver, admin: dict[str, str], namespace: Namespace) -> Catalogue:
    return await seed(shop, admin, namespace)
