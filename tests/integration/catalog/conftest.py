"""Fixtures of the catalogue tests: admin and customer credentials, and the seeded catalogue."""

import pytest

from tests.helpers import ShopDriver
from tests.integration.catalog.support import ADMIN_ID, Catalogue, seed


@pytest.fixture
def admin(shop: ShopDriver) -> dict[str, str]:
    return shop.token(["customer", "admin"], user_id=ADMIN_ID)


@pytest.fixture
def customer(shop: ShopDriver) -> dict[str, str]:
    return shop.token(["customer"], user_id="customer-1")


@pytest.fixture
async def catalogue(shop: ShopDriver, admin: dict[str, str]) -> Catalogue:
    return await seed(shop, admin)
