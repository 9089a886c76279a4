"""Cancelling a reservation when its order is cancelled: held units are released, sold units go
back on hand exactly once, and only services may ask."""

import asyncio

from tests.unit.catalog.support import CatalogHarness


async def test_cancel_releases_a_held_reservation(catalog: CatalogHarness):
    product = await catalog.add_product("HELD", on_hand=10)
    reservation = (await catalog.reserve((product, 4))).json()["id"]

    cancelled = await catalog.act(reservation, "cancel")

    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["returnedAt"]) == ("released", None)
    assert (await catalog.stock(product))["available"] == 10


async def test_cancel_puts_sold_units_back_once_however_often_it_is_called(catalog: CatalogHarness):
    product = await catalog.add_product("SOLD", on_hand=10)
    other = await catalog.add_product("SOLD-2", on_hand=5)
    reservation = (await catalog.reserve((product, 4), (other, 5))).json()["id"]
    assert (await catalog.act(reservation, "confirm")).status_code == 200
    assert (await catalog.stock(product))["onHand"] == 6

    answers = await asyncio.gather(*(catalog.act(reservation, "cancel") for _ in range(5)))

    assert {r.status_code for r in answers} == {200}
    assert all(r.json()["status"] == "confirmed" and r.json()["returnedAt"] for r in answers)
    assert (await catalog.stock(product))["onHand"] == 10
    assert (await catalog.stock(other))["onHand"] == 5
    assert (await catalog.act(reservation, "cancel")).status_code == 200
    assert (await catalog.stock(product))["onHand"] == 10


async def test_cancel_needs_a_service_token_and_a_known_reservation(catalog: CatalogHarness):
    product = await catalog.add_product("GUARD", on_hand=3)
    reservation = (await catalog.reserve((product, 1))).json()["id"]
    path = f"/api/catalog/reservations/{reservation}/cancel"
    assert (await catalog.client.post(path, headers=catalog.admin)).status_code == 403
    assert (await catalog.client.post(path)).status_code == 401
    assert (await catalog.act("no-such-reservation", "cancel")).status_code == 404
