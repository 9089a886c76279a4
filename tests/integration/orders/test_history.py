"""Acceptance 6: customers see only their own orders (404 for anyone else's); admin filters, sorts
and pages return exactly the expected orders; statuses follow the allowed transitions."""

from typing import Any

import pytest

from tests.helpers import MovableClock, ShopDriver
from tests.integration.accounts import assert_problem
from tests.integration.orders.conftest import MakeShop
from tests.integration.orders.support import Customer, admin, admin_orders, checkout, customer, product, stock

pytestmark = pytest.mark.any_runtime


async def _place(shop: ShopDriver, buyer: Customer, item: str, quantity: int) -> dict[str, Any]:
    response = await checkout(shop, buyer, (item, quantity))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _set_status(shop: ShopDriver, order: dict[str, Any], status: str) -> Any:
    return await shop.bff.patch(
        f"/bff/admin/orders/{order['id']}/status", json={"status": status}, headers=admin(shop)
    )


def numbers(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [o["orderNumber"] for o in response.json()["items"]]


async def test_a_customer_cannot_read_cancel_or_list_another_customers_orders(shop: ShopDriver):
    ada, bob = await customer(shop), await customer(shop)
    item = await product(shop, 10)
    order = await _place(shop, ada, item, 1)

    assert_problem(await shop.bff.get(f"/bff/orders/{order['id']}", headers=bob.headers), 404, "NOT_FOUND")
    cancel = await shop.bff.post(f"/bff/orders/{order['id']}/cancel", headers=bob.headers)
    assert_problem(cancel, 404, "NOT_FOUND")
    assert (await shop.bff.get("/bff/orders", headers=bob.headers)).json()["items"] == []
    assert_problem(await shop.bff.get("/bff/admin/orders", headers=bob.headers), 403, "FORBIDDEN")
    assert_problem(await shop.bff.get("/bff/admin/orders/stats", headers=bob.headers), 403, "FORBIDDEN")
    assert_problem(await shop.bff.get("/bff/admin/orders"), 401, "UNAUTHENTICATED")
    assert_problem(await shop.bff.get("/bff/orders"), 401, "UNAUTHENTICATED")
    status = await shop.bff.patch(f"/bff/admin/orders/{order['id']}/status", json={"status": "confirmed"})
    assert_problem(status, 401, "UNAUTHENTICATED")
    assert_problem(
        await shop.bff.get(f"/bff/admin/orders/{order['id']}", headers=bob.headers), 403, "FORBIDDEN"
    )
    assert (await shop.bff.get(f"/bff/orders/{order['id']}", headers=ada.headers)).status_code == 200
    assert (await shop.bff.get(f"/bff/admin/orders/{order['id']}", headers=admin(shop))).status_code == 200
    assert_problem(await shop.bff.get("/bff/orders/no-such-order", headers=ada.headers), 404, "NOT_FOUND")


async def test_customer_cancels_and_the_stock_comes_back_once(make_orders_shop: MakeShop):
    async with make_orders_shop() as shop:
        await _cancel_and_restock(shop)


async def _cancel_and_restock(shop: ShopDriver) -> None:
    ada = await customer(shop)
    item = await product(shop, 10)
    order = await _place(shop, ada, item, 4)
    assert (await stock(shop, item))["onHand"] == 6

    cancelled = await shop.bff.post(f"/bff/orders/{order['id']}/cancel", headers=ada.headers)

    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert [h["toStatus"] for h in cancelled.json()["history"]] == ["created", "cancelled"]
    assert (await stock(shop, item))["onHand"] == 10
    again = await shop.bff.post(f"/bff/orders/{order['id']}/cancel", headers=ada.headers)
    assert assert_problem(again, 409, "INVALID_TRANSITION")["currentStatus"] == "cancelled"
    assert (await stock(shop, item))["onHand"] == 10
    await shop.idle()
    changed = await shop.audit(action="ORDER_STATUS_CHANGED", userId=ada.id)
    assert len(changed) == 1
    subjects = [m["Subject"] for m in await shop.mails_to(ada.email)]
    assert f"Order #{order['orderNumber']} is cancelled" in subjects


async def test_admin_status_changes_follow_the_allowed_transitions(make_orders_shop: MakeShop):
    async with make_orders_shop() as shop:
        await _transitions(shop)


async def _transitions(shop: ShopDriver) -> None:
    ada = await customer(shop)
    item = await product(shop, 10)
    shipped = await _place(shop, ada, item, 1)
    for status in ("confirmed", "shipped"):
        response = await _set_status(shop, shipped, status)
        assert response.status_code == 200 and response.json()["status"] == status
    assert_problem(await _set_status(shop, shipped, "cancelled"), 409, "INVALID_TRANSITION")
    assert_problem(
        await shop.bff.post(f"/bff/orders/{shipped['id']}/cancel", headers=ada.headers),
        409,
        "INVALID_TRANSITION",
    )
    assert (await _set_status(shop, shipped, "delivered")).json()["status"] == "delivered"
    assert_problem(await _set_status(shop, shipped, "shipped"), 409, "INVALID_TRANSITION")
    assert_problem(await _set_status(shop, shipped, "lost"), 400, "VALIDATION_FAILED")

    confirmed = await _place(shop, ada, item, 2)
    assert_problem(await _set_status(shop, confirmed, "delivered"), 409, "INVALID_TRANSITION")
    assert (await _set_status(shop, confirmed, "confirmed")).status_code == 200
    assert (await stock(shop, item))["onHand"] == 7
    assert (await _set_status(shop, confirmed, "cancelled")).json()["status"] == "cancelled"
    assert (await stock(shop, item))["onHand"] == 9
    assert_problem(await _set_status(shop, {"id": "missing"}, "confirmed"), 404, "NOT_FOUND")


async def test_admin_filters_sorts_pages_and_stats(make_shop):
    clock = MovableClock()
    async with make_shop(clock=clock) as shop:
        ada, bob = await customer(shop, tag="ada"), await customer(shop, tag="bob")
        five, forty = await product(shop, 100, "5.00"), await product(shop, 100, "40.00")
        days = []
        placed: dict[str, dict[str, Any]] = {}
        clock.advance(days=-3)
        for day, plan in enumerate(
            [
                [("A1", ada, five, 1)],
                [("B1", bob, forty, 1), ("A2", ada, five, 3)],
                [("B2", bob, five, 2)],
                [("A3", ada, forty, 2)],
            ]
        ):
            days.append(clock().date().isoformat())
            for name, buyer, item, quantity in plan:
                placed[name] = await _place(shop, buyer, item, quantity)
            if day < 3:
                clock.advance(days=1)
        assert (await _set_status(shop, placed["A2"], "confirmed")).status_code == 200
        assert (await _set_status(shop, placed["B2"], "cancelled")).status_code == 200
        n = {name: order["orderNumber"] for name, order in placed.items()}

        def expect(*names: str) -> list[str]:
            return [n[name] for name in names]

        assert numbers(await admin_orders(shop)) == expect("A3", "B2", "A2", "B1", "A1")
        assert numbers(await admin_orders(shop, sort="date_asc")) == expect("A1", "B1", "A2", "B2", "A3")
        assert numbers(await admin_orders(shop, sort="total_desc")) == expect("A3", "B1", "A2", "B2", "A1")
        assert numbers(await admin_orders(shop, sort="total_asc")) == expect("A1", "B2", "A2", "B1", "A3")
        assert numbers(await admin_orders(shop, status="cancelled")) == expect("B2")
        assert numbers(await admin_orders(shop, customerEmail=bob.email)) == expect("B2", "B1")
        assert numbers(await admin_orders(shop, **{"from": days[1], "to": days[2]})) == expect(
            "B2", "A2", "B1"
        )
        assert numbers(await admin_orders(shop, **{"from": days[3]})) == expect("A3")
        assert numbers(await admin_orders(shop, minTotal="10", maxTotal="40.00", sort="total_asc")) == expect(
            "B2", "A2", "B1"
        )
        assert numbers(await admin_orders(shop, customerEmail=ada.email, minTotal="10")) == expect("A3", "A2")
        for bad in (
            {"minTotal": "50", "maxTotal": "10"},
            {"sort": "price"},
            {"status": "lost"},
            {"from": "yesterday"},
        ):
            assert_problem(await admin_orders(shop, **bad), 400, "VALIDATION_FAILED")

        pages = [await admin_orders(shop, page=p, pageSize=2) for p in (1, 2, 3)]
        assert [numbers(p) for p in pages] == [expect("A3", "B2"), expect("A2", "B1"), expect("A1")]
        assert [(p.json()["hasPrevious"], p.json()["hasNext"]) for p in pages] == [
            (False, True),
            (True, True),
            (True, False),
        ]
        assert pages[0].json()["totalItems"] == 5 and pages[0].json()["totalPages"] == 3

        mine = await shop.bff.get("/bff/orders", params={"pageSize": 2}, headers=ada.headers)
        assert numbers(mine) == expect("A3", "A2") and mine.json()["totalItems"] == 3

        stats = await shop.bff.get("/bff/admin/orders/stats", headers=admin(shop))
        assert stats.status_code == 200, stats.text
        body = stats.json()
        counts = {c["status"]: c["count"] for c in body["countsByStatus"]}
        assert counts == {"created": 3, "confirmed": 1, "shipped": 0, "delivered": 0, "cancelled": 1}
        assert body["revenue"] == [{"currency": "USD", "amount": "140.00", "orders": 4}]
        per_day = {d["date"]: d for d in body["ordersPerDay"]}
        assert len(body["ordersPerDay"]) == 30 and body["ordersPerDay"][-1]["date"] == days[3]
        assert [per_day[day]["orders"] for day in days] == [1, 2, 1, 1]
        assert per_day[days[2]]["revenue"] == []
        assert per_day[days[1]]["revenue"] == [{"currency": "USD", "amount": "55.00", "orders": 2}]
