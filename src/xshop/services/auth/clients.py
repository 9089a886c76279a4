"""Typed client of the users service (seed 002's userServiceClient)."""

from typing import Any

from xshop.platform.errors import ProblemError
from xshop.platform.http.clients import ServiceClient
from xshop.services.auth.schemas import UserRecord


class UsersClient(ServiceClient):
    service = "users"
    unavailable_code = "USER_SERVICE_UNAVAILABLE"

    async def create_user(self, payload: dict[str, Any]) -> UserRecord:
        response = await self.request("POST", "/api/users", json=payload)
        return UserRecord.model_validate(response.json())

    async def find_by_email(self, email: str) -> UserRecord | None:
        try:
            response = await self.request("GET", "/api/users/by-email", params={"email": email})
        except ProblemError as exc:
            if exc.status == 404:
                return None
            raise
        return UserRecord.model_validate(response.json())

    async def mark_email_verified(self, user_id: str, email: str) -> UserRecord:
        response = await self.request(
            "POST", f"/api/users/{user_id}/email-verification", json={"email": email}
        )
        return UserRecord.model_validate(response.json())
