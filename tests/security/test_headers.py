"""Every response, API or HTML, of every service carries the security headers (issue 7)."""

import httpx
import pytest

from tests.helpers import ShopDriver
from xshop.platform.http.security_headers import API_POLICY, DOCS_POLICY, HTML_POLICY
from xshop.platform.mail.pages import PAGE_POLICY

COMMON = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer", "x-frame-options": "DENY"}


def expected_policy(response: httpx.Response) -> str:
    return HTML_POLICY if response.headers["content-type"].startswith("text/html") else API_POLICY


def assert_secured(response: httpx.Response, policy: str) -> None:
    for name, value in COMMON.items():
        assert response.headers.get(name) == value, (response.request.url, name)
    assert response.headers.get("content-security-policy") == policy, response.request.url
    assert "frame-ancestors 'none'" in policy


def hosted(shop: ShopDriver) -> list[str]:
    """Every app the shop serves, the mail catcher and any later addition (the web UI) included."""
    return [*shop.shop.units, "mail"]


async def test_every_answer_of_every_service_carries_the_headers(shop):
    for name in hosted(shop):
        async with shop.client(name) as client:
            for response in (
                await client.get("/health"),
                await client.get("/openapi.json"),
                await client.get("/metrics"),
                await client.get("/no-such-route"),  # problem+json, or the web UI's HTML 404 page
                await client.post("/health"),  # a 405
            ):
                assert_secured(response, expected_policy(response))


async def test_a_body_over_the_limit_is_refused_with_the_headers(shop):
    async with shop.client("gateway") as client:
        response = await client.post("/bff/auth/login", content=b"x" * (shop.settings.max_body_bytes + 1))
    assert response.status_code == 413
    assert_secured(response, API_POLICY)


async def test_the_mail_catcher_pages_keep_their_own_scriptless_policy(shop):
    """Its pages need inline styles and show caught HTML in a sandboxed frame, so they set a policy of
    their own; it still allows no script and no framing by other sites."""
    async with shop.client("mail") as mail:
        pages = [await mail.get("/"), await mail.get("/view/unknown")]
    assert pages[0].status_code == 200 and pages[0].headers["content-type"].startswith("text/html")
    assert_secured(pages[0], PAGE_POLICY)
    assert "script-src" not in PAGE_POLICY and "default-src 'none'" in PAGE_POLICY
    assert_secured(pages[1], API_POLICY)  # the 404 is problem+json


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_only_the_openapi_ui_pages_get_the_docs_policy(shop, path):
    async with shop.client("catalog") as catalog:
        page = await catalog.get(path)
    assert page.status_code == 200
    assert_secured(page, DOCS_POLICY)
    assert "'unsafe-inline'" not in HTML_POLICY and "https:" not in HTML_POLICY
