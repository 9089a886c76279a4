"""The back office's BFF routes (issue 8): audit search, email log, dashboard and dead letters, each
admin-only, each passing the services' validation errors on as 400 problems."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.helpers import ShopDriver
from tests.integration.accounts import Browser, assert_problem, create_user, make_admin, unique_email
from tests.integration.orders.support import checkout, customer, product
from tests.waiting import eventually, free_port

BACK_OFFICE_ROUTES = [
    ("GET", "/bff/admin/audit"),
    ("GET", "/bff/admin/audit/some-id"),
    ("GET", "/bff/admin/emails"),
    ("GET", "/bff/admin/dashboard"),
    ("GET", "/bff/admin/dead-letters"),
    ("POST", "/bff/admin/dead-letters/notification-service-queue/replay"),
]


async def signed_in_admin(shop: ShopDriver) -> Browser:
    user = await create_user(shop, unique_email("admin"))
    await make_admin(shop, user["id"])
    browser = Browser(shop)
    assert (await browser.login(user["email"])).status_code == 200
    return browser


@pytest.fixture
async def admin(shop: ShopDriver) -> Any:
    browser = await signed_in_admin(shop)
    yield browser
    await browser.aclose()


async def test_customers_get_403_and_strangers_401_on_every_back_office_route(shop):
    customer_user = await create_user(shop, unique_email("customer"))
    browser = Browser(shop)
    await browser.login(customer_user["email"])
    for method, path in BACK_OFFICE_ROUTES:
        assert_problem(await browser.send(method, path), 403, "FORBIDDEN")
        assert_problem(await shop.bff.request(method, path), 401, "UNAUTHENTICATED")
    await browser.aclose()


async def test_audit_search_finds_a_registration_by_correlation_id_email_type_and_time(shop, admin):
    email = unique_email("audited")
    registered = await shop.register(email)
    assert registered.status_code == 201
    correlation = registered.headers["x-correlation-id"]
    await shop.idle()

    by_flow = await admin.http.get("/bff/admin/audit", params={"correlationId": correlation})
    assert by_flow.status_code == 200, by_flow.text
    types = {item["eventType"] for item in by_flow.json()["items"]}
    assert {"user.created", "auth.user.registered"} <= types
    assert all(item["correlationId"] == correlation for item in by_flow.json()["items"])

    hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    found = await admin.http.get(
        "/bff/admin/audit",
        params={"email": email.upper(), "eventType": "auth.user.registered", "from": hour_ago, "pageSize": 5},
    )
    assert found.status_code == 200
    (record,) = found.json()["items"]
    assert record["correlationId"] == correlation and found.json()["pageSize"] == 5
    one = await admin.http.get(f"/bff/admin/audit/{record['id']}")
    assert one.status_code == 200 and one.json()["eventType"] == "auth.user.registered"

    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    later = await admin.http.get("/bff/admin/audit", params={"email": email, "from": future})
    assert later.status_code == 200 and later.json()["totalItems"] == 0


async def test_audit_search_refuses_bad_filters_and_unknown_records(shop, admin):
    now = datetime.now(UTC)
    backwards = {"from": now.isoformat(), "to": (now - timedelta(days=1)).isoformat()}
    body = assert_problem(
        await admin.http.get("/bff/admin/audit", params=backwards), 400, "VALIDATION_FAILED"
    )
    assert body["errors"][0]["field"] == "from"
    for params in ({"from": "yesterday"}, {"pageSize": "101"}, {"page": "0"}, {"success": "maybe"}):
        assert_problem(await admin.http.get("/bff/admin/audit", params=params), 400, "VALIDATION_FAILED")
    assert_problem(await admin.http.get("/bff/admin/audit/no-such-record"), 404, "NOT_FOUND")


async def test_email_log_lists_the_verification_email_with_its_attempts(shop, admin):
    email = unique_email("mailed")
    assert (await shop.register(email)).status_code == 201
    await shop.idle()
    page = await admin.http.get("/bff/admin/emails", params={"to": email, "status": "sent"})
    assert page.status_code == 200, page.text
    (log,) = page.json()["items"]
    assert log["type"] == "email-verification" and log["attempts"] == 1
    assert log["attemptLog"][0]["outcome"] == "sent"
    assert "token=" not in str(log)  # the verification link never reaches the log
    none_failed = await admin.http.get("/bff/admin/emails", params={"to": email, "status": "failed"})
    assert none_failed.json()["totalItems"] == 0
    for params in ({"status": "lost"}, {"pageSize": "0"}, {"to": "x" * 300}):
        assert_problem(await admin.http.get("/bff/admin/emails", params=params), 400, "VALIDATION_FAILED")


async def test_dashboard_shows_todays_orders_revenue_and_low_stock_products(shop, admin):
    plenty = await product(shop, on_hand=50, price="12.50", name="Plenty of stock")
    scarce = await product(shop, on_hand=4, name="Nearly gone", lowStockThreshold=5)
    sold_out = await product(shop, on_hand=0, name="Sold out")
    buyer = await customer(shop)
    placed = await checkout(shop, buyer, (plenty, 2))
    assert placed.status_code == 201, placed.text

    answer = await admin.http.get("/bff/admin/dashboard")
    assert answer.status_code == 200, answer.text
    board = answer.json()
    days = board["ordersPerDay"]
    assert len(days) == 30 and days[-1]["date"] == datetime.now(UTC).date().isoformat()
    today = {"currency": "USD", "amount": placed.json()["total"], "orders": 1}
    assert days[-1]["orders"] == 1 and days[-1]["revenue"] == [today]
    assert board["revenue"][0]["amount"] == placed.json()["total"]
    low_ids = [item["id"] for item in board["lowStock"]["items"]]
    assert low_ids == [sold_out, scarce]  # fewest available first
    assert board["lowStock"]["totalItems"] == 2
    assert board["failedEmails"] == {"items": [], "totalItems": 0}


async def test_low_stock_filter_and_stock_sort_on_the_admin_product_list(shop, admin):
    await product(shop, on_hand=9, name="Above threshold", lowStockThreshold=8)
    at = await product(shop, on_hand=8, name="At threshold", lowStockThreshold=8)
    page = await admin.http.get("/bff/admin/products", params={"lowStock": "true"})
    assert page.status_code == 200 and [p["id"] for p in page.json()["items"]] == [at]
    ordered = await admin.http.get("/bff/admin/products", params={"sort": "stock_asc"})
    assert [p["stock"]["available"] for p in ordered.json()["items"]] == [8, 9]
    bad = await admin.http.get("/bff/admin/products", params={"lowStock": "often"})
    assert_problem(bad, 400, "VALIDATION_FAILED")


async def test_failed_emails_reach_the_dashboard_and_dead_letters_replay(make_shop):
    # Nothing listens on this SMTP port: every delivery fails and, after two attempts, the event
    # is dead-lettered on the notifications queue.
    dead_smtp = f"smtp://127.0.0.1:{free_port()}"
    async with make_shop(smtp_url=dead_smtp, event_max_attempts=2) as shop:
        browser = await signed_in_admin(shop)
        email = unique_email("bounced")
        assert (await shop.register(email)).status_code == 201

        async def dead_letters() -> list[dict[str, Any]] | None:
            response = await browser.http.get("/bff/admin/dead-letters")
            assert response.status_code == 200, response.text
            # the admin's own registration and the customer's: two verification emails
            letters = [d for d in response.json() if d["type"] == "auth.email.verification.requested"]
            return letters if len(letters) == 2 else None

        letters = await eventually(dead_letters, timeout=10, what="the dead-lettered verifications")
        assert {(d["queue"], d["attempts"]) for d in letters} == {("notification-service-queue", 2)}
        assert "SMTP" in letters[0]["error"]

        board = (await browser.http.get("/bff/admin/dashboard")).json()
        failed = [e for e in board["failedEmails"]["items"] if e["to"] == email]
        assert failed and failed[0]["status"] == "failed" and failed[0]["lastError"]
        by_status = await browser.http.get("/bff/admin/emails", params={"status": "failed", "to": email})
        assert by_status.json()["totalItems"] == 1

        replay_path = "/bff/admin/dead-letters/notification-service-queue/replay"
        assert_problem(await browser.http.post(replay_path), 403, "CSRF_FAILED")
        replayed = await browser.send("POST", replay_path)
        assert replayed.status_code == 200, replayed.text
        assert replayed.json() == {"queue": "notification-service-queue", "replayed": 2}
        unknown = await browser.send("POST", "/bff/admin/dead-letters/no-such-queue/replay")
        assert_problem(unknown, 404, "NOT_FOUND")
        bad_name = await browser.send("POST", "/bff/admin/dead-letters/bad%20name/replay")
        assert_problem(bad_name, 400, "VALIDATION_FAILED")
        await browser.aclose()


async def test_the_events_gateway_takes_an_admin_token_or_the_api_key_for_dead_letters(make_shop):
    async with make_shop(events_api_key="k" * 40) as shop, shop.client("events") as events:
        assert (await events.get("/api/v1/dlq", headers=shop.token(["admin"]))).json() == []
        assert (await events.get("/api/v1/dlq", headers={"X-API-Key": "k" * 40})).status_code == 200
        customer_token = shop.token(["customer"])
        assert_problem(await events.get("/api/v1/dlq", headers=customer_token), 403, "FORBIDDEN")
        forged = {"Authorization": "Bearer not-a-token"}
        assert_problem(await events.get("/api/v1/dlq", headers=forged), 401, "INVALID_TOKEN")
        wrong_key = shop.token(["admin"]) | {"X-API-Key": "wrong"}
        assert_problem(await events.get("/api/v1/dlq", headers=wrong_key), 401, "INVALID_API_KEY")
        assert_problem(await events.get("/api/v1/dlq"), 401, "INVALID_API_KEY")
        publish = {"type": "user.created", "source": "x", "data": {}}
        refused = await events.post("/api/v1/publish", json=publish, headers=shop.token(["admin"]))
        assert_problem(refused, 401, "INVALID_API_KEY")  # publishing stays API-key only
