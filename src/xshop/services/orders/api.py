"""Customer routes of the orders service: the cart, checkout, and the customer's own orders. The
BFF passes the customer's access token on; a customer only ever sees their own orders."""

from typing import Annotated

from fastapi import APIRouter, Header, Path, Response
from fastapi.responses import JSONResponse

from xshop.platform.errors import FieldError, validation_failed
from xshop.platform.http.principal import CurrentPrincipal
from xshop.platform.pagination import Page, PageQuery
from xshop.services.orders.dependencies import Carts, Changes, Checkout, History
from xshop.services.orders.schemas import (
    CancelRequest,
    CartItemUpdate,
    CartPublic,
    CheckoutRequest,
    OrderPublic,
    OrderStatus,
    OrderSummary,
)

router = APIRouter(
    prefix="/api",
    tags=["orders"],
    responses={401: {"description": "`UNAUTHENTICATED` or `INVALID_TOKEN`"}},
)
OrderId = Annotated[str, Path(min_length=1, max_length=64)]
ProductId = Annotated[str, Path(min_length=1, max_length=64)]
_NOT_FOUND = {404: {"description": "`NOT_FOUND`: no such order of yours"}}
_CATALOG_DOWN = {503: {"description": "`CATALOG_SERVICE_UNAVAILABLE`"}}
MAX_KEY = 200


@router.get("/cart", response_model=CartPublic, responses=_CATALOG_DOWN)
async def get_cart(principal: CurrentPrincipal, carts: Carts) -> CartPublic:
    """The cart's lines with the catalog's current price and availability."""
    return await carts.show(principal.user_id)


@router.put(
    "/cart/items/{product_id}",
    response_model=CartPublic,
    responses={
        400: {"description": "`VALIDATION_FAILED`"},
        404: {"description": "`PRODUCT_NOT_FOUND`: unknown or not on sale"},
        409: {"description": "`CART_FULL`"},
    }
    | _CATALOG_DOWN,
)
async def set_cart_item(
    product_id: ProductId, body: CartItemUpdate, principal: CurrentPrincipal, carts: Carts
) -> CartPublic:
    """Set a product's quantity in the cart; 0 removes it."""
    return await carts.set_quantity(principal.user_id, product_id, body.quantity)


@router.delete("/cart", status_code=204)
async def clear_cart(principal: CurrentPrincipal, carts: Carts) -> Response:
    await carts.clear(principal.user_id)
    return Response(status_code=204)


@router.post(
    "/orders",
    status_code=201,
    response_model=OrderPublic,
    responses={
        400: {"description": "`VALIDATION_FAILED` (also a missing `Idempotency-Key`) or `CART_EMPTY`"},
        403: {"description": "`EMAIL_NOT_VERIFIED` or `ACCOUNT_DISABLED`"},
        404: {"description": "`NOT_FOUND`: `productIds` lists unknown products"},
        409: {
            "description": "`INSUFFICIENT_STOCK` (nothing reserved; `lines` has `{productId, requested, "
            "available}` per short line), `REQUEST_IN_PROGRESS` or `MIXED_CURRENCIES`"
        },
        422: {"description": "`IDEMPOTENCY_KEY_REUSED`: the key was used for another request"},
        503: {"description": "`CATALOG_SERVICE_UNAVAILABLE` or `USER_SERVICE_UNAVAILABLE`"},
    },
)
async def place_order(
    body: CheckoutRequest,
    principal: CurrentPrincipal,
    checkout: Checkout,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key", description="Required: a fresh random value per order, reused on retry"
        ),
    ] = None,
) -> JSONResponse:
    """Place an order from the cart (no `lines`) or from `lines`; prices come from the catalog. The
    same key and body again answers the stored response."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY:
        raise validation_failed(
            [
                FieldError(
                    "Idempotency-Key",
                    "required",
                    f"Send an Idempotency-Key header of 1-{MAX_KEY} characters.",
                )
            ]
        )
    result = await checkout.place(principal, key, body)
    headers = {"Idempotent-Replayed": "true"} if result.replayed else None
    return JSONResponse(result.body, status_code=result.status, headers=headers)


@router.get("/orders", response_model=Page[OrderSummary])
async def list_my_orders(
    principal: CurrentPrincipal, history: History, page: PageQuery
) -> Page[OrderSummary]:
    """Your orders, newest first."""
    orders, total = await history.of_customer(principal.user_id, page)
    return Page[OrderSummary].of([OrderSummary.of(o) for o in orders], page, total)


@router.get("/orders/{order_id}", response_model=OrderPublic, responses=_NOT_FOUND)
async def get_my_order(order_id: OrderId, principal: CurrentPrincipal, history: History) -> OrderPublic:
    return OrderPublic.of(await history.customer_order(principal.user_id, order_id))


@router.post(
    "/orders/{order_id}/cancel",
    response_model=OrderPublic,
    responses=_NOT_FOUND | {409: {"description": "`INVALID_TRANSITION`: shipped, delivered or cancelled"}},
)
async def cancel_my_order(
    order_id: OrderId, principal: CurrentPrincipal, changes: Changes, body: CancelRequest | None = None
) -> OrderPublic:
    """Cancel while `created` or `confirmed`: the stock goes back, `order.status.changed` is published."""
    reason = body.reason if body else None
    order = await changes.change(
        order_id, OrderStatus.CANCELLED, actor=principal.user_id, reason=reason, owner=principal.user_id
    )
    return OrderPublic.of(order)
