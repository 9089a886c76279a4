"""Typed client of the auth service."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from xshop.platform.http.clients import ServiceClient


@dataclass(frozen=True)
class Caller:
    """Who the BFF is calling for: the access token it received and where the request came from."""

    token: str | None = None
    ip: str | None = None
    user_agent: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {"User-Agent": self.user_agent or ""}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.ip:
            headers["X-Forwarded-For"] = self.ip
        return headers


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

    async def login(self, body: dict[str, Any], caller: Caller) -> Any:
        return await self._json("POST", "/api/auth/login", caller, json=body)

    async def refresh(self, refresh_token: str, csrf_token: str) -> Any:
        body = {"refreshToken": refresh_token, "csrfToken": csrf_token}
        return await self._json("POST", "/api/auth/refresh", Caller(), json=body)

    async def logout(self, refresh_token: str, csrf_token: str) -> None:
        body = {"refreshToken": refresh_token, "csrfToken": csrf_token}
        await self.request("POST", "/api/auth/logout", json=body)

    async def me(self, caller: Caller) -> Any:
        return await self._json("GET", "/api/auth/me", caller)

    async def forgot_password(self, email: str, caller: Caller) -> Any:
        return await self._json("POST", "/api/auth/password/forgot", caller, json={"email": email})

    async def check_reset_link(self, token: str) -> Any:
        return await self._json("GET", "/api/auth/password/reset", Caller(), params={"token": token})

    async def reset_password(self, body: dict[str, Any], caller: Caller) -> Any:
        return await self._json("POST", "/api/auth/password/reset", caller, json=body)

    async def change_password(self, body: dict[str, Any], caller: Caller) -> Any:
        return await self._json("POST", "/api/auth/password/change", caller, json=body)

    async def update_account(self, body: dict[str, Any], caller: Caller) -> Any:
        return await self._json("PATCH", "/api/auth/account", caller, json=body)

    async def delete_account(self, body: dict[str, Any], caller: Caller) -> None:
        await self.request("DELETE", "/api/auth/account", json=body, headers=caller.headers())

    async def list_users(self, params: dict[str, Any], caller: Caller) -> Any:
        return await self._json("GET", "/api/auth/admin/users", caller, params=params)

    async def update_user(self, user_id: str, body: dict[str, Any], caller: Caller) -> Any:
        return await self._json("PATCH", _admin_user(user_id), caller, json=body)

    async def delete_user(self, user_id: str, caller: Caller) -> None:
        await self.request("DELETE", _admin_user(user_id), headers=caller.headers())

    async def _json(
        self,
        method: str,
        path: str,
        caller: Caller,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        response = await self.request(method, path, json=json, params=params, headers=caller.headers())
        return response.json()


def _admin_user(user_id: str) -> str:
    return f"/api/auth/admin/users/{quote(user_id, safe='')}"
