"""Admin pages: the dashboard and the user list. Products, orders and the logs have their own modules,
included here so the web app registers one admin router."""

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from markupsafe import Markup
from starlette.responses import Response

from xshop.web import admin_catalog, admin_logs, admin_orders
from xshop.web.admin_charts import Bar, bar_chart
from xshop.web.bff import VisitDep
from xshop.web.pages import checked, page_links, render, signed_in

router = APIRouter(prefix="/admin", include_in_schema=False)
for _area in (admin_catalog.router, admin_orders.router, admin_logs.router):
    router.include_router(_area)
ADMIN = "admin"


def _revenue_in(day: dict[str, Any], currency: str) -> Decimal:
    return sum((Decimal(r["amount"]) for r in day["revenue"] if r["currency"] == currency), Decimal(0))


def dashboard_charts(board: dict[str, Any]) -> tuple[Markup, Markup, str]:
    """Orders per day and revenue per day (in the currency with the most revenue) as SVG."""
    days = board["ordersPerDay"]
    totals = sorted(board["revenue"], key=lambda r: Decimal(r["amount"]), reverse=True)
    currency = totals[0]["currency"] if totals else "USD"
    orders = [Bar(d["date"], d["date"][5:], float(d["orders"])) for d in days]
    revenue = [Bar(d["date"], d["date"][5:], float(_revenue_in(d, currency))) for d in days]
    return (
        bar_chart(
            orders,
            title="Orders per day, last 30 days",
            chart_id="orders-chart",
            formatted=lambda v: f"{v:.0f}",
        ),
        bar_chart(
            revenue,
            title=f"Revenue per day ({currency}), last 30 days",
            chart_id="revenue-chart",
            formatted=lambda v: f"{v:,.2f}",
        ),
        currency,
    )


@router.get("")
async def admin_home(request: Request, visit: VisitDep) -> Response:
    await signed_in(visit, role=ADMIN)
    board = checked(visit, await visit.call("GET", "/bff/admin/dashboard"))
    orders_chart, revenue_chart, currency = dashboard_charts(board)
    context = {
        "board": board,
        "orders_chart": orders_chart,
        "revenue_chart": revenue_chart,
        "currency": currency,
    }
    return await render(request, visit, "admin/index.html", context)


@router.get("/users")
async def users(
    request: Request,
    visit: VisitDep,
    search: Annotated[str, Query(max_length=100)] = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    await signed_in(visit, role=ADMIN)
    params = {"page": page, "pageSize": 20} | ({"search": search} if search else {})
    found = checked(visit, await visit.call("GET", "/bff/admin/users", params=params))
    context = {"page": found, "links": page_links(found, request), "search": search}
    return await render(request, visit, "admin/users.html", context)
