"""The running shop releases expired reservations on its own: the catalog's sweeper is started and
stopped with the shop (ServiceUnit.background)."""

from tests.helpers import MovableClock
from tests.integration.catalog.support import ADMIN_ID
from tests.waiting import eventually


async def test_expired_reservations_are_released_without_anyone_asking(make_shop):
    clock = MovableClock()
    async with make_shop(clock=clock, catalog_reservation_sweep_seconds=0.05) as shop:
        admin = shop.token(["admin"], user_id=ADMIN_ID)
        created = await shop.bff.post(
            "/bff/admin/products",
            json={"sku": "LAMP-1", "name": "Desk Lamp", "price": "30.00", "category": "office", "onHand": 2},
            headers=admin,
        )
        product = created.json()["id"]
        async with shop.client("catalog") as catalog:
            held = await catalog.post(
                "/api/catalog/reservations",
                json={"lines": [{"productId": product, "quantity": 2}], "ttlSeconds": 30},
                headers=shop.token(["service"], user_id="service:orders"),
            )
            assert held.status_code == 201, held.text

            async def reserved() -> int:
                response = await catalog.get(f"/api/admin/products/{product}", headers=admin)
                return int(response.json()["stock"]["reserved"])

            async def released() -> bool:
                return await reserved() == 0

            assert await reserved() == 2
            clock.advance(seconds=31)
            await eventually(released, what="the sweeper to release the stock")
