"""The customer's orders: the confirmation after checkout, the order list and one order."""

from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.responses import Response

from xshop.web.bff import Visit, VisitDep
from xshop.web.pages import checked, page_links, render, signed_in

router = APIRouter(include_in_schema=False)
STATUS_LABELS = {
    "created": "Placed",
    "confirmed": "Confirmed",
    "shipped": "Shipped",
    "delivered": "Delivered",
    "cancelled": "Cancelled",
}


async def _order(visit: Visit, order_id: str) -> dict[str, object]:
    await signed_in(visit)
    return dict(checked(visit, await visit.call("GET", "/bff/orders/" + quote(order_id, safe=""))))


@router.get("/orders")
async def orders_page(request: Request, visit: VisitDep) -> Response:
    await signed_in(visit)
    params = {"page": request.query_params.get("page", "1"), "pageSize": "10"}
    page = checked(visit, await visit.call("GET", "/bff/orders", params=params))
    context = {"page": page, "links": page_links(page, request), "labels": STATUS_LABELS}
    return await render(request, visit, "orders.html", context)


@router.get("/orders/{order_id}")
async def order_page(order_id: str, request: Request, visit: VisitDep) -> Response:
    order = await _order(visit, order_id)
    return await render(request, visit, "order.html", {"order": order, "labels": STATUS_LABELS})


@router.get("/orders/{order_id}/confirmation")
async def confirmation_page(order_id: str, request: Request, visit: VisitDep) -> Response:
    order = await _order(visit, order_id)
    context = {"order": order, "labels": STATUS_LABELS, "confirmation": True}
    return await render(request, visit, "order.html", context)
