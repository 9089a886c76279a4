"""Request and response models of the orders API (camelCase on the wire; money as "19.99")."""

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
)

from xshop.platform.schemas import CamelModel, Money, RequestModel
from xshop.services.orders.models import Order

MAX_LINE_QUANTITY = 1000
MAX_LINES = 100


class OrderStatus(StrEnum):
    CREATED = "created"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


ProductId = Annotated[StrictStr, Field(min_length=1, max_length=64)]
LineQuantity = Annotated[StrictInt, Field(ge=1, le=MAX_LINE_QUANTITY)]


def _text(max_length: int, min_length: int = 1) -> Any:
    def clean(value: str) -> str:
        value = " ".join(value.split())
        if len(value) < min_length:
            raise ValueError(f"Must have at least {min_length} characters.")
        if len(value) > max_length:
            raise ValueError(f"Must have at most {max_length} characters.")
        return value

    return AfterValidator(clean)


def _country(value: str) -> str:
    value = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", value):
        raise ValueError("Must be a two-letter ISO 3166-1 country code, e.g. US.")
    return value


def _phone(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    digits = sum(c.isdigit() for c in value)
    if not re.fullmatch(r"[0-9+()\-. ]{7,20}", value) or not 7 <= digits <= 15:
        raise ValueError("Must be 7-20 characters with 7-15 digits.")
    return value


def _optional_line(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    if len(value) > 200:
        raise ValueError("Must have at most 200 characters.")
    return value or None


class Address(RequestModel):
    name: Annotated[StrictStr, _text(100, 2)]
    line1: Annotated[StrictStr, _text(200)]
    line2: Annotated[StrictStr | None, AfterValidator(_optional_line)] = None
    city: Annotated[StrictStr, _text(100)]
    postal_code: Annotated[StrictStr, _text(20, 2)]
    country: Annotated[StrictStr, AfterValidator(_country)]
    phone: Annotated[StrictStr | None, AfterValidator(_phone)] = None


class CheckoutLine(CamelModel):
    """Other fields (a ``price``, say) are ignored: prices come from the catalog."""

    model_config = ConfigDict(extra="ignore")

    product_id: ProductId
    quantity: LineQuantity


class CheckoutRequest(CamelModel):
    """Without ``lines``, the signed-in customer's cart is ordered."""

    model_config = ConfigDict(extra="ignore")

    shipping_address: Address
    lines: Annotated[list[CheckoutLine], Field(min_length=1, max_length=MAX_LINES)] | None = None

    def fingerprint_source(self) -> dict[str, Any]:
        """What identifies the request for its idempotency key: what is used, not what is ignored."""
        return self.model_dump(mode="json", by_alias=True)


class CartItemUpdate(RequestModel):
    quantity: Annotated[StrictInt, Field(ge=0, le=MAX_LINE_QUANTITY, description="0 removes the line")]


class CartLinePublic(CamelModel):
    product_id: str
    quantity: int
    sku: str | None
    name: str | None
    unit_price: Money | None = Field(description="The catalog's current price; null when unavailable.")
    currency: str | None
    line_total: Money | None
    available: int = Field(description="Units the catalog can sell now (0 when not on sale).")
    stock_status: str = Field(description="`in_stock`, `low_stock`, `out_of_stock` or `unavailable`.")


class CartPublic(CamelModel):
    lines: list[CartLinePublic]
    item_count: int
    subtotal: Money = Field(description="Of the lines on sale, at current prices.")
    currency: str | None


class OrderLinePublic(CamelModel):
    product_id: str
    sku: str
    name: str
    unit_price: Money
    quantity: int
    line_total: Money


class AddressPublic(CamelModel):
    name: str
    line1: str
    line2: str | None = None
    city: str
    postal_code: str
    country: str
    phone: str | None = None


class CustomerPublic(CamelModel):
    id: str
    email: str
    name: str


class StatusChangePublic(CamelModel):
    from_status: str | None
    to_status: str
    changed_by: str
    reason: str | None
    changed_at: datetime


class OrderSummary(CamelModel):
    id: str
    order_number: str
    status: OrderStatus
    customer: CustomerPublic
    currency: str
    total: Money
    item_count: int
    created_at: datetime

    @classmethod
    def of(cls, order: Order) -> Self:
        return cls.model_validate(_common(order) | {"total": order.total})


class OrderPublic(CamelModel):
    id: str
    order_number: str
    status: OrderStatus
    customer: CustomerPublic
    currency: str
    subtotal: Money
    tax: Money
    shipping: Money
    total: Money
    item_count: int
    shipping_address: AddressPublic
    lines: list[OrderLinePublic]
    history: list[StatusChangePublic]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, order: Order) -> Self:
        return cls.model_validate(
            _common(order)
            | {
                "subtotal": order.subtotal,
                "tax": order.tax,
                "shipping": order.shipping,
                "total": order.total,
                "shipping_address": order.shipping_address,
                "lines": [OrderLinePublic.model_validate(line, from_attributes=True) for line in order.lines],
                "history": [
                    StatusChangePublic.model_validate(change, from_attributes=True)
                    for change in order.history
                ],
                "updated_at": order.updated_at,
            }
        )


def _common(order: Order) -> dict[str, Any]:
    return {
        "id": order.id,
        "order_number": order.order_number,
        "status": order.status,
        "customer": {"id": order.customer_id, "email": order.customer_email, "name": order.customer_name},
        "currency": order.currency,
        "item_count": sum(line.quantity for line in order.lines),
        "created_at": order.created_at,
    }


class StatusUpdate(RequestModel):
    status: OrderStatus
    reason: Annotated[StrictStr, Field(max_length=500)] | None = None


class CancelRequest(RequestModel):
    reason: Annotated[StrictStr, Field(max_length=500)] | None = None
