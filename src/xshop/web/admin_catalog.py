"""Admin product pages: the list with inline stock editing, and the create/edit form."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from xshop.web.bff import VisitDep
from xshop.web.pages import checked, page_links, render, signed_in

router = APIRouter(include_in_schema=False)
SORTS = {"name": "Name", "stock_asc": "Fewest in stock", "newest": "Newest", "price_asc": "Price"}


@router.get("/products")
async def products(
    request: Request,
    visit: VisitDep,
    q: Annotated[str, Query(max_length=100)] = "",
    sort: Annotated[str, Query(max_length=20)] = "name",
    low: Annotated[bool, Query()] = False,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    await signed_in(visit, role="admin")
    params = {
        "page": page,
        "pageSize": 20,
        "includeInactive": "true",
        "sort": sort if sort in SORTS else "name",
    }
    params |= ({"q": q} if q else {}) | ({"lowStock": "true"} if low else {})
    found = checked(visit, await visit.call("GET", "/bff/admin/products", params=params))
    context = {
        "page": found,
        "links": page_links(found, request),
        "q": q,
        "sort": sort,
        "low": low,
        "sorts": SORTS,
    }
    return await render(request, visit, "admin/products.html", context)


@router.get("/products/new")
async def new_product(request: Request, visit: VisitDep) -> Response:
    await signed_in(visit, role="admin")
    return await render(request, visit, "admin/product_form.html", {"product": None})


@router.get("/products/{product_id}")
async def edit_product(
    request: Request, visit: VisitDep, product_id: Annotated[str, Path(min_length=1, max_length=64)]
) -> Response:
    await signed_in(visit, role="admin")
    product = checked(visit, await visit.call("GET", f"/bff/admin/products/{product_id}"))
    return await render(request, visit, "admin/product_form.html", {"product": product})
