"""Admin routes of the orders service: every order, filtered and sorted; status changes; statistics."""

from typing import Annotated

from fastapi import APIRouter, Path

from xshop.platform.http.principal import CurrentAdmin
from xshop.platform.pagination import Page, PageQuery
from xshop.services.orders.admin_schemas import OrderStats
from xshop.services.orders.dependencies import AdminQuery, Changes, History
from xshop.services.orders.schemas import OrderPublic, OrderSummary, StatusUpdate

router = APIRouter(
    prefix="/api/admin/orders",
    tags=["orders admin"],
    responses={
        401: {"description": "`UNAUTHENTICATED` or `INVALID_TOKEN`"},
        403: {"description": "`FORBIDDEN`: not an admin"},
    },
)
OrderId = Annotated[str, Path(min_length=1, max_length=64)]
_NOT_FOUND = {404: {"description": "`NOT_FOUND`"}}


@router.get(
    "",
    response_model=Page[OrderSummary],
    responses={400: {"description": "`VALIDATION_FAILED`: a bad filter, sort, page or page size"}},
)
async def list_orders(
    admin: CurrentAdmin, history: History, filters: AdminQuery, page: PageQuery
) -> Page[OrderSummary]:
    """All orders; filters combine; newest first unless `sort` says otherwise."""
    orders, total = await history.search(filters, page)
    return Page[OrderSummary].of([OrderSummary.of(o) for o in orders], page, total)


@router.get("/stats", response_model=OrderStats)
async def order_stats(admin: CurrentAdmin, history: History) -> OrderStats:
    """Counts by status, revenue (orders not cancelled) and orders per day over the last 30 days."""
    return await history.stats()


@router.get("/{order_id}", response_model=OrderPublic, responses=_NOT_FOUND)
async def get_order(order_id: OrderId, admin: CurrentAdmin, history: History) -> OrderPublic:
    return OrderPublic.of(await history.get(order_id))


@router.patch(
    "/{order_id}/status",
    response_model=OrderPublic,
    responses=_NOT_FOUND
    | {
        400: {"description": "`VALIDATION_FAILED`"},
        409: {"description": "`INVALID_TRANSITION`: `currentStatus` and the `allowed` next ones"},
    },
)
async def change_status(
    order_id: OrderId, body: StatusUpdate, admin: CurrentAdmin, changes: Changes
) -> OrderPublic:
    """created → confirmed → shipped → delivered; created or confirmed → cancelled (stock goes back)."""
    order = await changes.change(order_id, body.status, actor=admin.user_id, reason=body.reason)
    return OrderPublic.of(order)
