"""Setup of the admin browser tests: a verified customer with an order, made through the BFF API the
way the customer pages would, so the admin journey starts from real data."""

import uuid
from dataclasses import dataclass

import httpx

from tests.e2e.browsing import link_in, wait_for_mail
from tests.e2e.live import LiveShop

PASSWORD = "Customer1pass"
ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "12 Analytical Row",
    "city": "London",
    "postalCode": "NW1 6XE",
    "country": "GB",
}


@dataclass(frozen=True)
class PlacedOrder:
    email: str
    order_id: str
    order_number: str
    correlation_id: str
    product_name: str


def place_customer_order(shop: LiveShop) -> PlacedOrder:
    """Register, verify through the emailed link, and order one unit of an in-stock product."""
    email = f"buyer-{uuid.uuid4().hex[:8]}@example.com"
    with httpx.Client(base_url=shop.urls.web, timeout=15) as bff:
        body = {"firstName": "Ada", "lastName": "Lovelace", "email": email, "password": PASSWORD}
        assert bff.post("/bff/auth/register", json=body).status_code == 201
        link = link_in(
            wait_for_mail(shop.urls.mail, email, "verify"), shop.urls.web, "/bff/auth/email/verify"
        )
        assert bff.get(link, headers={"Accept": "application/json"}).status_code == 200
        product = bff.get("/bff/products", params={"inStock": "true", "pageSize": 1}).json()["items"][0]
        headers = {"X-CSRF-Token": bff.cookies["csrfToken"], "Idempotency-Key": str(uuid.uuid4())}
        order = {"shippingAddress": ADDRESS, "lines": [{"productId": product["id"], "quantity": 1}]}
        placed = bff.post("/bff/orders", json=order, headers=headers)
        assert placed.status_code == 201, placed.text
    answer = placed.json()
    return PlacedOrder(
        email, answer["id"], answer["orderNumber"], placed.headers["x-correlation-id"], product["name"]
    )
