"""The reservations API: all or nothing, confirm, release, expiry (lazy and swept), and its errors."""

from datetime import datetime, timedelta

import pytest

from tests.waiting import eventually
from xshop.services.catalog.sweeper import ReservationSweeper


async def test_a_reservation_holds_every_line_with_the_catalog_price(catalog):
    mug = await catalog.add_product("MUG", on_hand=5, price="12.50")
    tea = await catalog.add_product("TEA", on_hand=9, price="3.00", currency="EUR")
    response = await catalog.reserve((tea, 2), (mug, 1), (tea, 1), ttl=60)
    assert response.status_code == 201, response.text
    reservation = response.json()
    assert reservation["status"] == "held"
    lines = {line["sku"]: line for line in reservation["lines"]}
    assert lines["MUG"] | {"productId": None} == {
        "productId": None,
        "sku": "MUG",
        "name": "Product MUG",
        "quantity": 1,
        "unitPrice": "12.50",
        "currency": "USD",
    }
    assert (lines["TEA"]["quantity"], lines["TEA"]["unitPrice"], lines["TEA"]["currency"]) == (
        3,
        "3.00",
        "EUR",
    )
    assert (await catalog.stock(mug))["reserved"] == 1
    assert (await catalog.stock(tea))["available"] == 6
    fetched = await catalog.client.get(
        f"/api/catalog/reservations/{reservation['id']}", headers=catalog.service
    )
    assert fetched.json() == reservation


async def test_a_short_line_reserves_nothing_and_names_every_short_line(catalog):
    plenty = await catalog.add_product("PLENTY", on_hand=50)
    few = await catalog.add_product("FEW", on_hand=2)
    retired = await catalog.add_product("RETIRED", on_hand=9, isActive=False)
    response = await catalog.reserve((plenty, 5), (few, 3), (retired, 1))
    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "INSUFFICIENT_STOCK"
    assert sorted(problem["lines"], key=lambda line: line["requested"]) == [
        {"productId": retired, "requested": 1, "available": 0},
        {"productId": few, "requested": 3, "available": 2},
    ]
    for product in (plenty, few, retired):
        assert (await catalog.stock(product))["reserved"] == 0


async def test_unknown_products_are_404_and_reserve_nothing(catalog):
    known = await catalog.add_product("KNOWN", on_hand=5)
    response = await catalog.reserve((known, 1), ("no-such-product", 1))
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"
    assert response.json()["productIds"] == ["no-such-product"]
    assert (await catalog.stock(known))["reserved"] == 0


async def test_confirming_sells_the_units_once(catalog):
    product = await catalog.add_product("SELL", on_hand=10)
    reservation = (await catalog.reserve((product, 4))).json()["id"]
    for _ in range(2):
        confirmed = await catalog.act(reservation, "confirm")
        assert confirmed.status_code == 200, confirmed.text
        assert confirmed.json()["status"] == "confirmed"
    stock = await catalog.stock(product)
    assert (stock["onHand"], stock["reserved"], stock["available"]) == (6, 0, 6)
    release = await catalog.act(reservation, "release")
    assert release.status_code == 409
    assert release.json()["code"] == "RESERVATION_CONFIRMED"


async def test_releasing_gives_the_units_back_once(catalog):
    product = await catalog.add_product("GIVE", on_hand=10)
    reservation = (await catalog.reserve((product, 4))).json()["id"]
    for _ in range(2):
        released = await catalog.act(reservation, "release")
        assert released.status_code == 200, released.text
        assert released.json()["status"] == "released"
    stock = await catalog.stock(product)
    assert (stock["onHand"], stock["reserved"]) == (10, 0)
    confirm = await catalog.act(reservation, "confirm")
    assert confirm.status_code == 409
    assert confirm.json()["code"] == "RESERVATION_NOT_HELD"
    assert confirm.json()["status"] == "released"


async def test_expired_reservations_stop_counting_before_the_next_reservation(catalog):
    product = await catalog.add_product("LAST", on_hand=3)
    first = (await catalog.reserve((product, 3), ttl=60)).json()["id"]
    assert (await catalog.reserve((product, 1))).status_code == 409
    catalog.clock.advance(seconds=61)
    second = await catalog.reserve((product, 3))
    assert second.status_code == 201, second.text
    expired = await catalog.client.get(f"/api/catalog/reservations/{first}", headers=catalog.service)
    assert expired.json()["status"] == "expired"
    assert (await catalog.stock(product))["reserved"] == 3
    late = await catalog.act(first, "release")
    assert (late.status_code, late.json()["status"]) == (200, "expired")


async def test_confirming_after_the_time_is_up_releases_and_answers_409(catalog):
    product = await catalog.add_product("LATE", on_hand=5)
    reservation = (await catalog.reserve((product, 2), ttl=30)).json()["id"]
    catalog.clock.advance(seconds=31)
    response = await catalog.act(reservation, "confirm")
    assert response.status_code == 409
    assert response.json()["code"] == "RESERVATION_EXPIRED"
    stock = await catalog.stock(product)
    assert (stock["onHand"], stock["reserved"]) == (5, 0)


async def test_the_default_time_to_live_comes_from_settings(make_catalog):
    async with make_catalog(catalog_reservation_ttl_seconds=120) as catalog:
        product = await catalog.add_product("TTL", on_hand=5)
        reservation = (await catalog.reserve((product, 1))).json()
        catalog.clock.advance(seconds=119)
        assert await catalog.reservations.expire_due() == 0
        catalog.clock.advance(seconds=2)
        assert await catalog.reservations.expire_due() == 1
        held_for = datetime.fromisoformat(reservation["expiresAt"]) - datetime.fromisoformat(
            reservation["createdAt"]
        )
        assert held_for == timedelta(seconds=120)


async def test_the_sweeper_releases_expired_reservations_on_its_own(catalog):
    product = await catalog.add_product("SWEPT", on_hand=4)
    reservation = (await catalog.reserve((product, 4), ttl=10)).json()["id"]
    sweeper = ReservationSweeper(catalog.reservations, interval_seconds=0.02)
    sweeper.start()
    try:
        catalog.clock.advance(seconds=11)

        async def released() -> bool:
            return (await catalog.stock(product))["reserved"] == 0

        await eventually(released, what="the sweeper to release the reservation")
    finally:
        await sweeper.stop()
        await sweeper.stop()  # stopping twice is harmless
    got = await catalog.client.get(f"/api/catalog/reservations/{reservation}", headers=catalog.service)
    assert got.json()["status"] == "expired"


@pytest.mark.parametrize(
    "body",
    [
        {"lines": []},
        {"lines": [{"productId": "p", "quantity": 0}]},
        {"lines": [{"productId": "p", "quantity": "1"}]},
        {"lines": [{"productId": "", "quantity": 1}]},
        {"lines": [{"productId": "p"}]},
        {"lines": [{"productId": "p", "quantity": 1}], "ttlSeconds": 0},
        {"lines": [{"productId": "p", "quantity": 1}], "ttlSeconds": 86401},
        {"lines": [{"productId": "p", "quantity": 1}], "price": "0.01"},
        {"lines": [{"productId": f"p{i}", "quantity": 1} for i in range(101)]},
        {},
    ],
)
async def test_malformed_reservations_are_400(catalog, body):
    response = await catalog.client.post("/api/catalog/reservations", json=body, headers=catalog.service)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "VALIDATION_FAILED"


async def test_unknown_reservations_are_404(catalog):
    for method, path in [
        ("GET", "/api/catalog/reservations/nope"),
        ("POST", "/api/catalog/reservations/nope/confirm"),
        ("POST", "/api/catalog/reservations/nope/release"),
    ]:
        response = await catalog.client.request(method, path, headers=catalog.service)
        assert response.status_code == 404, path
        assert response.json()["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [("nobody", 401, "UNAUTHENTICATED"), ("customer", 403, "FORBIDDEN"), ("admin", 403, "FORBIDDEN")],
)
async def test_only_other_services_may_reserve(catalog, who, status, code):
    product = await catalog.add_product("GUARD", on_hand=5)
    headers = {"nobody": {}, "customer": catalog.token(["customer"]), "admin": catalog.admin}[who]
    body = {"lines": [{"productId": product, "quantity": 1}]}
    response = await catalog.client.post("/api/catalog/reservations", json=body, headers=headers)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert (await catalog.stock(product))["reserved"] == 0
