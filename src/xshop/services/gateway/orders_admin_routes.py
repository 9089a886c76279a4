"""BFF routes of order administration. The BFF checks the admin role (and, for the status change
signed in by cookie, the CSRF token), then calls the orders service with the admin's own token."""

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Body, Depends, Path, Request, Response

from xshop.platform.http.principal import CurrentAdmin, current_admin
from xshop.services.gateway.catalog_routes import passed_on, query_parameters
from xshop.services.gateway.csrf import require_csrf
from xshop.services.gateway.forwarding import caller_of
from xshop.services.gateway.orders_routes import PAGE_PARAMETERS, Orders, passed_through

router = APIRouter(prefix="/bff/admin/orders", tags=["orders admin"])
ADMIN_WRITE = [Depends(current_admin), Depends(require_csrf)]
FILTERS = PAGE_PARAMETERS | {
    "status": "`created`, `confirmed`, `shipped`, `delivered` or `cancelled`",
    "customerEmail": "The customer's email address (exact, any letter case)",
    "from": "First day (UTC), inclusive: YYYY-MM-DD",
    "to": "Last day (UTC), inclusive: YYYY-MM-DD",
    "minTotal": 'Lowest total, inclusive, e.g. "10.00"',
    "maxTotal": "Highest total, inclusive",
    "sort": "`date_desc` (default), `date_asc`, `total_desc` or `total_asc`; ties broken by id",
}
_AUTH = {
    401: {"description": "`UNAUTHENTICATED` or `INVALID_TOKEN`"},
    403: {"description": "`FORBIDDEN` (not an admin) or `CSRF_FAILED`"},
    503: {"description": "`ORDER_SERVICE_UNAVAILABLE`"},
}
_NOT_FOUND = {404: {"description": "`NOT_FOUND`"}}
OrderId = Annotated[str, Path(min_length=1, max_length=64)]


def _path(order_id: str, tail: str = "") -> str:
    return f"/api/admin/orders/{quote(order_id, safe='')}{tail}"


@router.get(
    "",
    openapi_extra=query_parameters(FILTERS),
    responses={
        200: {"description": "A page of orders: `{items, page, pageSize, totalItems, totalPages, …}`"},
        400: {"description": "`VALIDATION_FAILED`: a bad filter, sort, page or page size"},
    }
    | _AUTH,
)
async def list_orders(request: Request, admin: CurrentAdmin, orders: Orders) -> Response:
    """Every customer's orders; filters combine."""
    params = passed_on(request, FILTERS)
    return passed_through(await orders.call("GET", "/api/admin/orders", caller_of(request), params=params))


@router.get(
    "/stats",
    responses={200: {"description": "`{countsByStatus, revenue, ordersPerDay}` (last 30 days)"}} | _AUTH,
)
async def order_stats(request: Request, admin: CurrentAdmin, orders: Orders) -> Response:
    return passed_through(await orders.call("GET", "/api/admin/orders/stats", caller_of(request)))


@router.get("/{order_id}", responses=_NOT_FOUND | _AUTH)
async def get_order(order_id: OrderId, request: Request, admin: CurrentAdmin, orders: Orders) -> Response:
    return passed_through(await orders.call("GET", _path(order_id), caller_of(request)))


@router.patch(
    "/{order_id}/status",
    dependencies=ADMIN_WRITE,
    responses=_NOT_FOUND
    | _AUTH
    | {400: {"description": "`VALIDATION_FAILED`"}, 409: {"description": "`INVALID_TRANSITION`"}},
)
async def change_status(
    order_id: OrderId, body: Annotated[dict[str, Any], Body()], request: Request, orders: Orders
) -> Response:
    """`{status, reason?}`: created → confirmed → shipped → delivered; created/confirmed → cancelled."""
    upstream = await orders.call("PATCH", _path(order_id, "/status"), caller_of(request), json=body)
    return passed_through(upstream)
