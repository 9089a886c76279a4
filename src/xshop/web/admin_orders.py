"""Admin order pages: every customer's orders with the BFF's filters, sorts and paging; one order
with its history and the status change."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from xshop.web.bff import VisitDep
from xshop.web.pages import checked, page_links, render, signed_in

router = APIRouter(include_in_schema=False)
FILTERS = ("status", "customerEmail", "from", "to", "minTotal", "maxTotal", "sort", "page")
STATUSES = ("created", "confirmed", "shipped", "delivered", "cancelled")
SORTS = {
    "date_desc": "Newest first",
    "date_asc": "Oldest first",
    "total_desc": "Highest total",
    "total_asc": "Lowest total",
}
NEXT_STATUSES = {
    "created": ("confirmed", "cancelled"),
    "confirmed": ("shipped", "cancelled"),
    "shipped": ("delivered",),
}


@router.get("/orders")
async def orders(request: Request, visit: VisitDep) -> Response:
    """The filters go to the BFF as typed; its 400 names a bad one, shown above the table."""
    await signed_in(visit, role="admin")
    wanted = {k: v for k, v in request.query_params.items() if k in FILTERS and v.strip()}
    answer = await visit.call("GET", "/bff/admin/orders", params=wanted | {"pageSize": "20"})
    problem: dict[str, Any] | None = None
    found: dict[str, Any] = {"items": []}
    if answer.status_code == 400:
        problem = answer.json()
    else:
        found = checked(visit, answer)
    context = {
        "page": found,
        "links": page_links(found, request) if problem is None else {},
        "filters": wanted,
        "statuses": STATUSES,
        "sorts": SORTS,
        "problem": problem,
    }
    return await render(request, visit, "admin/orders.html", context, status=400 if problem else 200)


@router.get("/orders/{order_id}")
async def order(
    request: Request, visit: VisitDep, order_id: Annotated[str, Path(min_length=1, max_length=64)]
) -> Response:
    await signed_in(visit, role="admin")
    found = checked(visit, await visit.call("GET", f"/bff/admin/orders/{order_id}"))
    context = {"order": found, "next_statuses": NEXT_STATUSES.get(found["status"], ())}
    return await render(request, visit, "admin/order.html", context)
