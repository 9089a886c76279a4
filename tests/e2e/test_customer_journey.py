"""Issue 8, must-be-true 1: a customer's whole journey in a real browser, with the real emails."""

import re
import uuid

from playwright.sync_api import Page, expect

from tests.e2e.browsing import check_page, link_in, wait_for_mail
from tests.e2e.conftest import Browsing

PASSWORD = "Journey1pass"
ADDRESS = {
    "Full name": "Ada Lovelace",
    "Street address": "12 Analytical Row",
    "City": "London",
    "Postal code": "NW1 6XE",
    "Country code": "GB",
}


def fill_registration(page: Page, email: str, password: str = PASSWORD) -> None:
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Confirm password").fill(password)


def add_to_cart(browsing: Browsing, quantity: int) -> str:
    page = browsing.page
    page.get_by_label("Quantity").fill(str(quantity))
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status")).to_contain_text("Added to your cart")
    return page.get_by_role("heading", level=1).inner_text()


def test_register_verify_login_search_buy_and_find_the_order(browsing: Browsing) -> None:
    page, mail = browsing.page, browsing.shop.urls.mail
    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"

    browsing.goto("/register")
    check_page(page, "register")
    fill_registration(page, email)
    expect(page.get_by_text("Password strength: strong")).to_be_visible()
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/register/done\?email="))
    expect(page.get_by_text(f"We've sent a verification email to {email}")).to_be_visible()
    check_page(page, "register-done")

    verification = wait_for_mail(mail, email, "verify")
    page.goto(link_in(verification, browsing.shop.urls.web, "/bff/auth/email/verify"))
    expect(page.get_by_role("heading", name="Email verified")).to_be_visible()
    check_page(page, "verify-email")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.get_by_role("link", name="Sign in").click()
    check_page(page, "login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="My orders")).to_be_visible()

    page.get_by_role("searchbox", name="Search").fill("headphones")
    page.get_by_label("Sort by").select_option("price_asc")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=headphones"))
    check_page(page, "catalogue")
    in_stock = page.locator(".product-card").filter(has_text="In stock")
    first, second = in_stock.nth(0), in_stock.nth(1)
    second_href = second.get_by_role("link").get_attribute("href")
    first.get_by_role("link").click()
    check_page(page, "product")
    names = [add_to_cart(browsing, 2)]
    assert second_href is not None
    browsing.goto(second_href)
    names.append(add_to_cart(browsing, 1))

    page.get_by_role("link", name="Cart", exact=True).click()
    for name in names:
        expect(page.get_by_role("link", name=name)).to_be_visible()
    check_page(page, "cart")
    page.get_by_role("link", name="Check out").click()
    for label, value in ADDRESS.items():
        page.get_by_label(label, exact=True).fill(value)
    check_page(page, "checkout")
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
    check_page(page, "order-confirmation")
    number = page.get_by_role("status").locator("strong").inner_text()
    confirmation = wait_for_mail(mail, email, number)
    assert all(name in confirmation["Text"] for name in names)

    page.get_by_role("link", name="My orders").first.click()
    expect(page.get_by_role("link", name=number)).to_be_visible()
    check_page(page, "orders")
    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", name=f"Order {number}")).to_be_visible()
    check_page(page, "order")
