"""Typed clients of the services behind the back office (audit, notifications, events gateway).
Every call carries the admin's own access token: each service checks the role again."""

from typing import Any

import httpx

from xshop.platform.http.clients import ServiceClient
from xshop.services.gateway.clients import Caller


class _AsCaller(ServiceClient):
    async def call(
        self, method: str, path: str, caller: Caller, *, params: dict[str, Any] | None = None
    ) -> httpx.Response:
        return await self.request(method, path, params=params, headers=caller.headers())

    async def json(
        self, method: str, path: str, caller: Caller, *, params: dict[str, Any] | None = None
    ) -> Any:
        return (await self.call(method, path, caller, params=params)).json()


class AuditClient(_AsCaller):
    service = "audit"
    unavailable_code = "AUDIT_SERVICE_UNAVAILABLE"


class NotificationsClient(_AsCaller):
    service = "notifications"
    unavailable_code = "NOTIFICATIONS_SERVICE_UNAVAILABLE"


class EventsClient(_AsCaller):
    service = "events gateway"
    unavailable_code = "EVENTS_SERVICE_UNAVAILABLE"
