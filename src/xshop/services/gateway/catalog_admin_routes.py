"""BFF routes for catalogue administration. The BFF checks the admin role (and, for writes signed in
by cookie, the CSRF token), then calls the catalog service with the admin's own access token (the
service checks the role again). A successful write clears the BFF's catalogue cache at once."""

from typing import Annotated, Any
from urllib.parse import quote

import httpx
from fastapi import APIRouter, Body, Depends, Request, Response

from xshop.platform.http.etag import PRIVATE_NO_CACHE, tagged_json
from xshop.platform.http.principal import CurrentAdmin, access_token_of, current_admin
from xshop.services.gateway.catalog_routes import (
    BROWSE_PARAMETERS,
    Cache,
    Catalog,
    ProductId,
    passed_on,
    query_parameters,
)
from xshop.services.gateway.csrf import require_csrf

router = APIRouter(prefix="/bff/admin/products", tags=["catalog admin"])
ADMIN_WRITE = [Depends(current_admin), Depends(require_csrf)]

ADMIN_PARAMETERS = BROWSE_PARAMETERS | {
    "includeInactive": "`true` adds deactivated products",
    "lowStock": "`true`: only products at or under their low-stock threshold (sold-out ones included)",
}
_AUTH = {
    401: {"description": "`UNAUTHENTICATED` or `INVALID_TOKEN`"},
    403: {"description": "`FORBIDDEN` (not an admin) or `CSRF_FAILED`"},
    503: {"description": "`CATALOG_SERVICE_UNAVAILABLE`"},
}
_PRODUCT = {200: {"description": "The product with `isActive` and `stock: {onHand, reserved, …}`"}}
_INVALID = {400: {"description": "`VALIDATION_FAILED` with field errors, or `MALFORMED_JSON`"}}
_NOT_FOUND = {404: {"description": "`NOT_FOUND`"}}
_SKU = {409: {"description": "`SKU_EXISTS`"}}
JsonObject = Annotated[dict[str, Any], Body()]


def _token(request: Request) -> str:
    return access_token_of(request) or ""


def _path(product_id: str, suffix: str = "") -> str:
    return f"/api/admin/products/{quote(product_id, safe='')}{suffix}"


def _passed_through(upstream: httpx.Response) -> Response:
    return Response(upstream.content, status_code=upstream.status_code, media_type="application/json")


async def _write(
    request: Request, catalog: Catalog, cache: Cache, method: str, path: str, body: Any = None
) -> Response:
    upstream = await catalog.as_admin(method, path, _token(request), json=body)
    cache.clear()
    return _passed_through(upstream)


@router.get(
    "",
    openapi_extra=query_parameters(ADMIN_PARAMETERS),
    responses={200: {"description": "A page of products as admins see them"}} | _INVALID | _AUTH,
)
async def admin_browse_products(request: Request, admin: CurrentAdmin, catalog: Catalog) -> Response:
    """Every product with its stock details; the browse filters apply."""
    params = passed_on(request, ADMIN_PARAMETERS)
    upstream = await catalog.as_admin("GET", "/api/admin/products", _token(request), params=params)
    return tagged_json(request, upstream.content, cache_control=PRIVATE_NO_CACHE)


@router.get("/{product_id}", responses=_PRODUCT | _NOT_FOUND | _AUTH)
async def admin_get_product(
    product_id: ProductId, request: Request, admin: CurrentAdmin, catalog: Catalog
) -> Response:
    upstream = await catalog.as_admin("GET", _path(product_id), _token(request))
    return tagged_json(request, upstream.content, cache_control=PRIVATE_NO_CACHE)


@router.post("", status_code=201, dependencies=ADMIN_WRITE, responses=_PRODUCT | _INVALID | _SKU | _AUTH)
async def create_product(body: JsonObject, request: Request, catalog: Catalog, cache: Cache) -> Response:
    """`{sku, name, description?, price, currency?, category, tags?, imageUrls?, isActive?, onHand?,
    lowStockThreshold?}` → 201."""
    return await _write(request, catalog, cache, "POST", "/api/admin/products", body)


@router.patch(
    "/{product_id}", dependencies=ADMIN_WRITE, responses=_PRODUCT | _INVALID | _NOT_FOUND | _SKU | _AUTH
)
async def update_product(
    product_id: ProductId, body: JsonObject, request: Request, catalog: Catalog, cache: Cache
) -> Response:
    """Only the fields sent change; `isActive: false` deactivates."""
    return await _write(request, catalog, cache, "PATCH", _path(product_id), body)


@router.post("/{product_id}/deactivate", dependencies=ADMIN_WRITE, responses=_PRODUCT | _NOT_FOUND | _AUTH)
async def deactivate_product(
    product_id: ProductId, request: Request, catalog: Catalog, cache: Cache
) -> Response:
    return await _write(request, catalog, cache, "POST", _path(product_id, "/deactivate"))


@router.patch(
    "/{product_id}/stock",
    dependencies=ADMIN_WRITE,
    responses=_PRODUCT | _INVALID | _NOT_FOUND | {409: {"description": "`STOCK_BELOW_RESERVED`"}} | _AUTH,
)
async def update_stock(
    product_id: ProductId, body: JsonObject, request: Request, catalog: Catalog, cache: Cache
) -> Response:
    """`{onHand, reason}` or `{delta, reason}`; publishes `inventory.stock.updated`."""
    return await _write(request, catalog, cache, "PATCH", _path(product_id, "/stock"), body)
