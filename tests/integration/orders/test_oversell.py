"""Acceptance 2: 100 customers race for 10 units: exactly 10 orders, 90 INSUFFICIENT_STOCK, stock
never below zero. Runs on SQLite and on PostgreSQL (every service's schema in a fresh database)."""

import asyncio

from tests.helpers import ShopDriver
from tests.integration.orders.conftest import MakeShop
from tests.integration.orders.support import checkout, customer, orders_in_db, product, stock

BUYERS = 100
UNITS = 10


async def test_one_hundred_buyers_for_ten_units_make_exactly_ten_orders(make_orders_shop: MakeShop):
    async with make_orders_shop() as shop:
        await _race(shop)


async def _race(shop: ShopDriver) -> None:
    item = await product(shop, on_hand=UNITS)
    buyers = await asyncio.gather(*(customer(shop) for _ in range(BUYERS)))

    responses = await asyncio.gather(*(checkout(shop, buyer, (item, 1)) for buyer in buyers))

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] * UNITS + [409] * (BUYERS - UNITS), [
        r.text for r in responses if r.status_code >= 500
    ]
    refused = [r.json() for r in responses if r.status_code == 409]
    assert {p["code"] for p in refused} == {"INSUFFICIENT_STOCK"}
    assert all(p["lines"] == [{"productId": item, "requested": 1, "available": 0}] for p in refused)
    assert await orders_in_db(shop) == UNITS
    assert await stock(shop, item) == {
        "onHand": 0,
        "reserved": 0,
        "available": 0,
        "status": "out_of_stock",
        "lowStockThreshold": 5,
    }
