"""The catalogue across processes on PostgreSQL and RabbitMQ: the BFF's cache is cleared by a stock
event published by the catalog process, and reservations made through the network never oversell."""

import asyncio
import uuid

import httpx
import pytest

from tests.distributed.conftest import DistributedShop
from tests.distributed.test_up import admin_headers
from tests.waiting import wait_for
from xshop.platform.clock import utcnow
from xshop.platform.security.tokens import JwtCodec

pytestmark = pytest.mark.distributed


def service_headers(shop: DistributedShop) -> dict[str, str]:
    codec = JwtCodec(shop.env["XSHOP_JWT_SECRET"], "xshop", "xshop")
    return {"Authorization": f"Bearer {codec.issue_service('orders', now=utcnow())}"}


def _product(shop: DistributedShop, on_hand: int) -> tuple[str, str]:
    sku = f"DIST-{uuid.uuid4().hex[:8]}"
    body = {"sku": sku, "name": f"Distributed {sku}", "price": "9.99", "category": "tests", "onHand": on_hand}
    response = httpx.post(f"{shop.url('gateway')}/bff/admin/products", json=body, headers=admin_headers(shop))
    assert response.status_code == 201, response.text
    return response.json()["id"], sku


def test_a_stock_change_in_the_catalog_process_reaches_the_bff_cache_through_rabbitmq(
    distributed: DistributedShop,
):
    product, sku = _product(distributed, on_hand=8)
    detail = f"{distributed.url('gateway')}/bff/products/{product}"
    assert httpx.get(detail).json()["stock"]["available"] == 8  # now cached by the BFF process
    response = httpx.patch(
        f"{distributed.url('catalog')}/api/admin/products/{product}/stock",
        json={"delta": -3, "reason": "counted"},
        headers=admin_headers(distributed) | {"X-Correlation-ID": str(uuid.uuid4())},
    )
    assert response.status_code == 200, response.text
    wait_for(lambda: httpx.get(detail).json()["stock"]["available"] == 5, what="the BFF to see the change")
    listed = httpx.get(f"{distributed.url('gateway')}/bff/products", params={"q": sku}).json()["items"]
    assert [item["stock"]["available"] for item in listed] == [5]


async def test_concurrent_reservations_over_the_network_never_oversell(distributed: DistributedShop):
    product, _ = _product(distributed, on_hand=5)
    body = {"lines": [{"productId": product, "quantity": 1}]}
    async with httpx.AsyncClient(base_url=distributed.url("catalog"), timeout=30) as catalog:
        responses = await asyncio.gather(
            *(
                catalog.post("/api/catalog/reservations", json=body, headers=service_headers(distributed))
                for _ in range(25)
            )
        )
        assert sorted(r.status_code for r in responses) == [201] * 5 + [409] * 20
        stock = (
            await catalog.get(f"/api/admin/products/{product}", headers=admin_headers(distributed))
        ).json()
    assert (stock["stock"]["onHand"], stock["stock"]["reserved"]) == (5, 5)
