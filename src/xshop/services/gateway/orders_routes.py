"""BFF routes of the signed-in customer's cart, checkout and orders. The orders service checks the
access token passed on; state-changing calls signed in by cookie need the CSRF token here."""

from typing import Annotated, Any
from urllib.parse import quote

import httpx
from fastapi import APIRouter, Body, Depends, Header, Path, Request, Response

from xshop.services.gateway.catalog_routes import passed_on, query_parameters
from xshop.services.gateway.csrf import CsrfChecked
from xshop.services.gateway.forwarding import caller_of
from xshop.services.gateway.orders_client import OrdersClient

router = APIRouter(prefix="/bff", tags=["orders"])
REPLAYED = "Idempotent-Replayed"
_AUTH = {
    401: {"description": "`UNAUTHENTICATED` or `INVALID_TOKEN`"},
    403: {"description": "`CSRF_FAILED` (state-changing calls signed in by cookie)"},
    503: {"description": "`ORDER_SERVICE_UNAVAILABLE` or a service it needs"},
}
_NOT_FOUND = {404: {"description": "`NOT_FOUND`: no such order of yours"}}
_CART_SHAPE = (
    "`{lines: [{productId, quantity, sku, name, unitPrice, currency, lineTotal, available, stockStatus}], "
    "itemCount, subtotal, currency}`"
)
_CART = {200: {"description": _CART_SHAPE}}
PAGE_PARAMETERS = {"page": "1-based page number", "pageSize": "Items per page, 1-100 (default 20)"}
JsonObject = Annotated[dict[str, Any], Body()]
OrderId = Annotated[str, Path(min_length=1, max_length=64)]
ProductId = Annotated[str, Path(min_length=1, max_length=64)]


async def _orders(request: Request) -> OrdersClient:
    return request.app.state.orders_client


Orders = Annotated[OrdersClient, Depends(_orders)]


def passed_through(upstream: httpx.Response) -> Response:
    headers = {REPLAYED: upstream.headers[REPLAYED]} if REPLAYED in upstream.headers else None
    if upstream.status_code == 204:
        return Response(status_code=204)
    return Response(
        upstream.content, status_code=upstream.status_code, media_type="application/json", headers=headers
    )


def order_path(order_id: str, tail: str = "") -> str:
    return f"/api/orders/{quote(order_id, safe='')}{tail}"


@router.get("/cart", responses=_CART | _AUTH)
async def get_cart(request: Request, orders: Orders) -> Response:
    """Your cart at the catalog's current prices and availability."""
    return passed_through(await orders.call("GET", "/api/cart", caller_of(request)))


@router.put(
    "/cart/items/{product_id}",
    responses=_CART
    | _AUTH
    | {400: {"description": "`VALIDATION_FAILED`"}, 404: {"description": "`PRODUCT_NOT_FOUND`"}},
)
async def set_cart_item(
    product_id: ProductId, body: JsonObject, request: Request, orders: Orders, _: CsrfChecked
) -> Response:
    """`{quantity}`: set the product's quantity; 0 removes it."""
    path = f"/api/cart/items/{quote(product_id, safe='')}"
    return passed_through(await orders.call("PUT", path, caller_of(request), json=body))


@router.delete("/cart", status_code=204, responses=_AUTH)
async def clear_cart(request: Request, orders: Orders, _: CsrfChecked) -> Response:
    return passed_through(await orders.call("DELETE", "/api/cart", caller_of(request)))


@router.post(
    "/orders",
    status_code=201,
    responses={
        201: {
            "description": "The order; a replay of the same key and body also answers 201, with "
            "`Idempotent-Replayed: true`"
        },
        400: {
            "description": "`VALIDATION_FAILED` (field errors; a missing `Idempotency-Key`) or `CART_EMPTY`"
        },
        403: {"description": "`EMAIL_NOT_VERIFIED`, `ACCOUNT_DISABLED` or `CSRF_FAILED`"},
        409: {"description": "`INSUFFICIENT_STOCK` with `lines`, or `REQUEST_IN_PROGRESS`"},
        422: {"description": "`IDEMPOTENCY_KEY_REUSED`"},
    }
    | _AUTH,
)
async def place_order(
    body: JsonObject,
    request: Request,
    orders: Orders,
    _: CsrfChecked,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Response:
    """`{shippingAddress: {name, line1, line2?, city, postalCode, country, phone?}, lines?: [{productId,
    quantity}]}`; without `lines` the cart is ordered. Prices come from the catalog."""
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key is not None else {}
    upstream = await orders.call("POST", "/api/orders", caller_of(request), json=body, headers=headers)
    return passed_through(upstream)


@router.get(
    "/orders",
    openapi_extra=query_parameters(PAGE_PARAMETERS),
    responses={200: {"description": "A page of your orders, newest first"}} | _AUTH,
)
async def list_my_orders(request: Request, orders: Orders) -> Response:
    params = passed_on(request, PAGE_PARAMETERS)
    return passed_through(await orders.call("GET", "/api/orders", caller_of(request), params=params))


@router.get("/orders/{order_id}", responses=_NOT_FOUND | _AUTH)
async def get_my_order(order_id: OrderId, request: Request, orders: Orders) -> Response:
    return passed_through(await orders.call("GET", order_path(order_id), caller_of(request)))


@router.post(
    "/orders/{order_id}/cancel",
    responses=_NOT_FOUND | _AUTH | {409: {"description": "`INVALID_TRANSITION`"}},
)
async def cancel_my_order(order_id: OrderId, request: Request, orders: Orders, _: CsrfChecked) -> Response:
    """While `created` or `confirmed`; the stock goes back and an email tells you."""
    return passed_through(await orders.call("POST", order_path(order_id, "/cancel"), caller_of(request)))
