"""Acceptance 1: a verified customer fills a cart and checks out through the BFF; the order is
everywhere it should be. Plus checkout's refusals: unverified email, missing key, bad address."""

import uuid

import pytest

from tests.helpers import PASSWORD, ShopDriver
from tests.integration.accounts import Browser, assert_problem, emailed_link, unique_email
from tests.integration.orders.support import ADDRESS, admin, admin_orders, checkout, customer, product, stock

pytestmark = pytest.mark.any_runtime


async def test_verified_customer_checks_out_the_cart_end_to_end(shop: ShopDriver):
    mug = await product(shop, on_hand=10, price="12.50", name="Red Mug")
    tea = await product(shop, on_hand=5, price="3.20", name="Green Tea")
    email = unique_email("e2e")
    browser = Browser(shop)
    registered = await browser.http.post(
        "/bff/auth/register",
        json={"firstName": "Ada", "lastName": "Lovelace", "email": email, "password": PASSWORD},
    )
    assert registered.status_code == 201, registered.text
    link = await emailed_link(shop, email, "/bff/auth/email/verify", subject="Verify your email address")
    assert (await browser.http.get(link)).status_code == 200
    assert (await browser.login(email)).status_code == 200

    assert (await browser.send("PUT", f"/bff/cart/items/{mug}", json={"quantity": 2})).status_code == 200
    cart = await browser.send("PUT", f"/bff/cart/items/{tea}", json={"quantity": 3})
    assert cart.json()["subtotal"] == "34.60" and cart.json()["itemCount"] == 5
    before = await stock(shop, mug)

    correlation_id = f"e2e-{uuid.uuid4()}"
    placed = await browser.send(
        "POST",
        "/bff/orders",
        json={"shippingAddress": ADDRESS},
        headers={"Idempotency-Key": str(uuid.uuid4()), "X-Correlation-ID": correlation_id},
    )

    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["status"] == "created" and order["orderNumber"].startswith("ORD-")
    assert (order["subtotal"], order["tax"], order["shipping"], order["total"]) == (
        "34.60",
        "0.00",
        "0.00",
        "34.60",
    )
    assert order["customer"]["email"] == email and order["customer"]["name"] == "Ada Lovelace"
    assert order["shippingAddress"]["country"] == "GB"
    after = await stock(shop, mug)
    assert after["available"] == before["available"] - 2 and after["onHand"] == before["onHand"] - 2
    assert (await browser.http.get("/bff/cart")).json()["lines"] == []

    await shop.idle()
    placed_events = await shop.audit(action="ORDER_PLACED", correlationId=correlation_id)
    assert len(placed_events) == 1 and placed_events[0]["userId"] == order["customer"]["id"]
    mails = [
        m for m in await shop.mails_to(email) if m["Subject"] == f"Order confirmed - #{order['orderNumber']}"
    ]
    assert len(mails) == 1
    body = await shop.mail_body(mails[0]["ID"])
    for text in ("Red Mug", "Green Tea", "34.60 USD", "12 St James's Square", "SW1Y 4JH London"):
        assert text in body["Text"]
    assert "Red Mug" in body["HTML"] and "34.60 USD" in body["HTML"]
    async with shop.client("notifications") as notifications:
        logs = await notifications.get(
            "/api/notifications/email-logs",
            params={"correlationId": correlation_id},
            headers=admin(shop),
        )
    assert [log["type"] for log in logs.json()["items"]] == ["order-confirmation"]

    mine = await browser.http.get("/bff/orders")
    assert [o["id"] for o in mine.json()["items"]] == [order["id"]]
    assert (await browser.http.get(f"/bff/orders/{order['id']}")).json()["lines"] == order["lines"]
    listed = await admin_orders(shop, customerEmail=email.upper())
    assert [o["orderNumber"] for o in listed.json()["items"]] == [order["orderNumber"]]
    await browser.aclose()


async def test_checkout_by_cookie_needs_the_csrf_token(shop: ShopDriver):
    buyer = await customer(shop)
    mug = await product(shop, on_hand=3)
    browser = Browser(shop)
    browser.http.cookies.set("jwt", buyer.headers["Authorization"].removeprefix("Bearer "))
    response = await browser.http.post(
        "/bff/orders", json={"shippingAddress": ADDRESS, "lines": [{"productId": mug, "quantity": 1}]}
    )
    assert_problem(response, 403, "CSRF_FAILED")
    await browser.aclose()


async def test_an_unverified_customer_cannot_order_and_nothing_is_reserved(shop: ShopDriver):
    buyer = await customer(shop, verified=False)
    mug = await product(shop, on_hand=3)
    assert_problem(await checkout(shop, buyer, (mug, 1)), 403, "EMAIL_NOT_VERIFIED")
    assert (await stock(shop, mug))["available"] == 3


async def test_checkout_refusals(shop: ShopDriver):
    buyer = await customer(shop)
    mug = await product(shop, on_hand=3)
    body = {"shippingAddress": ADDRESS, "lines": [{"productId": mug, "quantity": 1}]}

    assert_problem(await shop.bff.post("/bff/orders", json=body), 401, "UNAUTHENTICATED")
    missing_key = await shop.bff.post("/bff/orders", json=body, headers=buyer.headers)
    assert assert_problem(missing_key, 400, "VALIDATION_FAILED")["errors"][0]["field"] == "Idempotency-Key"
    bad = {"name": "A", "line1": "", "city": "London", "postalCode": "SW1", "country": "GBR", "phone": "12"}
    invalid = await checkout(shop, buyer, body={"shippingAddress": bad, "lines": body["lines"]})
    fields = {e["field"] for e in assert_problem(invalid, 400, "VALIDATION_FAILED")["errors"]}
    assert fields == {
        "shippingAddress.name",
        "shippingAddress.line1",
        "shippingAddress.country",
        "shippingAddress.phone",
    }
    assert_problem(await checkout(shop, buyer, body={"lines": body["lines"]}), 400, "VALIDATION_FAILED")
    assert_problem(await checkout(shop, buyer), 400, "CART_EMPTY")
    unknown = await checkout(shop, buyer, ("no-such-product", 1), key="k1")
    assert assert_problem(unknown, 404, "NOT_FOUND")["productIds"] == ["no-such-product"]
    zero = await checkout(
        shop, buyer, body={"shippingAddress": ADDRESS, "lines": [{"productId": mug, "quantity": 0}]}
    )
    assert_problem(zero, 400, "VALIDATION_FAILED")
    assert (await stock(shop, mug))["available"] == 3
    # a refused checkout drops its key: the key is free for the corrected request
    retried = await checkout(shop, buyer, (mug, 1), key="k1")
    assert retried.status_code == 201, retried.text
