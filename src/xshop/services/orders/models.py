"""Tables of the orders service only: orders with their lines and status history, carts, and the
idempotency keys of checkout."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from xshop.platform.events.outbox import outbox_table
from xshop.platform.types import UtcDateTime

MONEY = Numeric(12, 2)
STATUSES = ("created", "confirmed", "shipped", "delivered", "cancelled")


class Base(DeclarativeBase):
    pass


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(
            "status IN ('created', 'confirmed', 'shipped', 'delivered', 'cancelled')", name="ck_orders_status"
        ),
        CheckConstraint("total >= 0", name="ck_orders_total_not_negative"),
        Index("ix_orders_customer_created", "customer_id", "created_at"),
        Index("ix_orders_created_at", "created_at"),
        Index("ix_orders_total", "total"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    order_number: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[str] = mapped_column(String(100))
    customer_email: Mapped[str] = mapped_column(String(254), index=True)
    customer_name: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(12), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[Decimal] = mapped_column(MONEY)
    tax: Mapped[Decimal] = mapped_column(MONEY)
    shipping: Mapped[Decimal] = mapped_column(MONEY)
    total: Mapped[Decimal] = mapped_column(MONEY)
    shipping_address: Mapped[dict[str, Any]] = mapped_column(JSON)
    reservation_id: Mapped[str] = mapped_column(String(36))
    # False from a cancellation until the catalog has taken the units back (retried in the background).
    stock_returned: Mapped[bool] = mapped_column(Boolean, default=False)
    idempotency_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    lines: Mapped[list["OrderLine"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="OrderLine.position"
    )
    history: Mapped[list["OrderStatusChange"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="OrderStatusChange.id"
    )


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="ck_order_lines_quantity_positive"),)

    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[str] = mapped_column(String(36))
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    unit_price: Mapped[Decimal] = mapped_column(MONEY)
    quantity: Mapped[int] = mapped_column(Integer)
    line_total: Mapped[Decimal] = mapped_column(MONEY)


class OrderStatusChange(Base):
    __tablename__ = "order_status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(12), nullable=True)
    to_status: Mapped[str] = mapped_column(String(12))
    changed_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CartLine(Base):
    """A customer's cart is their lines; no row means an empty cart."""

    __tablename__ = "cart_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="ck_cart_lines_quantity_positive"),)

    customer_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    product_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class IdempotencyKey(Base):
    """One checkout attempt per customer and key: claimed while in progress, then its stored answer."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("customer_id", "key", name="uq_idempotency_keys_customer_key"),
        CheckConstraint("status IN ('in_progress', 'done')", name="ck_idempotency_keys_status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12))
    response_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response_body: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    order_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


outbox = outbox_table(Base.metadata)
