"""Issue 8, must-be-true 2 (and 5/6 for the admin pages): the seeded admin changes a product's stock,
finds a customer's order with the filters, ships it and sees its audit records by correlation id."""

import re
import time

from playwright.sync_api import Page, expect

from tests.e2e.admin_fixtures import PASSWORD as CUSTOMER_PASSWORD
from tests.e2e.admin_fixtures import place_customer_order
from tests.e2e.browsing import check_page
from tests.e2e.conftest import Browsing


def sign_in_as_admin(browsing: Browsing) -> None:
    seed = browsing.shop.seed
    assert seed is not None and seed.admin_password, "the live shop seeds the demo admin"
    browsing.goto("/login?next=/admin")
    browsing.page.get_by_label("Email").fill(seed.admin_email)
    browsing.page.get_by_label("Password").fill(seed.admin_password)
    browsing.page.get_by_role("button", name="Sign in").click()
    expect(browsing.page.get_by_role("heading", name="Dashboard")).to_be_visible()


def reload_until(page: Page, text: str, timeout: float = 10.0) -> None:
    """Audit records are written by an event consumer, a moment after the change."""
    deadline = time.monotonic() + timeout
    while not page.get_by_role("cell", name=text).count():
        assert time.monotonic() < deadline, f"{text!r} never showed on {page.url}"
        time.sleep(0.3)
        page.reload()


def change_status(page: Page, status: str) -> None:
    page.get_by_label("New status").select_option(status)
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("status")).to_contain_text(f"Status changed to {status}")


def test_admin_changes_stock_finds_the_order_ships_it_and_reads_its_audit_trail(browsing: Browsing) -> None:
    order = place_customer_order(browsing.shop)
    page = browsing.page
    sign_in_as_admin(browsing)
    expect(page.get_by_role("img", name=re.compile("Orders per day"))).to_be_visible()
    check_page(page, "admin-dashboard")

    page.get_by_role("navigation", name="Admin sections").get_by_role("link", name="Products").click()
    page.get_by_label("Search").fill(order.product_name)
    page.get_by_role("button", name="Filter").click()
    stock = page.get_by_label(f"On hand for {order.product_name}")
    stock.fill("77")
    page.get_by_role("button", name=f"Save stock of {order.product_name}").click()
    expect(page.get_by_label(f"On hand for {order.product_name}")).to_have_value("77")
    expect(
        page.get_by_role("row", name=re.compile(re.escape(order.product_name))).get_by_role("cell", name="76")
    )
    check_page(page, "admin-products")

    page.get_by_role("navigation", name="Admin sections").get_by_role("link", name="Orders").click()
    page.get_by_label("Customer email").fill(order.email)
    page.get_by_label("Status").select_option("created")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"customerEmail="))
    expect(page.get_by_role("link", name=order.order_number)).to_be_visible()
    check_page(page, "admin-orders")

    page.get_by_role("link", name=order.order_number).click()
    expect(page.get_by_role("heading", name=f"Order {order.order_number}")).to_be_visible()
    change_status(page, "confirmed")
    page.reload()
    change_status(page, "shipped")
    expect(page.locator("[data-order-status]")).to_have_text("shipped")
    check_page(page, "admin-order")

    page.get_by_role("link", name="See the audit records of this change").click()
    reload_until(page, "order.status.changed ORDER_STATUS_CHANGED")
    check_page(page, "admin-audit")
    page.get_by_label("Correlation id").fill(order.correlation_id)
    page.get_by_role("button", name="Search").click()
    reload_until(page, "order.placed ORDER_PLACED")


def test_every_admin_page_renders_with_named_controls(browsing: Browsing) -> None:
    sign_in_as_admin(browsing)
    for path, heading, shot in [
        ("/admin/users", "Users", "admin-users"),
        ("/admin/emails", "Email log", "admin-emails"),
        ("/admin/dead-letters", "Dead letters", "admin-dead-letters"),
        ("/admin/products/new", "New product", "admin-product-new"),
    ]:
        browsing.goto(path)
        expect(browsing.page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        check_page(browsing.page, shot)


def test_a_bad_audit_filter_is_explained_on_the_page(browsing: Browsing) -> None:
    sign_in_as_admin(browsing)
    browsing.watch.expect(400, "/admin/audit")
    browsing.goto("/admin/audit?from=2030-01-02T00:00&to=2030-01-01T00:00")
    expect(browsing.page.get_by_role("alert")).to_contain_text("`from` must not be later than `to`")
    expect(browsing.page.get_by_label("From")).to_have_value("2030-01-02T00:00")


def test_a_customer_gets_the_403_page_on_admin_pages(browsing: Browsing) -> None:
    order = place_customer_order(browsing.shop)
    browsing.watch.expect(403, "/admin")
    browsing.goto("/login?next=/admin/orders")
    browsing.page.get_by_label("Email").fill(order.email)
    browsing.page.get_by_label("Password").fill(CUSTOMER_PASSWORD)
    browsing.page.get_by_role("button", name="Sign in").click()
    expect(browsing.page.get_by_text("This page is for administrators only.")).to_be_visible()
    assert not browsing.page.get_by_role("table").count()
