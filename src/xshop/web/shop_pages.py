"""Browsing and buying: catalogue, product page, cart, checkout."""

import uuid
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from xshop.web.bff import Visit, VisitDep
from xshop.web.pages import checked, page_links, render, signed_in

router = APIRouter(include_in_schema=False)
BROWSE = ("q", "category", "minPrice", "maxPrice", "sort", "page", "inStock")
SORTS = {
    "relevance": "Best match",
    "price_asc": "Price: low to high",
    "price_desc": "Price: high to low",
    "name": "Name",
    "newest": "Newest",
}
PAGE_SIZE = "12"


def local_images(product: dict[str, Any]) -> list[str]:
    """Only images this site serves: the page's policy (and the issue) allow no other host."""
    return [url for url in product.get("imageUrls", []) if url.startswith("/") and not url.startswith("//")]


async def _cart_count(visit: Visit) -> int | None:
    if await visit.user() is None:
        return None
    response = await visit.call("GET", "/bff/cart")
    return int(response.json().get("itemCount", 0)) if response.status_code == 200 else None


@router.get("/")
async def catalogue(request: Request, visit: VisitDep) -> Response:
    chosen = {name: request.query_params[name] for name in BROWSE if request.query_params.get(name)}
    response = await visit.call("GET", "/bff/products", params=chosen | {"pageSize": PAGE_SIZE})
    if response.status_code == 400:
        problem = response.json()
        page: dict[str, Any] = {"items": [], "totalItems": 0}
        errors = [e.get("message", "") for e in problem.get("errors", [])] or [problem.get("detail", "")]
    else:
        page, errors = checked(visit, response), []
    categories = checked(visit, await visit.call("GET", "/bff/categories"))["items"]
    context = {
        "page": page,
        "chosen": chosen,
        "categories": categories,
        "sorts": SORTS,
        "errors": errors,
        "links": page_links(page, request),
        "images": {item["id"]: local_images(item) for item in page["items"]},
    }
    return await render(request, visit, "catalogue.html", context)


@router.get("/products/{product_id}")
async def product_page(product_id: str, request: Request, visit: VisitDep) -> Response:
    path = "/bff/products/" + quote(product_id, safe="")
    product = checked(visit, await visit.call("GET", path))
    context = {"product": product, "images": local_images(product), "cart_count": await _cart_count(visit)}
    return await render(request, visit, "product.html", context)


@router.get("/cart")
async def cart_page(request: Request, visit: VisitDep) -> Response:
    await signed_in(visit)
    cart = checked(visit, await visit.call("GET", "/bff/cart"))
    return await render(request, visit, "cart.html", {"cart": cart})


@router.get("/checkout")
async def checkout_page(request: Request, visit: VisitDep) -> Response:
    user = await signed_in(visit)
    cart = checked(visit, await visit.call("GET", "/bff/cart"))
    if not cart["lines"]:
        return visit.hand_back(RedirectResponse("/cart", status_code=303))
    name = " ".join(part for part in (user.get("firstName"), user.get("lastName")) if part)
    context = {
        "cart": cart,
        # One key per rendered page: every submit from it (a double click, a retry after a network
        # error) is the same order to the BFF.
        "idempotency_key": str(uuid.uuid4()),
        "name": name,
        "verified": user.get("isEmailVerified", False),
    }
    return await render(request, visit, "checkout.html", context)
