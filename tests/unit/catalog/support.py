"""The harness the catalog unit tests drive: HTTP clients, tokens, the clock, and shortcuts."""

from dataclasses import dataclass
from typing import Any

import httpx

from tests.credentials import bearer
from tests.helpers import MovableClock
from xshop.platform.clock import utcnow
from xshop.platform.security.tokens import JwtCodec
from xshop.platform.service_unit import ServiceUnit
from xshop.services.catalog.reservations import ReservationService


@dataclass
class CatalogHarness:
    units: list[ServiceUnit]
    clients: list[httpx.AsyncClient]
    codec: JwtCodec
    clock: MovableClock

    @property
    def client(self) -> httpx.AsyncClient:
        return self.clients[0]

    @property
    def reservations(self) -> ReservationService:
        return self.units[0].app.state.reservations

    def token(self, roles: list[str], user_id: str = "admin-1") -> dict[str, str]:
        return bearer(self.codec, roles, user_id)

    @property
    def admin(self) -> dict[str, str]:
        return self.token(["customer", "admin"])

    @property
    def service(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.codec.issue_service('orders', now=utcnow())}"}

    async def add_product(self, sku: str, on_hand: int, **fields: Any) -> str:
        body = {
            "sku": sku,
            "name": f"Product {sku}",
            "price": "10.00",
            "category": "tests",
            "onHand": on_hand,
        }
        response = await self.client.post("/api/admin/products", json=body | fields, headers=self.admin)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def stock(self, product_id: str) -> dict[str, Any]:
        response = await self.client.get(f"/api/admin/products/{product_id}", headers=self.admin)
        assert response.status_code == 200, response.text
        return dict(response.json()["stock"])

    async def reserve(
        self, *lines: tuple[str, int], ttl: int | None = None, client: httpx.AsyncClient | None = None
    ) -> httpx.Response:
        body: dict[str, Any] = {"lines": [{"productId": pid, "quantity": q} for pid, q in lines]}
        if ttl is not None:
            body["ttlSeconds"] = ttl
        return await (client or self.client).post(
            "/api/catalog/reservations", json=body, headers=self.service
        )

    async def act(self, reservation_id: str, action: str) -> httpx.Response:
        return await self.client.post(
            f"/api/catalog/reservations/{reservation_id}/{action}", headers=self.service
        )
