"""Issue 8, must-be-true 4 (a double click on "Place order" makes one order) and the quiet handling
of an expired session: refreshed once, then the user is sent to sign in."""

import re
import uuid
from typing import Any

from playwright.sync_api import expect

from tests.e2e.browsing import link_in, wait_for_mail
from tests.e2e.conftest import Browsing
from tests.e2e.test_customer_journey import ADDRESS, PASSWORD


def verified_customer_with_cart(browsing: Browsing) -> dict[str, Any]:
    """Signed in (cookies in the browser's context), verified, with one in-stock product in the cart."""
    api = browsing.context.request
    email = f"buyer-{uuid.uuid4().hex[:8]}@example.com"
    registered = api.post(
        browsing.url("/bff/auth/register"), data={"firstName": "Bea", "email": email, "password": PASSWORD}
    )
    assert registered.status == 201, registered.text()
    mail = wait_for_mail(browsing.shop.urls.mail, email, "verify")
    link = link_in(mail, browsing.shop.urls.web, "/bff/auth/email/verify")
    assert api.get(link, headers={"Accept": "application/json"}).status == 200
    products = api.get(browsing.url("/bff/products?inStock=true&pageSize=1")).json()["items"]
    put = api.put(
        browsing.url(f"/bff/cart/items/{products[0]['id']}"),
        data={"quantity": 1},
        headers={"X-CSRF-Token": browsing.csrf()},
    )
    assert put.status == 200, put.text()
    return {"email": email, "product": products[0]}


def my_orders(browsing: Browsing) -> dict[str, Any]:
    answer = browsing.context.request.get(browsing.url("/bff/orders"))
    assert answer.status == 200, answer.text()
    return dict(answer.json())


def test_double_clicking_place_order_makes_one_order(browsing: Browsing) -> None:
    verified_customer_with_cart(browsing)
    page = browsing.page
    posts: list[str] = []
    page.on(
        "request", lambda r: posts.append(r.url) if r.method == "POST" and "/bff/orders" in r.url else None
    )
    browsing.goto("/checkout")
    for label, value in ADDRESS.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Place order").dblclick()
    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
    orders = my_orders(browsing)
    assert orders["totalItems"] == 1
    assert len(posts) == 1


def test_checkout_shows_address_errors_on_their_fields(browsing: Browsing) -> None:
    verified_customer_with_cart(browsing)
    page = browsing.page
    browsing.watch.expect(400, "/bff/orders")
    browsing.goto("/checkout")
    page.get_by_label("Full name", exact=True).fill("A")
    page.get_by_label("Country code", exact=True).fill("G1")
    page.get_by_role("button", name="Place order").click()
    expect(page.locator("#f-shippingAddress-country-error")).not_to_be_empty()
    expect(page.locator("#f-shippingAddress-line1-error")).not_to_be_empty()
    assert page.get_by_label("Street address").get_attribute("aria-invalid") == "true"
    assert my_orders(browsing)["totalItems"] == 0


def drop_cookies(browsing: Browsing, *names: str) -> None:
    kept = [c for c in browsing.context.cookies() if c["name"] not in names]
    browsing.context.clear_cookies()
    browsing.context.add_cookies(kept)  # type: ignore[arg-type]


def test_an_expired_access_token_is_refreshed_quietly_on_pages_and_in_scripts(browsing: Browsing) -> None:
    customer = verified_customer_with_cart(browsing)
    page = browsing.page
    drop_cookies(browsing, "jwt")  # what the browser does when the 15-minute cookie expires
    browsing.goto("/account")
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value(customer["email"])
    assert any(c["name"] == "jwt" for c in browsing.context.cookies()), (
        "the refreshed session reached the browser"
    )

    browsing.goto(f"/products/{customer['product']['id']}")
    drop_cookies(browsing, "jwt")
    browsing.watch.expect(401, "/bff/cart")  # the script's first try, before it refreshes
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status")).to_contain_text("Added to your cart (2 in cart)")


def test_an_ended_session_sends_the_user_to_sign_in_and_back(browsing: Browsing) -> None:
    customer = verified_customer_with_cart(browsing)
    page = browsing.page
    drop_cookies(browsing, "jwt", "refreshToken")
    browsing.goto("/orders?page=1")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Forders%3Fpage%3D1$"))
    page.get_by_label("Email").fill(customer["email"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My orders")).to_be_visible()
    assert page.url.endswith("/orders?page=1")
