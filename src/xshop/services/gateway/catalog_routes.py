"""BFF routes for browsing: product list, product details, categories. Anyone may call them; answers
come from the catalog service through the BFF's cache and carry an ETag (304 on ``If-None-Match``)."""

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Request, Response

from xshop.platform.http.etag import entity_tag, tagged_json
from xshop.services.gateway.catalog_cache import Answer, CatalogCache
from xshop.services.gateway.catalog_client import CatalogClient

router = APIRouter(prefix="/bff", tags=["catalog"])

BROWSE_PARAMETERS = {
    "q": "Text in the name or description, any letter case (up to 100 characters)",
    "category": "A category slug, e.g. `electronics`",
    "tags": "Comma-separated tags; products with any of them",
    "minPrice": 'Lowest price, inclusive, e.g. "10.00"',
    "maxPrice": "Highest price, inclusive",
    "inStock": "`true`: only available products; `false`: only sold-out ones",
    "sort": "`relevance` (default: name matches first, then by name), `price_asc`, `price_desc`, "
    "`name`, `newest`, `stock_asc` (fewest available first)",
    "page": "1-based page number (at most 1000000)",
    "pageSize": "Items per page, 1-100 (default 20)",
}
_CACHING = {304: {"description": "Not modified: `If-None-Match` names the current ETag"}}
_UNAVAILABLE = {503: {"description": "`CATALOG_SERVICE_UNAVAILABLE`"}}


def query_parameters(described: dict[str, str]) -> dict[str, Any]:
    """OpenAPI entries for query parameters the BFF passes on unparsed (the catalog validates them)."""
    return {
        "parameters": [
            {
                "name": name,
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
                "description": text,
            }
            for name, text in described.items()
        ]
    }


async def _client(request: Request) -> CatalogClient:
    return request.app.state.catalog_client


async def _cache(request: Request) -> CatalogCache:
    return request.app.state.catalog_cache


Catalog = Annotated[CatalogClient, Depends(_client)]
Cache = Annotated[CatalogCache, Depends(_cache)]
ProductId = Annotated[str, Path(min_length=1, max_length=64)]


def passed_on(request: Request, allowed: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in request.query_params.items() if name in allowed}


async def _cached(request: Request, catalog: CatalogClient, cache: CatalogCache, path: str) -> Response:
    async def fetch() -> Answer:
        body = (await catalog.fetch(path, passed_on(request, BROWSE_PARAMETERS))).content
        return Answer(body, entity_tag(body))

    # Keyed by the raw query string: a hit costs no parsing (the hot path of the shop).
    answer = await cache.get((path, request.scope["query_string"]), fetch)
    return tagged_json(request, answer.body, etag=answer.etag)


@router.get(
    "/products",
    openapi_extra=query_parameters(BROWSE_PARAMETERS),
    responses={
        200: {"description": "`{items, page, pageSize, totalItems, totalPages, hasPrevious, hasNext}`"},
        400: {"description": "`VALIDATION_FAILED`: a bad filter, sort, page or page size"},
    }
    | _CACHING
    | _UNAVAILABLE,
)
async def browse_products(request: Request, catalog: Catalog, cache: Cache) -> Response:
    """Search, filter, sort and page the products on sale."""
    return await _cached(request, catalog, cache, "/api/products")


@router.get(
    "/products/{product_id}",
    responses={
        200: {"description": "The product with its description, price and stock status"},
        404: {"description": "`NOT_FOUND`: unknown or not on sale"},
    }
    | _CACHING
    | _UNAVAILABLE,
)
async def get_product(product_id: ProductId, request: Request, catalog: Catalog, cache: Cache) -> Response:
    return await _cached(request, catalog, cache, f"/api/products/{quote(product_id, safe='')}")


@router.get(
    "/categories",
    responses={200: {"description": "`{items: [{category, count}]}`, counting products on sale"}}
    | _CACHING
    | _UNAVAILABLE,
)
async def list_categories(request: Request, catalog: Catalog, cache: Cache) -> Response:
    return await _cached(request, catalog, cache, "/api/categories")
