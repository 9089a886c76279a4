"""The server-side cart: catalog prices and availability, only products on sale, checkout from it."""

import pytest

from tests.helpers import ShopDriver
from tests.integration.accounts import assert_problem
from tests.integration.orders.support import admin, checkout, customer, product

pytestmark = pytest.mark.any_runtime


async def test_cart_lines_show_catalog_prices_and_only_products_on_sale_are_added(shop: ShopDriver):
    buyer = await customer(shop)
    mug, pen = await product(shop, 3, "12.00", name="Mug"), await product(shop, 50, "0.35", name="Pen")
    hidden = await product(shop, 5, isActive=False)

    assert (await shop.bff.get("/bff/cart", headers=buyer.headers)).json() == {
        "lines": [], "itemCount": 0, "subtotal": "0.00", "currency": None
    }  # fmt: skip
    put = await shop.bff.put(f"/bff/cart/items/{mug}", json={"quantity": 2}, headers=buyer.headers)
    assert put.status_code == 200, put.text
    cart = (await shop.bff.put(f"/bff/cart/items/{pen}", json={"quantity": 3}, headers=buyer.headers)).json()
    shown = [
        (line["name"], line["unitPrice"], line["lineTotal"], line["available"], line["stockStatus"])
        for line in cart["lines"]
    ]
    assert shown == [("Mug", "12.00", "24.00", 3, "low_stock"), ("Pen", "0.35", "1.05", 50, "in_stock")]
    assert (cart["itemCount"], cart["subtotal"], cart["currency"]) == (5, "25.05", "USD")

    for missing in (hidden, "no-such-product"):
        refused = await shop.bff.put(
            f"/bff/cart/items/{missing}", json={"quantity": 1}, headers=buyer.headers
        )
        assert_problem(refused, 404, "PRODUCT_NOT_FOUND")
    for bad in ({"quantity": -1}, {"quantity": "2"}, {"quantity": 1001}, {}):
        refused = await shop.bff.put(f"/bff/cart/items/{mug}", json=bad, headers=buyer.headers)
        assert_problem(refused, 400, "VALIDATION_FAILED")
    assert_problem(await shop.bff.get("/bff/cart"), 401, "UNAUTHENTICATED")

    removed = await shop.bff.put(f"/bff/cart/items/{pen}", json={"quantity": 0}, headers=buyer.headers)
    assert [line["productId"] for line in removed.json()["lines"]] == [mug]
    deactivated = await shop.bff.post(f"/bff/admin/products/{mug}/deactivate", headers=admin(shop))
    assert deactivated.status_code == 200
    line = (await shop.bff.get("/bff/cart", headers=buyer.headers)).json()["lines"][0]
    assert (line["stockStatus"], line["unitPrice"], line["available"]) == ("unavailable", None, 0)
    assert (await shop.bff.delete("/bff/cart", headers=buyer.headers)).status_code == 204
    assert (await shop.bff.get("/bff/cart", headers=buyer.headers)).json()["lines"] == []


async def test_checkout_from_the_cart_orders_its_lines_and_empties_it(shop: ShopDriver):
    buyer = await customer(shop)
    mug = await product(shop, 3, "12.00")
    await shop.bff.put(f"/bff/cart/items/{mug}", json={"quantity": 2}, headers=buyer.headers)
    placed = await checkout(shop, buyer)
    assert placed.status_code == 201, placed.text
    assert [(line["productId"], line["quantity"]) for line in placed.json()["lines"]] == [(mug, 2)]
    assert (await shop.bff.get("/bff/cart", headers=buyer.headers)).json()["lines"] == []

    await shop.bff.put(f"/bff/cart/items/{mug}", json={"quantity": 2}, headers=buyer.headers)
    short = await checkout(shop, buyer)
    assert_problem(short, 409, "INSUFFICIENT_STOCK")
    assert len((await shop.bff.get("/bff/cart", headers=buyer.headers)).json()["lines"]) == 1
