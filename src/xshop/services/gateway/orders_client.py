"""Typed client of the orders service: every call carries the caller's own access token."""

from typing import Any

import httpx

from xshop.platform.http.clients import ServiceClient
from xshop.services.gateway.clients import Caller


class OrdersClient(ServiceClient):
    service = "orders"
    unavailable_code = "ORDER_SERVICE_UNAVAILABLE"

    async def call(
        self,
        method: str,
        path: str,
        caller: Caller,
        *,
        json: Any = None,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sent = caller.headers() | (headers or {})
        return await self.request(method, path, json=json, params=params, headers=sent)
