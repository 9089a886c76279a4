"""Helpers of the order tests: verified customers made through the users service, products made
through the BFF, and checkout calls."""

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from tests.helpers import PASSWORD, ShopDriver
from tests.integration.accounts import unique_email

ADMIN_ID = "orders-admin"
ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "12 St James's Square",
    "city": "London",
    "postalCode": "SW1Y 4JH",
    "country": "gb",
}


@dataclass(frozen=True)
class Customer:
    id: str
    email: str
    headers: dict[str, str]


def admin(shop: ShopDriver) -> dict[str, str]:
    return shop.token(["customer", "admin"], user_id=ADMIN_ID)


async def customer(shop: ShopDriver, *, verified: bool = True, tag: str = "buyer") -> Customer:
    """A user created at the users service (no registration emails), verified if asked, signed in
    with an access token as the BFF would receive it."""
    service = shop.token(["service"], user_id="service:tests")
    email = unique_email(tag)
    body = {"email": email, "password": PASSWORD, "firstName": "Grace", "lastName": "Hopper"}
    async with shop.client("users") as users:
        created = await users.post("/api/users", json=body, headers=service)
        assert created.status_code == 201, created.text
        user_id = created.json()["id"]
        if verified:
            response = await users.post(
                f"/api/users/{user_id}/email-verification", json={"email": email}, headers=service
            )
            assert response.status_code == 200, response.text
    return Customer(user_id, email, shop.token(["customer"], user_id=user_id))


async def product(shop: ShopDriver, on_hand: int, price: str = "10.00", **fields: Any) -> str:
    body = {
        "sku": f"SKU-{uuid.uuid4().hex[:10]}",
        "name": f"Product {uuid.uuid4().hex[:6]}",
        "price": price,
        "category": "tests",
        "onHand": on_hand,
    } | fields
    response = await shop.bff.post("/bff/admin/products", json=body, headers=admin(shop))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def stock(shop: ShopDriver, product_id: str) -> dict[str, Any]:
    response = await shop.bff.get(f"/bff/admin/products/{product_id}", headers=admin(shop))
    assert response.status_code == 200, response.text
    return dict(response.json()["stock"])


def lines(*pairs: tuple[str, int], **extra: Any) -> list[dict[str, Any]]:
    return [{"productId": pid, "quantity": quantity} | extra for pid, quantity in pairs]


async def checkout(
    shop: ShopDriver,
    buyer: Customer,
    *pairs: tuple[str, int],
    key: str | None = None,
    body: dict[str, Any] | None = None,
    client: httpx.AsyncClient | None = None,
) -> httpx.Response:
    """``POST /bff/orders`` with explicit lines (the cart when none are given)."""
    sent = (
        body
        if body is not None
        else {"shippingAddress": ADDRESS} | ({"lines": lines(*pairs)} if pairs else {})
    )
    headers = buyer.headers | {"Idempotency-Key": key or str(uuid.uuid4())}
    return await (client or shop.bff).post("/bff/orders", json=sent, headers=headers)


async def admin_orders(shop: ShopDriver, **params: Any) -> httpx.Response:
    return await shop.bff.get("/bff/admin/orders", params=params, headers=admin(shop))


async def orders_in_db(shop: ShopDriver) -> int:
    response = await admin_orders(shop, pageSize=1)
    assert response.status_code == 200, response.text
    return int(response.json()["totalItems"])
