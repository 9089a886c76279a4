"""FastAPI dependencies of the orders routes: the use-case objects and the admin filters."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from xshop.platform.errors import FieldError, validation_failed
from xshop.services.orders.admin_schemas import AdminFilters, AdminSort
from xshop.services.orders.carts import CartService
from xshop.services.orders.checkout import CheckoutService
from xshop.services.orders.history import OrderHistory
from xshop.services.orders.schemas import OrderStatus
from xshop.services.orders.transitions import StatusChanges


async def _carts(request: Request) -> CartService:
    return request.app.state.carts


async def _checkout(request: Request) -> CheckoutService:
    return request.app.state.checkout


async def _history(request: Request) -> OrderHistory:
    return request.app.state.history


async def _changes(request: Request) -> StatusChanges:
    return request.app.state.status_changes


Carts = Annotated[CartService, Depends(_carts)]
Checkout = Annotated[CheckoutService, Depends(_checkout)]
History = Annotated[OrderHistory, Depends(_history)]
Changes = Annotated[StatusChanges, Depends(_changes)]


def _total_query(alias: str) -> Any:
    return Query(alias=alias, ge=0, max_digits=12, decimal_places=2, description='Inclusive, e.g. "19.99"')


async def admin_filters(
    status: Annotated[OrderStatus | None, Query()] = None,
    customer_email: Annotated[
        str | None, Query(alias="customerEmail", max_length=254, description="Exact, any letter case")
    ] = None,
    created_from: Annotated[
        date | None, Query(alias="from", description="First day (UTC), inclusive: YYYY-MM-DD")
    ] = None,
    created_to: Annotated[
        date | None, Query(alias="to", description="Last day (UTC), inclusive: YYYY-MM-DD")
    ] = None,
    min_total: Annotated[Decimal | None, _total_query("minTotal")] = None,
    max_total: Annotated[Decimal | None, _total_query("maxTotal")] = None,
    sort: Annotated[
        AdminSort, Query(description="By date or total; ties broken by id")
    ] = AdminSort.DATE_DESC,
) -> AdminFilters:
    errors = []
    if created_from and created_to and created_from > created_to:
        errors.append(FieldError("from", "invalid_range", "from must not be after to."))
    if min_total is not None and max_total is not None and min_total > max_total:
        errors.append(FieldError("minTotal", "invalid_range", "minTotal must not be more than maxTotal."))
    if errors:
        raise validation_failed(errors)
    return AdminFilters(
        status=status,
        customer_email=customer_email,
        created_from=created_from,
        created_to=created_to,
        min_total=min_total,
        max_total=max_total,
        sort=sort,
    )


AdminQuery = Annotated[AdminFilters, Depends(admin_filters)]
