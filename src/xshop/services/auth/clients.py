"""Typed client of the users service (seed 002's userServiceClient). Every call carries this
service's own token: the users routes are internal."""

from typing import Any
from urllib.parse import quote

from xshop.platform.errors import ProblemError
from xshop.platform.http.clients import ServiceClient
from xshop.services.auth.schemas import ProfileChange, UserPage, UserRecord


def _at(user_id: str, tail: str = "") -> str:
    return f"/api/users/{quote(user_id, safe='')}{tail}"


def _user(response: Any) -> UserRecord:
    return UserRecord.model_validate(response.json())


class UsersClient(ServiceClient):
    service = "users"
    unavailable_code = "USER_SERVICE_UNAVAILABLE"

    async def create_user(self, payload: dict[str, Any]) -> UserRecord:
        return _user(await self.request("POST", "/api/users", json=payload))

    async def get(self, user_id: str) -> UserRecord | None:
        try:
            return _user(await self.request("GET", _at(user_id)))
        except ProblemError as exc:
            if exc.status == 404:
                return None
            raise

    async def find_by_email(self, email: str) -> UserRecord | None:
        try:
            response = await self.request("GET", "/api/users/by-email", params={"email": email})
        except ProblemError as exc:
            if exc.status == 404:
                return None
            raise
        return _user(response)

    async def mark_email_verified(self, user_id: str, email: str) -> UserRecord:
        path = _at(user_id, "/email-verification")
        return _user(await self.request("POST", path, json={"email": email}))

    async def verify_credentials(self, email: str, password: str) -> UserRecord:
        body = {"email": email, "password": password}
        return _user(await self.request("POST", "/api/users/credentials/verify", json=body))

    async def verify_password(self, user_id: str, password: str) -> None:
        await self.request("POST", _at(user_id, "/password/verify"), json={"password": password})

    async def change_password(self, user_id: str, current: str, new: str) -> UserRecord:
        body = {"currentPassword": current, "newPassword": new}
        return _user(await self.request("POST", _at(user_id, "/password/change"), json=body))

    async def reset_password(self, user_id: str, new: str, fingerprint: str) -> UserRecord:
        body = {"newPassword": new, "expectedFingerprint": fingerprint}
        return _user(await self.request("PUT", _at(user_id, "/password"), json=body))

    async def password_fingerprint(self, user_id: str) -> str:
        response = await self.request("GET", _at(user_id, "/password-fingerprint"))
        return str(response.json()["fingerprint"])

    async def update_profile(self, user_id: str, changes: dict[str, Any], actor: str) -> ProfileChange:
        response = await self.request("PATCH", _at(user_id), json=changes | {"actor": actor})
        return ProfileChange.model_validate(response.json())

    async def update_access(self, user_id: str, changes: dict[str, Any], actor: str) -> UserRecord:
        path = _at(user_id, "/access")
        return _user(await self.request("PATCH", path, json=changes | {"actor": actor}))

    async def delete(self, user_id: str, actor: str) -> None:
        await self.request("DELETE", _at(user_id), params={"actor": actor})

    async def list_users(self, params: dict[str, Any]) -> UserPage:
        response = await self.request("GET", "/api/users", params=params)
        return UserPage.model_validate(response.json())
