"""Acceptance 3: reservations never oversell, whatever runs at the same time. Parametrised over
``database`` (conftest) so the same tests run on PostgreSQL once it is available to tests."""

import asyncio
import itertools

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from tests.unit.catalog.conftest import MakeCatalog
from xshop.services.catalog.models import Product


@pytest.mark.parametrize("replicas", [1, 2])
async def test_fifty_concurrent_reservations_for_the_last_ten_units_reserve_exactly_ten(
    make_catalog: MakeCatalog, replicas: int
):
    async with make_catalog(replicas=replicas) as catalog:
        product = await catalog.add_product("LAST-10", on_hand=10)
        clients = itertools.cycle(catalog.clients)
        responses = await asyncio.gather(
            *(catalog.reserve((product, 1), client=next(clients)) for _ in range(50))
        )

        statuses = sorted(r.status_code for r in responses)
        assert statuses == [201] * 10 + [409] * 40
        refused = [r.json() for r in responses if r.status_code == 409]
        assert {p["code"] for p in refused} == {"INSUFFICIENT_STOCK"}
        assert all(p["lines"] == [{"productId": product, "requested": 1, "available": 0}] for p in refused)
        assert await catalog.stock(product) == {
            "onHand": 10,
            "reserved": 10,
            "available": 0,
            "status": "out_of_stock",
            "lowStockThreshold": 5,
        }


async def test_crossing_multi_line_reservations_are_all_or_nothing_without_deadlock(
    make_catalog: MakeCatalog,
):
    """Lines listed in opposite orders: rows are still taken in one order, so no request waits on
    another forever, and a request gets both its lines or neither."""
    async with make_catalog(replicas=2) as catalog:
        first = await catalog.add_product("PAIR-A", on_hand=20)
        second = await catalog.add_product("PAIR-B", on_hand=20)
        orders = [((first, 1), (second, 1)), ((second, 1), (first, 1))]
        responses = await asyncio.wait_for(
            asyncio.gather(
                *(catalog.reserve(*orders[i % 2], client=catalog.clients[i % 2]) for i in range(40))
            ),
            timeout=60,
        )
        assert sorted(r.status_code for r in responses) == [201] * 20 + [409] * 20
        for product in (first, second):
            assert (await catalog.stock(product))["reserved"] == 20


async def test_reservations_releases_confirmations_and_stock_changes_together_keep_the_books(
    make_catalog: MakeCatalog,
):
    async with make_catalog(replicas=2) as catalog:
        product = await catalog.add_product("BUSY", on_hand=30)
        held = [
            r.json()["id"] for r in await asyncio.gather(*(catalog.reserve((product, 2)) for _ in range(5)))
        ]

        async def restock() -> int:
            response = await catalog.client.patch(
                f"/api/admin/products/{product}/stock",
                json={"delta": -1, "reason": "damaged in the warehouse"},
                headers=catalog.admin,
            )
            return response.status_code

        results = await asyncio.gather(
            *(catalog.reserve((product, 3), client=catalog.clients[1]) for _ in range(10)),
            *(catalog.act(held[i], "release") for i in range(3)),
            *(catalog.act(held[i], "confirm") for i in range(3, 5)),
            *(restock() for _ in range(15)),
        )
        reserved_ok = sum(1 for r in results[:10] if r.status_code == 201)
        restocked = sum(1 for status in results[15:] if status == 200)
        assert all(r.status_code == 200 for r in results[10:15])
        stock = await catalog.stock(product)
        # confirmed: 2 x 2 units sold; still held: the new reservations of 3 units
        assert stock["reserved"] == 3 * reserved_ok
        assert stock["onHand"] == 30 - 4 - restocked
        assert 0 <= stock["reserved"] <= stock["onHand"]
        assert stock["available"] == stock["onHand"] - stock["reserved"]


async def test_the_database_itself_refuses_reserving_more_than_is_on_hand(catalog):
    product = await catalog.add_product("GUARDED", on_hand=3)
    with pytest.raises(IntegrityError, match=r"ck_products_reserved_within_on_hand|CHECK"):
        async with catalog.units[0].database.transaction() as session:
            await session.execute(update(Product).where(Product.id == product).values(reserved=4))
    with pytest.raises(IntegrityError):
        async with catalog.units[0].database.transaction() as session:
            await session.execute(update(Product).where(Product.id == product).values(on_hand=-1, reserved=0))
    assert await catalog.stock(product) == {
        "onHand": 3,
        "reserved": 0,
        "available": 3,
        "status": "low_stock",
        "lowStockThreshold": 5,
    }
