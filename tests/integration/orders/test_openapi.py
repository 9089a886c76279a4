"""The orders service and the BFF document every order route, with their error codes."""

import pytest

from tests.helpers import ShopDriver

pytestmark = pytest.mark.any_runtime


async def test_order_routes_are_documented_with_their_errors(shop: ShopDriver):
    for service, prefix in (("orders", "/api"), ("gateway", "/bff")):
        async with shop.client(service) as client:
            response = await client.get("/openapi.json")
        assert response.status_code == 200
        paths = response.json()["paths"]
        checkout = paths[f"{prefix}/orders"]["post"]
        assert {"201", "400", "403", "409", "422"} <= set(checkout["responses"])
        assert f"{prefix}/admin/orders/{{order_id}}/status" in paths
        assert f"{prefix}/admin/orders/stats" in paths
        assert f"{prefix}/cart/items/{{product_id}}" in paths
