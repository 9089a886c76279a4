"""Public routes of the catalog service: browse, product details, categories. Only active products;
every answer carries an ETag and ``If-None-Match`` gets 304."""

from fastapi import APIRouter, Request, Response

from xshop.platform.http.etag import tagged_json
from xshop.platform.pagination import Page, PageQuery
from xshop.services.catalog.dependencies import Browse, Catalog
from xshop.services.catalog.schemas import CategoryCount, CategoryList, ProductDetail, ProductSummary

router = APIRouter(prefix="/api", tags=["products"])

_CACHING = {304: {"description": "Not modified: `If-None-Match` names the current ETag"}}
_BAD_QUERY = {400: {"description": "`VALIDATION_FAILED`: a bad filter, sort, page or page size"}}


@router.get("/products", response_model=Page[ProductSummary], responses=_BAD_QUERY | _CACHING)
async def browse_products(request: Request, catalog: Catalog, query: Browse, page: PageQuery) -> Response:
    """Search, filter, sort and page the active products."""
    products, total = await catalog.browse(query, page)
    result = Page[ProductSummary].of([ProductSummary.of(p) for p in products], page, total)
    return tagged_json(request, result.model_dump_json(by_alias=True).encode())


@router.get(
    "/products/{product_id}",
    response_model=ProductDetail,
    responses={404: {"description": "`NOT_FOUND`: unknown or inactive"}} | _CACHING,
)
async def get_product(product_id: str, request: Request, catalog: Catalog) -> Response:
    product = ProductDetail.of(await catalog.get(product_id))
    return tagged_json(request, product.model_dump_json(by_alias=True).encode())


@router.get("/categories", response_model=CategoryList, responses=_CACHING)
async def list_categories(request: Request, catalog: Catalog) -> Response:
    """Categories that have active products, by name, with how many."""
    items = [CategoryCount(category=name, count=count) for name, count in await catalog.categories()]
    return tagged_json(request, CategoryList(items=items).model_dump_json(by_alias=True).encode())
