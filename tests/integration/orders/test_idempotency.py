"""Acceptance 3: an Idempotency-Key places one order, however often and however concurrently it is
sent; the same key with another body is 422."""

import asyncio

import pytest

from tests.helpers import ShopDriver
from tests.integration.accounts import assert_problem
from tests.integration.orders.conftest import MakeShop
from tests.integration.orders.support import ADDRESS, checkout, customer, lines, orders_in_db, product, stock

pytestmark = pytest.mark.any_runtime


async def test_the_same_key_and_body_twice_answers_the_stored_order(shop: ShopDriver):
    buyer = await customer(shop)
    mug = await product(shop, on_hand=10)

    first = await checkout(shop, buyer, (mug, 2), key="key-1")
    second = await checkout(shop, buyer, (mug, 2), key="key-1")

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert (await stock(shop, mug))["onHand"] == 8
    assert (await shop.bff.get("/bff/orders", headers=buyer.headers)).json()["totalItems"] == 1


async def test_the_same_key_sent_concurrently_places_one_order_and_one_reservation(
    make_orders_shop: MakeShop,
):
    """On SQLite and PostgreSQL: the claim is the database's unique constraint."""
    async with make_orders_shop() as shop:
        await _concurrent_duplicates(shop)


async def _concurrent_duplicates(shop: ShopDriver) -> None:
    buyer = await customer(shop)
    mug = await product(shop, on_hand=100)

    responses = await asyncio.gather(*(checkout(shop, buyer, (mug, 3), key="key-c") for _ in range(10)))

    assert {r.status_code for r in responses} <= {201, 409}
    placed = [r.json() for r in responses if r.status_code == 201]
    assert placed and all(order["id"] == placed[0]["id"] for order in placed)
    for response in responses:
        if response.status_code == 409:
            assert_problem(response, 409, "REQUEST_IN_PROGRESS")
    assert (await stock(shop, mug))["onHand"] == 97
    assert await orders_in_db(shop) == 1
    replay = await checkout(shop, buyer, (mug, 3), key="key-c")
    assert replay.status_code == 201 and replay.json()["id"] == placed[0]["id"]


async def test_the_same_key_with_another_body_is_refused(shop: ShopDriver):
    buyer = await customer(shop)
    mug = await product(shop, on_hand=10)
    assert (await checkout(shop, buyer, (mug, 1), key="key-2")).status_code == 201

    other = await checkout(shop, buyer, (mug, 2), key="key-2")
    moved = await checkout(
        shop,
        buyer,
        key="key-2",
        body={"shippingAddress": ADDRESS | {"city": "Paris"}, "lines": lines((mug, 1))},
    )

    assert_problem(other, 422, "IDEMPOTENCY_KEY_REUSED")
    assert_problem(moved, 422, "IDEMPOTENCY_KEY_REUSED")
    assert (await stock(shop, mug))["onHand"] == 9


async def test_keys_belong_to_one_customer(shop: ShopDriver):
    first, second = await customer(shop), await customer(shop)
    mug = await product(shop, on_hand=10)
    a = await checkout(shop, first, (mug, 1), key="shared")
    b = await checkout(shop, second, (mug, 1), key="shared")
    assert a.status_code == b.status_code == 201 and a.json()["id"] != b.json()["id"]
