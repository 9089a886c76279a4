"""Reading orders: a customer's own (anyone else's is 404), every order for admins, and statistics."""

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select

from xshop.platform.clock import Clock
from xshop.platform.db import Database
from xshop.platform.errors import not_found
from xshop.platform.pagination import PageParams, fetch_page
from xshop.services.orders.admin_schemas import (
    AdminFilters,
    AdminSort,
    DayCount,
    OrderStats,
    Revenue,
    StatusCount,
)
from xshop.services.orders.models import Order
from xshop.services.orders.pricing import to_cents
from xshop.services.orders.schemas import OrderStatus

STATS_DAYS = 30
_SORTS = {
    AdminSort.DATE_DESC: (Order.created_at.desc(), Order.id.desc()),
    AdminSort.DATE_ASC: (Order.created_at.asc(), Order.id.asc()),
    AdminSort.TOTAL_DESC: (Order.total.desc(), Order.id.desc()),
    AdminSort.TOTAL_ASC: (Order.total.asc(), Order.id.asc()),
}
_CANCELLED = OrderStatus.CANCELLED.value


class OrderHistory:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def of_customer(self, customer_id: str, page: PageParams) -> tuple[list[Order], int]:
        query = (
            select(Order)
            .where(Order.customer_id == customer_id)
            .order_by(Order.created_at.desc(), Order.id.desc())
        )
        async with self.db.session() as session:
            return await fetch_page(session, query, page)

    async def customer_order(self, customer_id: str, order_id: str) -> Order:
        order = await self.get(order_id)
        if order.customer_id != customer_id:
            raise not_found("Order")  # another customer's order does not exist for this one
        return order

    async def get(self, order_id: str) -> Order:
        async with self.db.session() as session:
            order = await session.get(Order, order_id)
        if order is None:
            raise not_found("Order")
        return order

    async def search(self, filters: AdminFilters, page: PageParams) -> tuple[list[Order], int]:
        async with self.db.session() as session:
            return await fetch_page(session, _filtered(filters), page)

    async def stats(self) -> OrderStats:
        today = self.clock().astimezone(UTC).date()
        first_day = today - timedelta(days=STATS_DAYS - 1)
        since = datetime.combine(first_day, time(), tzinfo=UTC)
        async with self.db.session() as session:
            counts = dict(
                (await session.execute(select(Order.status, func.count()).group_by(Order.status))).all()
            )
            revenue = await session.execute(
                select(Order.currency, func.sum(Order.total), func.count())
                .where(Order.status != _CANCELLED)
                .group_by(Order.currency)
                .order_by(Order.currency)
            )
            recent = await session.execute(
                select(Order.created_at, Order.currency, Order.total, Order.status).where(
                    Order.created_at >= since
                )
            )
            per_day = _per_day(recent.all(), first_day)
        return OrderStats(
            counts_by_status=[StatusCount(status=s, count=int(counts.get(s.value, 0))) for s in OrderStatus],
            revenue=[
                Revenue(currency=currency, amount=to_cents(Decimal(str(amount or 0))), orders=int(n))
                for currency, amount, n in revenue
            ],
            orders_per_day=per_day,
        )


def _filtered(filters: AdminFilters) -> Select[Any]:
    query = select(Order)
    if filters.status is not None:
        query = query.where(Order.status == filters.status.value)
    if filters.customer_email:
        query = query.where(Order.customer_email == filters.customer_email.strip().lower())
    if filters.created_from is not None:
        query = query.where(Order.created_at >= datetime.combine(filters.created_from, time(), tzinfo=UTC))
    if filters.created_to is not None:
        end = datetime.combine(filters.created_to + timedelta(days=1), time(), tzinfo=UTC)
        query = query.where(Order.created_at < end)
    if filters.min_total is not None:
        query = query.where(Order.total >= filters.min_total)
    if filters.max_total is not None:
        query = query.where(Order.total <= filters.max_total)
    return query.order_by(*_SORTS[filters.sort])


def _per_day(rows: list[Any], first_day: Any) -> list[DayCount]:
    """Grouped here rather than in SQL: date functions differ between SQLite and PostgreSQL, and
    30 days of orders is a small read."""
    orders: dict[Any, int] = defaultdict(int)
    amounts: dict[Any, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    counted: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for created_at, currency, total, status in rows:
        day = created_at.astimezone(UTC).date()
        orders[day] += 1
        if status != _CANCELLED:
            amounts[day][currency] += total
            counted[day][currency] += 1
    days = [first_day + timedelta(days=n) for n in range(STATS_DAYS)]
    return [
        DayCount(
            date=day,
            orders=orders[day],
            revenue=[
                Revenue(currency=c, amount=to_cents(a), orders=counted[day][c])
                for c, a in sorted(amounts[day].items())
            ],
        )
        for day in days
    ]
