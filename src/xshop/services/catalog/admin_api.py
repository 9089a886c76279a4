"""Admin routes of the catalog service: every product, create, edit, deactivate, stock.
The gateway checks the admin role too; this service checks it again (defence in depth)."""

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from xshop.platform.http.etag import PRIVATE_NO_CACHE, tagged_json
from xshop.platform.http.principal import CurrentAdmin
from xshop.platform.pagination import Page, PageQuery
from xshop.services.catalog.dependencies import Browse, Catalog
from xshop.services.catalog.schemas import ProductAdmin, ProductCreate, ProductUpdate, StockUpdate

router = APIRouter(prefix="/api/admin/products", tags=["products (admin)"])

_AUTH = {
    401: {"description": "`UNAUTHENTICATED` or `INVALID_TOKEN`"},
    403: {"description": "`FORBIDDEN`: the admin role is needed"},
}
_INVALID = {400: {"description": "`VALIDATION_FAILED` with field errors, or `MALFORMED_JSON`"}}
_NOT_FOUND = {404: {"description": "`NOT_FOUND`"}}
_SKU = {409: {"description": "`SKU_EXISTS`"}}


@router.get("", response_model=Page[ProductAdmin], responses=_AUTH | _INVALID)
async def admin_browse_products(
    request: Request,
    admin: CurrentAdmin,
    catalog: Catalog,
    query: Browse,
    page: PageQuery,
    include_inactive: Annotated[bool, Query(alias="includeInactive")] = False,
    low_stock: Annotated[
        bool, Query(alias="lowStock", description="`true`: only products at or under their threshold")
    ] = False,
) -> Response:
    """The browse search with stock details; `includeInactive=true` adds deactivated products."""
    wanted = replace(query, include_inactive=include_inactive, low_stock=low_stock)
    products, total = await catalog.browse(wanted, page)
    result = Page[ProductAdmin].of([ProductAdmin.of(p) for p in products], page, total)
    return tagged_json(
        request, result.model_dump_json(by_alias=True).encode(), cache_control=PRIVATE_NO_CACHE
    )


@router.get("/{product_id}", response_model=ProductAdmin, responses=_AUTH | _NOT_FOUND)
async def admin_get_product(
    product_id: str, request: Request, admin: CurrentAdmin, catalog: Catalog
) -> Response:
    product = ProductAdmin.of(await catalog.get(product_id, include_inactive=True))
    return tagged_json(
        request, product.model_dump_json(by_alias=True).encode(), cache_control=PRIVATE_NO_CACHE
    )


@router.post("", status_code=201, response_model=ProductAdmin, responses=_AUTH | _INVALID | _SKU)
async def create_product(body: ProductCreate, admin: CurrentAdmin, catalog: Catalog) -> ProductAdmin:
    """Create a product; `product.created` is published."""
    return ProductAdmin.of(await catalog.create(body, admin.user_id))


@router.patch("/{product_id}", response_model=ProductAdmin, responses=_AUTH | _INVALID | _NOT_FOUND | _SKU)
async def update_product(
    product_id: str, body: ProductUpdate, admin: CurrentAdmin, catalog: Catalog
) -> ProductAdmin:
    """Change the fields sent (`isActive: false` deactivates); `product.updated` lists the changes."""
    return ProductAdmin.of(await catalog.update(product_id, body, admin.user_id))


@router.post("/{product_id}/deactivate", response_model=ProductAdmin, responses=_AUTH | _NOT_FOUND)
async def deactivate_product(product_id: str, admin: CurrentAdmin, catalog: Catalog) -> ProductAdmin:
    """Hide the product from customers; idempotent."""
    return ProductAdmin.of(await catalog.deactivate(product_id, admin.user_id))


@router.patch(
    "/{product_id}/stock",
    response_model=ProductAdmin,
    responses=_AUTH
    | _INVALID
    | _NOT_FOUND
    | {409: {"description": "`STOCK_BELOW_RESERVED`: fewer units than are reserved for orders"}},
)
async def update_stock(
    product_id: str, body: StockUpdate, admin: CurrentAdmin, catalog: Catalog
) -> ProductAdmin:
    """Set the counted stock (`onHand`) or correct it (`delta`), with a reason;
    `inventory.stock.updated` is published."""
    return ProductAdmin.of(await catalog.update_stock(product_id, body, admin.user_id))
