"""HTTP caching: ETags and 304 on the catalog service and the BFF; the BFF's cache is cleared by
writes through it at once, by product/stock events (a write made elsewhere), and by its TTL."""

import asyncio
import sqlite3
import uuid

import pytest

from tests.integration.catalog.support import ADMIN_ID, seed
from tests.waiting import eventually
from xshop.platform.events.envelope import CloudEvent

STOCK_OF_D = ("PATCH", "/bff/admin/products/{D}/stock", {"delta": 1, "reason": "found one"})
RETIRE_F = ("POST", "/bff/admin/products/{F}/deactivate", None)
# Each path with a change that alters its answer.
PATHS = {
    "/products?q=mug&sort=price_asc": STOCK_OF_D,
    "/products/{D}": STOCK_OF_D,
    "/categories": RETIRE_F,
}


def _service(path: str) -> str:
    return "/api" + path


def _bff(path: str) -> str:
    return "/bff" + path


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("where", ["bff", "service"])
async def test_answers_carry_an_etag_and_if_none_match_gets_an_empty_304(shop, catalogue, admin, path, where):
    method, change_path, body = PATHS[path]
    ids = {"D": catalogue.by_letter["D"], "F": catalogue.by_letter["F"]}
    path = path.format(**ids)
    client = shop.bff if where == "bff" else shop.client("catalog")
    url = _bff(path) if where == "bff" else _service(path)
    first = await client.get(url)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    for header in (etag, f"W/{etag}", f'"something-else", {etag}', "*"):
        again = await client.get(url, headers={"If-None-Match": header})
        assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
    assert (await client.get(url, headers={"If-None-Match": '"stale"'})).status_code == 200

    change = await shop.bff.request(method, change_path.format(**ids), json=body, headers=admin)
    assert change.status_code == 200, change.text

    async def changed() -> bool:
        return (await client.get(url, headers={"If-None-Match": etag})).status_code == 200

    await eventually(changed, what="a new ETag after the stock change")
    assert (await client.get(url)).headers["etag"] != etag


async def test_the_bff_and_the_service_agree_on_the_etag_of_the_same_body(shop, catalogue):
    async with shop.client("catalog") as catalog:
        direct = await catalog.get("/api/products", params={"page": 1})
    through = await shop.bff.get("/bff/products", params={"page": 1})
    assert direct.content == through.content
    assert direct.headers["etag"] == through.headers["etag"]


async def test_admin_answers_are_tagged_and_private(shop, catalogue, admin):
    response = await shop.bff.get("/bff/admin/products", headers=admin)
    assert response.headers["cache-control"] == "private, no-cache"
    again = await shop.bff.get(
        "/bff/admin/products", headers=admin | {"If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304
    product = await shop.bff.get(f"/bff/admin/products/{catalogue.by_letter['H']}", headers=admin)
    assert (product.status_code, product.headers["cache-control"]) == (200, "private, no-cache")


async def _set_price_behind_the_services_back(shop, sku: str, price: str) -> None:
    """What another process writing the catalog database looks like to this one."""

    def write() -> None:
        with sqlite3.connect(shop.settings.data_dir / "catalog.sqlite", timeout=10) as conn:
            conn.execute("UPDATE products SET price = ? WHERE sku = ?", (price, sku))

    await asyncio.to_thread(write)  # off the loop: the shop must keep running meanwhile


async def _price_seen_by_customers(shop, product_id: str) -> str:
    return str((await shop.bff.get(f"/bff/products/{product_id}")).json()["price"])


async def test_a_write_through_the_bff_shows_at_once(make_shop):
    async with make_shop(catalog_cache_ttl_seconds=600) as shop:
        admin = shop.token(["admin"], user_id=ADMIN_ID)
        catalogue = await seed(shop, admin)
        tumbler = catalogue.by_letter["D"]
        assert await _price_seen_by_customers(shop, tumbler) == "19.99"
        response = await shop.bff.patch(
            f"/bff/admin/products/{tumbler}", json={"price": "17.49"}, headers=admin
        )
        assert response.status_code == 200
        assert await _price_seen_by_customers(shop, tumbler) == "17.49"
        listed = (await shop.bff.get("/bff/products", params={"q": "tumbler"})).json()["items"]
        assert listed[0]["price"] == "17.49"


async def test_a_product_event_from_elsewhere_clears_the_bff_cache(make_shop):
    async with make_shop(catalog_cache_ttl_seconds=600) as shop:
        admin = shop.token(["admin"], user_id=ADMIN_ID)
        catalogue = await seed(shop, admin)
        tumbler = catalogue.by_letter["D"]
        await shop.idle()  # the seed's own events have cleared the cache already
        assert await _price_seen_by_customers(shop, tumbler) == "19.99"

        await _set_price_behind_the_services_back(shop, "SKU-D", "18.00")
        assert await _price_seen_by_customers(shop, tumbler) == "19.99"  # cached: no event yet
        await shop.shop.bus.publish(
            [
                CloudEvent(
                    source="catalog",
                    type="product.updated",
                    data={
                        "productId": tumbler,
                        "sku": "SKU-D",
                        "changes": {"price": {"old": "19.99", "new": "18.00"}},
                    },
                    correlationid=str(uuid.uuid4()),
                )
            ]
        )

        async def refreshed() -> bool:
            return await _price_seen_by_customers(shop, tumbler) == "18.00"

        await eventually(refreshed, what="the product.updated event to clear the BFF cache")


async def test_a_write_straight_to_the_catalog_service_reaches_the_bff_through_its_event(make_shop):
    async with make_shop(catalog_cache_ttl_seconds=600) as shop:
        admin = shop.token(["admin"], user_id=ADMIN_ID)
        catalogue = await seed(shop, admin)
        tumbler = catalogue.by_letter["D"]
        assert (await shop.bff.get(f"/bff/products/{tumbler}")).json()["stock"]["available"] == 25
        async with shop.client("catalog") as catalog:
            response = await catalog.patch(
                f"/api/admin/products/{tumbler}/stock", json={"onHand": 7, "reason": "audit"}, headers=admin
            )
        assert response.status_code == 200

        async def refreshed() -> bool:
            return (await shop.bff.get(f"/bff/products/{tumbler}")).json()["stock"]["available"] == 7

        await eventually(refreshed, what="inventory.stock.updated to clear the BFF cache")


async def test_changes_that_publish_nothing_show_within_the_ttl(make_shop):
    async with make_shop(catalog_cache_ttl_seconds=0.2) as shop:
        admin = shop.token(["admin"], user_id=ADMIN_ID)
        catalogue = await seed(shop, admin)
        tumbler = catalogue.by_letter["D"]
        assert await _price_seen_by_customers(shop, tumbler) == "19.99"
        await _set_price_behind_the_services_back(shop, "SKU-D", "18.50")

        async def refreshed() -> bool:
            return await _price_seen_by_customers(shop, tumbler) == "18.50"

        await eventually(refreshed, timeout=3, what="the cached answer to expire")
