"""The browser's address survives the web UI and load balancers, and cannot be forged from elsewhere."""

import httpx

from tests.helpers import PASSWORD, ShopDriver


async def _login_from(shop: ShopDriver, client: tuple[str, int], forwarded_for: str) -> None:
    transport = httpx.ASGITransport(app=shop.shop.units["gateway"].app, client=client)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as bff:
        response = await bff.post(
            "/bff/auth/login",
            json={"email": "nobody@example.com", "password": PASSWORD},
            headers={"X-Forwarded-For": forwarded_for},
        )
    assert response.status_code == 401, response.text


async def test_a_trusted_proxy_passes_the_browsers_address_on(shop: ShopDriver):
    await _login_from(shop, ("127.0.0.1", 40000), "198.51.100.23")
    await shop.idle()
    failures = await shop.audit(ipAddress="198.51.100.23")
    assert [entry["action"] for entry in failures] == ["LOGIN_FAILED"]
    assert await shop.audit(ipAddress="127.0.0.1") == []


async def test_an_untrusted_peer_cannot_choose_its_address(shop: ShopDriver):
    await _login_from(shop, ("203.0.113.7", 40000), "198.51.100.99")
    await shop.idle()
    assert await shop.audit(ipAddress="198.51.100.99") == []
    assert [entry["action"] for entry in await shop.audit(ipAddress="203.0.113.7")] == ["LOGIN_FAILED"]
