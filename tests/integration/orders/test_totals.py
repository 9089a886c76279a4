"""Acceptances 4 and 5: a short line reserves nothing; prices come from the catalog and totals are
exact decimal arithmetic."""

from decimal import Decimal

import pytest

from tests.helpers import ShopDriver
from tests.integration.accounts import assert_problem
from tests.integration.orders.support import ADDRESS, checkout, customer, lines, product, stock

pytestmark = pytest.mark.any_runtime


async def test_a_multi_line_order_with_one_short_line_reserves_nothing(shop: ShopDriver):
    buyer = await customer(shop)
    plenty, scarce, more = await product(shop, 50), await product(shop, 2), await product(shop, 9)

    response = await checkout(shop, buyer, (plenty, 5), (scarce, 3), (more, 1))

    problem = assert_problem(response, 409, "INSUFFICIENT_STOCK")
    assert problem["lines"] == [{"productId": scarce, "requested": 3, "available": 2}]
    for item, units in ((plenty, 50), (scarce, 2), (more, 9)):
        assert await stock(shop, item) == {
            "onHand": units,
            "reserved": 0,
            "available": units,
            "status": "in_stock" if units > 5 else "low_stock",
            "lowStockThreshold": 5,
        }


async def test_client_prices_are_ignored_and_totals_are_exact(make_shop):
    # 0.1 + 0.2 and friends: floats would give 0.30000000000000004, 3 x 0.7 = 2.0999999999999996
    async with make_shop(orders_tax_rate="0.0825", orders_shipping_flat="4.99") as shop:
        buyer = await customer(shop)
        dime, fifth, seventy = (
            await product(shop, 99, "0.10"),
            await product(shop, 99, "0.20"),
            await product(shop, 99, "0.70"),
        )
        body = {
            "shippingAddress": ADDRESS,
            "lines": lines((dime, 1), (fifth, 1)) + lines((seventy, 3), price="0.01", unitPrice="0.01"),
            "total": "0.01",
        }

        response = await checkout(shop, buyer, body=body)

        assert response.status_code == 201, response.text
        order = response.json()
        priced = {line["productId"]: (line["unitPrice"], line["lineTotal"]) for line in order["lines"]}
        assert priced == {dime: ("0.10", "0.10"), fifth: ("0.20", "0.20"), seventy: ("0.70", "2.10")}
        subtotal = Decimal("0.10") + Decimal("0.20") + 3 * Decimal("0.70")
        assert order["subtotal"] == str(subtotal) == "2.40"
        assert order["tax"] == "0.20"  # 2.40 x 0.0825 = 0.198, half up to the cent
        assert order["shipping"] == "4.99"
        assert order["total"] == "7.59"


async def test_shipping_is_free_over_the_threshold(make_shop):
    async with make_shop(orders_shipping_flat="5.00", orders_free_shipping_over="50.00") as shop:
        buyer = await customer(shop)
        item = await product(shop, 10, "25.00")
        cheap = (await checkout(shop, buyer, (item, 1))).json()
        free = (await checkout(shop, buyer, (item, 2))).json()
        assert (cheap["shipping"], cheap["total"]) == ("5.00", "30.00")
        assert (free["shipping"], free["total"]) == ("0.00", "50.00")
