"""Support for the session and account tests: browsers with their own cookie jars, API clients with
Bearer tokens, users created through the public routes, links read from the real emails."""

import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.helpers import PASSWORD, ShopDriver


def unique_email(tag: str = "user") -> str:
    return f"{tag}-{uuid.uuid4().hex[:8]}@example.com"


@dataclass
class Browser:
    """One browser: a cookie jar against the BFF, sending the CSRF header the way the UI would."""

    shop: ShopDriver
    http: httpx.AsyncClient = field(init=False)

    def __post_init__(self) -> None:
        self.http = self.shop.client("gateway")

    def cookie(self, name: str) -> str | None:
        return self.http.cookies.get(name)

    def csrf(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.cookie("csrfToken") or ""}

    async def login(self, email: str, password: str = PASSWORD) -> httpx.Response:
        return await self.http.post("/bff/auth/login", json={"email": email, "password": password})

    async def refresh(self) -> httpx.Response:
        return await self.http.post("/bff/auth/refresh", headers=self.csrf())

    async def me(self) -> httpx.Response:
        return await self.http.get("/bff/auth/me")

    async def send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A state-changing request with the CSRF header."""
        headers = self.csrf() | kwargs.pop("headers", {})
        return await self.http.request(method, path, headers=headers, **kwargs)

    async def aclose(self) -> None:
        await self.http.aclose()


async def create_user(
    shop: ShopDriver, email: str, password: str = PASSWORD, **fields: Any
) -> dict[str, Any]:
    """Registered through auth (no cookies anywhere); returns the user."""
    body = {"firstName": "John", "lastName": "Doe", "email": email, "password": password} | fields
    async with shop.client("auth") as auth:
        response = await auth.post("/api/auth/register", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json()["user"])


async def make_admin(shop: ShopDriver, user_id: str) -> None:
    async with shop.client("auth") as auth:
        response = await auth.patch(
            f"/api/auth/admin/users/{user_id}",
            json={"roles": ["customer", "admin"]},
            headers=shop.token(["admin"]),
        )
    assert response.status_code == 200, response.text


async def api_login(shop: ShopDriver, email: str, password: str = PASSWORD) -> dict[str, Any]:
    """Signed in directly at auth, as an API client: ``{user, session}``."""
    async with shop.client("auth") as auth:
        response = await auth.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return dict(response.json())


def bearer(session: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {session['accessToken']}"}


async def emailed_link(shop: ShopDriver, address: str, path: str, *, subject: str) -> str:
    """``path?query`` of the link in the newest email with ``subject`` to ``address``."""
    await shop.idle()
    mails = [m for m in await shop.mails_to(address) if m["Subject"] == subject]
    assert mails, f"no '{subject}' email to {address}"
    newest = max(mails, key=lambda m: m["Created"])
    text = (await shop.mail_body(newest["ID"]))["Text"]
    match = re.search(rf"https?://\S+{re.escape(path)}\?token=[\w-]+", text)
    assert match, text
    link = urlsplit(match.group(0))
    return f"{link.path}?{link.query}"


def token_of(link: str) -> str:
    return link.split("token=", 1)[1]


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert body["code"] == code, body
    return body
