"""Test support: a started shop with clients for its public surfaces, and polling with a deadline."""

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import httpx

from tests.credentials import bearer
from tests.waiting import eventually, free_port
from xshop.platform.clock import Clock, utcnow
from xshop.platform.security.tokens import JwtCodec
from xshop.platform.settings import Settings
from xshop.runtime.embedded import EmbeddedShop

PASSWORD = "Secure1pass"


def shop_settings(data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "env": "test",
        "data_dir": data_dir,
        "bcrypt_rounds": 4,
        "mail_smtp_port": free_port(),
        "event_retry_base_seconds": 0.05,
        "event_retry_max_seconds": 0.3,
        "relay_poll_seconds": 0.1,
        "jwt_secret": "test-secret-" + "x" * 40,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class ShopSurfaces(ABC):
    """A shop's public HTTP surfaces as a user or an operator reaches them, whichever runtime serves
    them; a runtime's driver says how to reach a service (``client``) and when the shop is idle."""

    settings: Settings
    bff: httpx.AsyncClient

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._codec = JwtCodec(settings.resolved_jwt_secret(), settings.jwt_issuer, settings.jwt_audience)
        self.bff = self.client("gateway")

    @abstractmethod
    def client(self, service: str) -> httpx.AsyncClient: ...

    @abstractmethod
    async def idle(self, timeout: float = 5.0) -> None:
        """Wait until every outbox is relayed and every queue drained."""

    def token(self, roles: list[str], user_id: str = "operator") -> dict[str, str]:
        return bearer(self._codec, roles, user_id)

    async def register(self, email: str, **fields: Any) -> httpx.Response:
        body = {"firstName": "John", "lastName": "Doe", "email": email, "password": PASSWORD} | fields
        return await self.bff.post("/bff/auth/register", json=body)

    async def audit(self, **filters: Any) -> list[dict[str, Any]]:
        async with self.client("audit") as audit:
            response = await audit.get(
                "/api/audit/logs", params={"pageSize": 100, **filters}, headers=self.token(["admin"])
            )
        assert response.status_code == 200, response.text
        return list(response.json()["items"])

    async def mails_to(self, address: str) -> list[dict[str, Any]]:
        async with self.client("mail") as mail:
            response = await mail.get("/api/v1/search", params={"query": f"to:{address}"})
        assert response.status_code == 200, response.text
        return list(response.json()["messages"])

    async def mail_body(self, message_id: str) -> dict[str, Any]:
        async with self.client("mail") as mail:
            response = await mail.get(f"/api/v1/message/{message_id}")
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def aclose(self) -> None:
        await self.bff.aclose()


class ShopDriver(ShopSurfaces):
    """Drives an embedded shop through its HTTP surfaces, in process."""

    def __init__(self, shop: EmbeddedShop) -> None:
        self.shop = shop
        super().__init__(shop.settings)

    def client(self, service: str) -> httpx.AsyncClient:
        app = self.shop.mail.app if service == "mail" and self.shop.mail else self.shop.units[service].app
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")

    async def idle(self, timeout: float = 5.0) -> None:
        """Wait until every outbox is relayed and every queue drained."""

        async def drained() -> bool:
            for unit in self.shop.units.values():
                if unit.outbox is not None and unit.db is not None:
                    async with unit.db.session() as session:
                        if await unit.outbox.pending(session):
                            return False
            return await self.shop.bus.backlog() == 0

        await eventually(drained, timeout=timeout, what="the shop to be idle")


class MovableClock:
    """The real time plus an offset tests move forward (token expiry, throttle windows)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return utcnow() + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


@asynccontextmanager
async def running_shop(settings: Settings, clock: Clock = utcnow) -> AsyncIterator[ShopDriver]:
    shop = EmbeddedShop(settings, clock=clock)
    await shop.start()
    driver = ShopDriver(shop)
    try:
        yield driver
    finally:
        await driver.aclose()
        await shop.stop()


def set_cookies(response: httpx.Response) -> dict[str, SimpleCookie]:
    """The cookies a response sets, with their attributes (HttpOnly, SameSite, Max-Age …)."""
    jar: dict[str, SimpleCookie] = {}
    for header in response.headers.get_list("set-cookie"):
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        for name in cookie:
            jar[name] = cookie[name]  # type: ignore[assignment]
    return jar
