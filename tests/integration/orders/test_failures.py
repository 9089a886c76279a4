"""What a failure after the reservation leaves behind: nothing held, nothing sold, the key free.
And a cancellation the catalog could not take at once is retried until the stock is back."""

import httpx
import pytest

from tests.helpers import ShopDriver
from tests.integration.accounts import assert_problem
from tests.integration.orders.support import checkout, customer, product, stock
from tests.waiting import eventually
from xshop.services.orders.clients import CatalogClient

pytestmark = pytest.mark.any_runtime


async def test_a_checkout_failing_after_the_reservation_gives_the_units_back(shop: ShopDriver):
    buyer = await customer(shop)
    dollars, euros = await product(shop, 5), await product(shop, 5, currency="EUR")

    # the reservation succeeds; saving the order then fails (one order, one currency)
    refused = await checkout(shop, buyer, (dollars, 2), (euros, 1), key="mixed")

    assert_problem(refused, 409, "MIXED_CURRENCIES")
    for item in (dollars, euros):
        assert (await stock(shop, item))["onHand"] == 5 and (await stock(shop, item))["available"] == 5
    assert (await checkout(shop, buyer, (dollars, 2), key="mixed")).status_code == 201


async def test_stock_of_a_cancellation_the_catalog_missed_is_returned_later(make_shop):
    async with make_shop(orders_stock_return_seconds=0.1) as shop:
        buyer = await customer(shop)
        item = await product(shop, 10)
        order = (await checkout(shop, buyer, (item, 3))).json()
        changes = shop.shop.units["orders"].app.state.status_changes
        reachable = changes.catalog
        # a catalog that does not answer: nothing listens on port 9 of this host
        async with httpx.AsyncClient(base_url="http://127.0.0.1:9", timeout=1) as dead:
            changes.catalog = CatalogClient(dead)
            cancelled = await shop.bff.post(f"/bff/orders/{order['id']}/cancel", headers=buyer.headers)
            assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
            assert (await stock(shop, item))["onHand"] == 7
            changes.catalog = reachable

        async def returned() -> bool:
            return (await stock(shop, item))["onHand"] == 10

        await eventually(returned, timeout=5, what="the cancelled order's stock to come back")
