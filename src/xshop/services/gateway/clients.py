"""Typed client of the auth service."""

from typing import Any

from xshop.platform.http.clients import ServiceClient


class AuthClient(ServiceClient):
    service = "auth"
    unavailable_code = "AUTH_SERVICE_UNAVAILABLE"

    async def register(self, body: dict[str, Any], *, client_ip: str | None, user_agent: str | None) -> Any:
        headers = {"User-Agent": user_agent or ""}
        if client_ip:
            headers["X-Forwarded-For"] = client_ip
        return (await self.request("POST", "/api/auth/register", json=body, headers=headers)).json()

    async def verify_email(self, token: str) -> Any:
        return (await self.request("GET", "/api/auth/email/verify", params={"token": token})).json()

    async def resend_verification(self, email: str) -> Any:
        return (await self.request("POST", "/api/auth/email/resend", json={"email": email})).json()
