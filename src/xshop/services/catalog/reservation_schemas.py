"""Request and response models of the internal reservations API."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StrictInt, StrictStr

from xshop.services.catalog.schemas import MAX_QUANTITY, CamelModel, Money, RequestModel


class ReservationStatus(StrEnum):
    HELD = "held"
    CONFIRMED = "confirmed"
    RELEASED = "released"
    EXPIRED = "expired"


class LineRequest(RequestModel):
    product_id: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    quantity: Annotated[StrictInt, Field(ge=1, le=MAX_QUANTITY)]


class ReservationCreate(RequestModel):
    """Lines naming the same product twice are added together."""

    lines: Annotated[list[LineRequest], Field(min_length=1, max_length=100)]
    ttl_seconds: Annotated[StrictInt, Field(ge=1, le=86400)] | None = None

    def quantities(self) -> dict[str, int]:
        """Requested quantity per product, in product-id order: the order rows are locked in."""
        merged: dict[str, int] = {}
        for line in self.lines:
            merged[line.product_id] = merged.get(line.product_id, 0) + line.quantity
        return dict(sorted(merged.items()))


class ReservedLine(CamelModel):
    product_id: str
    sku: str
    name: str
    quantity: int
    unit_price: Money = Field(description="The catalog's price when the stock was reserved.")
    currency: str


class ReservationPublic(CamelModel):
    id: str
    status: ReservationStatus
    created_at: datetime
    expires_at: datetime
    updated_at: datetime
    returned_at: datetime | None = Field(
        default=None, description="When a confirmed reservation's units were put back on hand (cancel)."
    )
    lines: list[ReservedLine]
