"""Classic SQL injection payloads in every string parameter of the read and search operations: each is
a 4xx or a normal (usually empty) answer, never a 5xx, and the data is intact afterwards."""

import pytest

from tests.helpers import PASSWORD, ShopDriver
from tests.integration.catalog.support import seed

PAYLOADS = [
    "' OR '1'='1",
    '"; DROP TABLE users; --',
    "%' --",
    "1; DELETE FROM products WHERE '1'='1",
    "' UNION SELECT password_hash, email FROM users --",
    "\u02bc OR \u02bc1\u02bc=\u02bc1",  # a lookalike quote (U+02BC) that normalisers may turn into '
    "\\'; SELECT pg_sleep(5); --",
]
# (service, path, string parameters): the public and admin read/search surfaces.
SURFACES = [
    ("gateway", "/bff/products", ["q", "category", "tags", "sort", "minPrice"]),
    ("gateway", "/bff/admin/orders", ["status", "customerEmail", "from", "sort", "minTotal"]),
    ("gateway", "/bff/admin/users", ["search", "role"]),
    ("catalog", "/api/admin/products", ["q", "category", "sort"]),
    ("audit", "/api/audit/logs", ["userId", "email", "eventType", "action", "correlationId", "ipAddress"]),
]


async def _snapshot(shop: ShopDriver, admin: dict[str, str]) -> tuple[int, int, int]:
    products = await shop.bff.get("/bff/admin/products", params={"pageSize": 1}, headers=admin)
    users = await shop.bff.get("/bff/admin/users", params={"pageSize": 1}, headers=admin)
    public = await shop.bff.get("/bff/products", params={"pageSize": 1})
    assert products.status_code == users.status_code == public.status_code == 200
    return products.json()["totalItems"], users.json()["totalItems"], public.json()["totalItems"]


@pytest.mark.parametrize(("service", "path", "names"), SURFACES, ids=[s[1] for s in SURFACES])
async def test_injection_in_every_query_string_is_harmless(shop, service, path, names):
    admin = shop.token(["admin"])
    await seed(shop, admin)
    assert (await shop.register("victim@example.com")).status_code == 201
    before = await _snapshot(shop, admin)
    async with shop.client(service) as client:
        for name in names:
            for payload in PAYLOADS:
                response = await client.get(path, params={name: payload}, headers=admin)
                assert response.status_code < 500, (name, payload, response.text)
                if response.status_code == 200:
                    assert response.json()["items"] == [], (name, payload)  # matched nothing, leaked nothing
                else:
                    assert response.status_code == 400, (name, payload, response.text)
                    assert response.headers["content-type"] == "application/problem+json"
    assert await _snapshot(shop, admin) == before


@pytest.mark.parametrize("payload", PAYLOADS)
async def test_injection_in_the_login_email_is_just_a_failed_login(shop, payload):
    assert (await shop.register("owner@example.com")).status_code == 201
    for email in (payload, f"owner@example.com{payload}", f"{payload}@example.com"):
        response = await shop.bff.post("/bff/auth/login", json={"email": email, "password": PASSWORD})
        assert response.status_code in (400, 401), (email, response.text)
    ok = await shop.bff.post("/bff/auth/login", json={"email": "owner@example.com", "password": PASSWORD})
    assert ok.status_code == 200


@pytest.mark.parametrize("payload", PAYLOADS)
async def test_injection_in_registration_names_is_refused(shop, payload):
    response = await shop.register("verbatim@example.com", firstName=payload, lastName=payload)
    assert response.status_code == 400, response.text
    assert {e["field"] for e in response.json()["errors"]} <= {"firstName", "lastName"}
