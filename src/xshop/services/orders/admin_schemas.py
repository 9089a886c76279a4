"""Models of the admin order routes: list filters and sorts, and the statistics."""

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field

from xshop.services.orders.schemas import CamelModel, Money, OrderStatus


class AdminSort(StrEnum):
    DATE_DESC = "date_desc"
    DATE_ASC = "date_asc"
    TOTAL_DESC = "total_desc"
    TOTAL_ASC = "total_asc"


class AdminFilters(BaseModel):
    status: OrderStatus | None = None
    customer_email: str | None = None
    created_from: date | None = None
    created_to: date | None = None
    min_total: Decimal | None = None
    max_total: Decimal | None = None
    sort: AdminSort = AdminSort.DATE_DESC


class StatusCount(CamelModel):
    status: OrderStatus
    count: int


class Revenue(CamelModel):
    currency: str
    amount: Money
    orders: int


class DayCount(CamelModel):
    date: date
    orders: int
    revenue: list[Revenue]


class OrderStats(CamelModel):
    counts_by_status: list[StatusCount]
    revenue: list[Revenue] = Field(description="Per currency, over every order not cancelled.")
    orders_per_day: list[DayCount] = Field(
        description="The last 30 days, oldest first, days without orders too."
    )
