"""Typed clients of the services the orders service calls. Every call carries this service's own
token: the catalog's reservation routes and the users routes are internal."""

from decimal import Decimal
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from xshop.platform.errors import ProblemError
from xshop.platform.http.clients import ServiceClient


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class Customer(_Camel):
    id: str
    email: str
    first_name: str
    last_name: str
    is_email_verified: bool
    is_active: bool

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class UsersClient(ServiceClient):
    service = "users"
    unavailable_code = "USER_SERVICE_UNAVAILABLE"

    async def get(self, user_id: str) -> Customer | None:
        try:
            response = await self.request("GET", f"/api/users/{quote(user_id, safe='')}")
        except ProblemError as exc:
            if exc.status == 404:
                return None
            raise
        return Customer.model_validate(response.json())


class ReservedLine(_Camel):
    product_id: str
    sku: str
    name: str
    quantity: int
    unit_price: Decimal  # sent as a string: parsed exactly, never through a float
    currency: str


class Reservation(_Camel):
    id: str
    status: str
    lines: list[ReservedLine]


class CatalogClient(ServiceClient):
    service = "catalog"
    unavailable_code = "CATALOG_SERVICE_UNAVAILABLE"

    async def reserve(self, lines: dict[str, int]) -> Reservation:
        body = {"lines": [{"productId": pid, "quantity": quantity} for pid, quantity in lines.items()]}
        response = await self.request("POST", "/api/catalog/reservations", json=body)
        return Reservation.model_validate(response.json())

    async def confirm(self, reservation_id: str) -> None:
        await self.request("POST", _reservation(reservation_id, "/confirm"))

    async def cancel(self, reservation_id: str) -> None:
        """Units back to stock, whether held or sold; idempotent."""
        await self.request("POST", _reservation(reservation_id, "/cancel"))

    async def product(self, product_id: str) -> dict[str, Any] | None:
        """The product as shoppers see it; None when unknown or not on sale."""
        try:
            response = await self.request("GET", f"/api/products/{quote(product_id, safe='')}")
        except ProblemError as exc:
            if exc.status == 404:
                return None
            raise
        return dict(response.json())


def _reservation(reservation_id: str, tail: str) -> str:
    return f"/api/catalog/reservations/{quote(reservation_id, safe='')}{tail}"
