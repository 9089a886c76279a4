"""Typed client of the catalog service."""

from typing import Any

import httpx

from xshop.platform.http.clients import ServiceClient


class CatalogClient(ServiceClient):
    service = "catalog"
    unavailable_code = "CATALOG_SERVICE_UNAVAILABLE"

    async def fetch(self, path: str, params: dict[str, str] | None = None) -> httpx.Response:
        """A public read; 4xx problems are raised with the catalog's code and field errors."""
        return await self.request("GET", path, params=params)

    async def as_admin(
        self,
        method: str,
        path: str,
        access_token: str,
        *,
        json: Any = None,
        params: dict[str, str] | None = None,
    ) -> httpx.Response:
        """A call made with the admin's own access token: the catalog checks the role again."""
        headers = {"Authorization": f"Bearer {access_token}"}
        return await self.request(method, path, json=json, params=params, headers=headers)
