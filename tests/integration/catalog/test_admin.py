"""Acceptance 2 and 4: only admins change the catalogue (the BFF and the catalog service both check),
customers never see inactive products, unknown ids are 404, and stock updates are published and
audited with the admin's id and the correlation id. Every error answer of the admin routes.
Each test names and asks within its own namespace, its admin included, so it holds on a shared shop."""

import uuid
from datetime import timedelta

import pytest

from tests.integration.catalog.support import ADMIN_ID, Namespace, assert_problem, ids_of
from tests.waiting import free_port
from xshop.platform.clock import utcnow
from xshop.platform.security.tokens import JwtCodec, token_digest

NEW_PRODUCT = {"sku": "new-1", "name": "New Thing", "price": "5.00", "category": "misc", "onHand": 3}


def new_product(namespace: Namespace) -> dict:
    """``NEW_PRODUCT`` in the test's namespace (found by ``namespace.scoped`` searches)."""
    return NEW_PRODUCT | {
        "sku": f"new-{namespace.key}",
        "category": namespace.category("misc"),
        "tags": [namespace.tag("gift")],
    }


def admin_routes(product_id: str, new: dict = NEW_PRODUCT) -> list[tuple[str, str, dict | None]]:
    return [
        ("GET", "/bff/admin/products", None),
        ("GET", f"/bff/admin/products/{product_id}", None),
        ("POST", "/bff/admin/products", new),
        ("PATCH", f"/bff/admin/products/{product_id}", {"price": "1.00"}),
        ("POST", f"/bff/admin/products/{product_id}/deactivate", None),
        ("PATCH", f"/bff/admin/products/{product_id}/stock", {"onHand": 0, "reason": "stolen"}),
    ]


def service_route(method: str, path: str) -> str:
    return path.replace("/bff/admin/products", "/api/admin/products")


@pytest.mark.any_runtime
async def test_deactivated_products_disappear_for_customers_and_stay_for_admins(
    shop, catalogue, admin, customer
):
    red_mug = catalogue.by_letter["A"]
    response = await shop.bff.post(f"/bff/admin/products/{red_mug}/deactivate", headers=admin)
    assert response.status_code == 200, response.text
    assert response.json()["isActive"] is False

    everyone = catalogue.scoped({"pageSize": 100})
    for headers in ({}, customer, admin):  # the public routes ignore who asks
        listed = ids_of(await shop.bff.get("/bff/products", params=everyone, headers=headers))
        assert red_mug not in listed and catalogue.by_letter["H"] not in listed
        assert_problem(await shop.bff.get(f"/bff/products/{red_mug}", headers=headers), 404, "NOT_FOUND")
    assert ids_of(await shop.bff.get("/bff/products", params=catalogue.scoped({"q": "red mug"}))) == []
    kitchen = catalogue.own_categories((await shop.bff.get("/bff/categories")).json())["items"][1]
    assert kitchen == {"category": catalogue.category("kitchen"), "count": 3}

    visible = await shop.bff.get(
        "/bff/admin/products", params=catalogue.scoped({"pageSize": 100}), headers=admin
    )
    assert red_mug not in ids_of(visible)
    everything = await shop.bff.get(
        "/bff/admin/products",
        params=catalogue.scoped({"pageSize": 100, "includeInactive": "true"}),
        headers=admin,
    )
    assert {red_mug, catalogue.by_letter["H"]} <= set(ids_of(everything))
    assert len(ids_of(everything)) == 9
    detail = (await shop.bff.get(f"/bff/admin/products/{red_mug}", headers=admin)).json()
    assert detail["isActive"] is False
    assert detail["stock"] == {
        "available": 10,
        "status": "in_stock",
        "onHand": 10,
        "reserved": 0,
        "lowStockThreshold": 5,
    }

    again = await shop.bff.post(f"/bff/admin/products/{red_mug}/deactivate", headers=admin)
    assert again.status_code == 200  # idempotent
    back = await shop.bff.patch(f"/bff/admin/products/{red_mug}", json={"isActive": True}, headers=admin)
    assert back.json()["isActive"] is True
    assert (await shop.bff.get(f"/bff/products/{red_mug}")).status_code == 200


ROUTE_NAMES = ["list", "get", "create", "update", "deactivate", "stock"]


@pytest.mark.parametrize("route", range(6), ids=ROUTE_NAMES)
@pytest.mark.any_runtime
async def test_customers_get_403_and_strangers_401_on_every_admin_route(shop, catalogue, customer, route):
    method, path, body = admin_routes(catalogue.by_letter["A"], new_product(catalogue))[route]
    async with shop.client("catalog") as catalog:
        for client, target in ((shop.bff, path), (catalog, service_route(method, path))):
            forbidden = await client.request(method, target, json=body, headers=customer)
            assert_problem(forbidden, 403, "FORBIDDEN")
            assert_problem(await client.request(method, target, json=body), 401, "UNAUTHENTICATED")
            bad = {"Authorization": "Bearer not-a-token"}
            assert_problem(await client.request(method, target, json=body, headers=bad), 401, "INVALID_TOKEN")
    unchanged = (await shop.bff.get(f"/bff/products/{catalogue.by_letter['A']}")).json()
    assert (unchanged["price"], unchanged["stock"]["available"]) == ("12.00", 10)
    assert ids_of(await shop.bff.get("/bff/products", params=catalogue.scoped({"q": "new thing"}))) == []


@pytest.mark.any_runtime
async def test_an_expired_admin_token_is_401(shop):
    settings = shop.settings
    codec = JwtCodec(settings.resolved_jwt_secret(), settings.jwt_issuer, settings.jwt_audience)
    expired, _ = codec.issue_access(
        user_id=ADMIN_ID,
        email="admin@example.com",
        roles=["admin"],
        now=utcnow() - timedelta(hours=1),
        ttl=timedelta(minutes=15),
    )
    response = await shop.bff.post(
        "/bff/admin/products", json=NEW_PRODUCT, headers={"Authorization": f"Bearer {expired}"}
    )
    assert_problem(response, 401, "INVALID_TOKEN")


@pytest.mark.any_runtime
@pytest.mark.parametrize("route", [1, 3, 4, 5], ids=["get", "update", "deactivate", "stock"])
async def test_unknown_ids_are_404_on_admin_routes(shop, admin, route):
    method, path, body = admin_routes(str(uuid.uuid4()))[route]
    assert_problem(await shop.bff.request(method, path, json=body, headers=admin), 404, "NOT_FOUND")


@pytest.mark.any_runtime
async def test_creating_and_editing_publish_events_the_audit_files_under_the_admin(shop, namespace, admin):
    cid = str(uuid.uuid4())
    admin_id, sku = namespace.admin_id, f"NEW-{namespace.key.upper()}"
    created = await shop.bff.post(
        "/bff/admin/products",
        json={**new_product(namespace), "tags": ["Gift"], "imageUrls": ["https://img.example.com/1.png"]},
        headers=admin | {"X-Correlation-ID": cid},
    )
    assert created.status_code == 201, created.text
    product = created.json()
    assert (product["sku"], product["tags"], product["stock"]["onHand"]) == (sku, ["gift"], 3)
    updated = await shop.bff.patch(
        f"/bff/admin/products/{product['id']}",
        json={"price": "4.50", "tags": ["gift", "sale"], "name": "New Thing"},
        headers=admin | {"X-Correlation-ID": cid},
    )
    assert updated.status_code == 200, updated.text
    assert (updated.json()["price"], updated.json()["tags"]) == ("4.50", ["gift", "sale"])

    await shop.idle()
    records = {r["eventType"]: r for r in await shop.audit(correlationId=cid)}
    assert set(records) == {"product.created", "product.updated"}
    assert all(r["userId"] == admin_id for r in records.values())
    assert records["product.created"]["action"] == "PRODUCT_CREATED"
    assert records["product.created"]["payload"] | {"timestamp": None, "productId": None} == {
        "productId": None,
        "sku": sku,
        "name": "New Thing",
        "price": "5.00",
        "currency": "USD",
        "category": namespace.category("misc"),
        "tags": ["gift"],
        "isActive": True,
        "onHand": 3,
        "adminId": admin_id,
        "userId": admin_id,
        "correlationId": cid,
        "timestamp": None,
    }
    assert records["product.updated"]["payload"]["changes"] == {
        "price": {"old": "5.00", "new": "4.50"},
        "tags": {"old": ["gift"], "new": ["gift", "sale"]},
    }


@pytest.mark.parametrize(
    ("change", "old", "new"),
    [({"onHand": 4}, 25, 4), ({"delta": -5}, 25, 20), ({"delta": 100}, 25, 125), ({"onHand": 25}, 25, 25)],
)
@pytest.mark.any_runtime
async def test_a_stock_update_is_published_and_audited_with_the_admin_and_correlation_id(
    shop, catalogue, admin, change, old, new
):
    tumbler = catalogue.by_letter["D"]
    cid = str(uuid.uuid4())
    response = await shop.bff.patch(
        f"/bff/admin/products/{tumbler}/stock",
        json={**change, "reason": "  cycle   count "},
        headers=admin | {"X-Correlation-ID": cid},
    )
    assert response.status_code == 200, response.text
    assert response.headers["x-correlation-id"] == cid
    assert response.json()["stock"]["onHand"] == new
    assert (await shop.bff.get(f"/bff/products/{tumbler}")).json()["stock"]["available"] == new

    await shop.idle()
    [record] = await shop.audit(eventType="inventory.stock.updated", correlationId=cid)
    admin_id = catalogue.admin_id
    assert (record["userId"], record["correlationId"], record["action"]) == (admin_id, cid, "STOCK_UPDATED")
    assert record["payload"] | {"timestamp": None} == {
        "productId": tumbler,
        "sku": catalogue.sku("D"),
        "oldOnHand": old,
        "newOnHand": new,
        "delta": new - old,
        "reserved": 0,
        "reason": "cycle count",
        "adminId": admin_id,
        "userId": admin_id,
        "correlationId": cid,
        "timestamp": None,
    }
    assert await shop.audit(userId=admin_id, eventType="inventory.stock.updated") == [record]


@pytest.mark.any_runtime
async def test_stock_never_goes_below_what_is_reserved(shop, catalogue, admin):
    grinder = catalogue.by_letter["C"]  # 3 on hand
    service = shop.token(["service"], user_id="service:orders")
    async with shop.client("catalog") as catalog:
        held = await catalog.post(
            "/api/catalog/reservations",
            json={"lines": [{"productId": grinder, "quantity": 2}]},
            headers=service,
        )
    assert held.status_code == 201, held.text
    for change in ({"onHand": 1}, {"delta": -2}, {"delta": -4}):
        response = await shop.bff.patch(
            f"/bff/admin/products/{grinder}/stock", json={**change, "reason": "recount"}, headers=admin
        )
        problem = assert_problem(response, 409, "STOCK_BELOW_RESERVED")
        assert (problem["onHand"], problem["reserved"]) == (3, 2)
    ok = await shop.bff.patch(
        f"/bff/admin/products/{grinder}/stock", json={"onHand": 2, "reason": "recount"}, headers=admin
    )
    assert ok.json()["stock"] == {
        "available": 0,
        "status": "out_of_stock",
        "onHand": 2,
        "reserved": 2,
        "lowStockThreshold": 5,
    }
    await shop.idle()
    updates = await shop.audit(eventType="inventory.stock.updated")  # newest first: this test's
    assert [r["payload"]["newOnHand"] for r in updates if r["payload"]["productId"] == grinder] == [2]


@pytest.mark.any_runtime
async def test_skus_are_unique_in_any_letter_case(shop, catalogue, admin):
    taken = await shop.bff.post(
        "/bff/admin/products",
        json={**new_product(catalogue), "sku": catalogue.sku("A").lower()},
        headers=admin,
    )
    assert_problem(taken, 409, "SKU_EXISTS")
    renamed = await shop.bff.patch(
        f"/bff/admin/products/{catalogue.by_letter['B']}", json={"sku": catalogue.sku("A")}, headers=admin
    )
    assert_problem(renamed, 409, "SKU_EXISTS")
    same = await shop.bff.patch(
        f"/bff/admin/products/{catalogue.by_letter['B']}",
        json={"sku": catalogue.sku("B").lower(), "name": "Navy Mug"},
        headers=admin,
    )
    assert same.status_code == 200, same.text
    await shop.idle()
    [updated] = await shop.audit(eventType="product.updated", userId=catalogue.admin_id)
    assert updated["payload"]["changes"] == {"name": {"old": "Blue Mug", "new": "Navy Mug"}}


@pytest.mark.parametrize(
    ("method", "suffix", "body", "field"),
    [
        ("POST", "", {**NEW_PRODUCT, "price": "-1"}, "price"),
        ("POST", "", {**NEW_PRODUCT, "price": "1.999"}, "price"),
        ("POST", "", {key: v for key, v in NEW_PRODUCT.items() if key != "name"}, "name"),
        ("POST", "", {**NEW_PRODUCT, "onHand": -1}, "onHand"),
        ("POST", "", {**NEW_PRODUCT, "currency": "dollars"}, "currency"),
        ("POST", "", {**NEW_PRODUCT, "stock": 5}, "stock"),
        ("POST", "", [NEW_PRODUCT], "body"),
        ("PATCH", "/{id}", {}, "body"),
        ("PATCH", "/{id}", {"price": None}, "price"),
        ("PATCH", "/{id}", {"onHand": 5}, "onHand"),
        ("PATCH", "/{id}/stock", {"onHand": 5}, "reason"),
        ("PATCH", "/{id}/stock", {"onHand": 5, "delta": 1, "reason": "x"}, "body"),
        ("PATCH", "/{id}/stock", {"reason": "x"}, "body"),
        ("PATCH", "/{id}/stock", {"delta": 0, "reason": "x"}, "body"),
        ("PATCH", "/{id}/stock", {"onHand": -3, "reason": "x"}, "onHand"),
        ("PATCH", "/{id}/stock", {"onHand": "7", "reason": "x"}, "onHand"),
        ("PATCH", "/{id}/stock", {"delta": 1, "reason": ""}, "reason"),
        ("PATCH", "/{id}/stock", {"delta": 1, "reason": "r" * 201}, "reason"),
        ("PATCH", "/{id}/stock", {"delta": 999_999_999, "reason": "x"}, "delta"),
    ],
)
@pytest.mark.any_runtime
async def test_invalid_admin_requests_are_400_with_the_field(
    shop, catalogue, admin, method, suffix, body, field
):
    path = "/bff/admin/products" + suffix.format(id=catalogue.by_letter["D"])
    problem = assert_problem(
        await shop.bff.request(method, path, json=body, headers=admin), 400, "VALIDATION_FAILED"
    )
    assert field in {error["field"] for error in problem["errors"]}, problem
    assert (await shop.bff.get(f"/bff/products/{catalogue.by_letter['D']}")).json()["stock"][
        "available"
    ] == 25


@pytest.mark.any_runtime
async def test_malformed_json_is_400(shop, admin):
    response = await shop.bff.post(
        "/bff/admin/products", content=b"{not json", headers=admin | {"Content-Type": "application/json"}
    )
    assert_problem(response, 400, "MALFORMED_JSON")


@pytest.mark.any_runtime
async def test_cookie_sessions_need_their_csrf_token_to_change_the_catalogue(shop, catalogue):
    settings = shop.settings
    codec = JwtCodec(settings.resolved_jwt_secret(), settings.jwt_issuer, settings.jwt_audience)
    csrf = "csrf-token-of-this-session"
    token, _ = codec.issue_access(
        user_id=ADMIN_ID,
        email="admin@example.com",
        roles=["admin"],
        now=utcnow(),
        ttl=timedelta(minutes=5),
        session_id="session-1",
        csrf_digest=token_digest(csrf),
    )
    shop.bff.cookies.set("jwt", token)
    shop.bff.cookies.set("csrfToken", csrf)
    try:
        assert (await shop.bff.get("/bff/admin/products")).status_code == 200  # reads need no token
        path = f"/bff/admin/products/{catalogue.by_letter['D']}/stock"
        body = {"delta": -1, "reason": "sold at the counter"}
        for headers in ({}, {"X-CSRF-Token": "another-token"}, {"X-CSRF-Token": ""}):
            assert_problem(await shop.bff.patch(path, json=body, headers=headers), 403, "CSRF_FAILED")
        ok = await shop.bff.patch(path, json=body, headers={"X-CSRF-Token": csrf})
        assert ok.status_code == 200, ok.text
        assert ok.json()["stock"]["onHand"] == 24
    finally:
        shop.bff.cookies.clear()


async def test_the_catalog_service_is_unavailable_as_a_clean_503(make_shop):  # a shop of its own: embedded
    async with make_shop(
        catalog_url=f"http://127.0.0.1:{free_port()}", service_timeout_seconds=1, database_retry_seconds=0.5
    ) as shop:
        for path in ("/bff/products", "/bff/products/p1", "/bff/categories"):
            assert_problem(await shop.bff.get(path), 503, "CATALOG_SERVICE_UNAVAILABLE")
        admin = shop.token(["admin"], user_id=ADMIN_ID)
        created = await shop.bff.post("/bff/admin/products", json=NEW_PRODUCT, headers=admin)
        assert_problem(created, 503, "CATALOG_SERVICE_UNAVAILABLE")
