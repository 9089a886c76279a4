"""BFF route of the back office's dashboard: one call gathering what the first admin page shows."""

import asyncio
from typing import Any

from fastapi import APIRouter, Request

from xshop.platform.http.principal import CurrentAdmin, access_token_of
from xshop.services.gateway.backoffice_routes import AUTH_ERRORS, Notifications
from xshop.services.gateway.catalog_routes import Catalog
from xshop.services.gateway.forwarding import caller_of
from xshop.services.gateway.orders_routes import Orders

router = APIRouter(prefix="/bff/admin", tags=["back office"])
DASHBOARD_LIST_SIZE = 10


@router.get(
    "/dashboard",
    responses={
        200: {
            "description": "`{countsByStatus, revenue, ordersPerDay}` as in `/bff/admin/orders/stats`, "
            "`lowStock: {items, totalItems}` and `failedEmails: {items, totalItems}`"
        },
        503: {
            "description": "`ORDER_SERVICE_UNAVAILABLE`, `CATALOG_SERVICE_UNAVAILABLE` or "
            "`NOTIFICATIONS_SERVICE_UNAVAILABLE`"
        },
    }
    | AUTH_ERRORS,
)
async def dashboard(
    request: Request, admin: CurrentAdmin, orders: Orders, catalog: Catalog, notifications: Notifications
) -> dict[str, Any]:
    """Orders per day and revenue over the last 30 days, the products at or under their low-stock
    threshold (fewest available first) and the most recent failed emails."""
    caller = caller_of(request)
    size = str(DASHBOARD_LIST_SIZE)
    low_stock = {"lowStock": "true", "sort": "stock_asc", "pageSize": size}
    stats, low, failed = await asyncio.gather(
        orders.call("GET", "/api/admin/orders/stats", caller),
        catalog.as_admin("GET", "/api/admin/products", access_token_of(request) or "", params=low_stock),
        notifications.json(
            "GET", "/api/notifications/email-logs", caller, params={"status": "failed", "pageSize": size}
        ),
    )
    low_page = low.json()
    return stats.json() | {
        "lowStock": {"items": low_page["items"], "totalItems": low_page["totalItems"]},
        "failedEmails": {"items": failed["items"], "totalItems": failed["totalItems"]},
    }
