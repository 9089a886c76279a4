"""Tables of the catalog service only: products with their stock and tags, and stock reservations."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from xshop.platform.events.outbox import outbox_table
from xshop.platform.types import UtcDateTime
from xshop.services.catalog.stock import StockStatus, stock_status

PRICE = Numeric(12, 2)


class Base(DeclarativeBase):
    pass


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price >= 0", name="ck_products_price_not_negative"),
        CheckConstraint("on_hand >= 0", name="ck_products_on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="ck_products_reserved_not_negative"),
        CheckConstraint("reserved <= on_hand", name="ck_products_reserved_within_on_hand"),
        CheckConstraint("low_stock_threshold >= 0", name="ck_products_threshold_not_negative"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    # Case-folded copies searched with LIKE: the same Unicode-aware case-insensitive match on
    # SQLite (whose lower() folds ASCII only) and PostgreSQL.
    name_folded: Mapped[str] = mapped_column(Text, index=True)
    description_folded: Mapped[str] = mapped_column(Text)
    price: Mapped[Decimal] = mapped_column(PRICE, index=True)
    currency: Mapped[str] = mapped_column(String(3))
    category: Mapped[str] = mapped_column(String(50), index=True)
    image_urls: Mapped[list[str]] = mapped_column(JSON)
    is_active: Mapped[bool] = mapped_column(Boolean, index=True)
    on_hand: Mapped[int] = mapped_column(Integer)
    reserved: Mapped[int] = mapped_column(Integer)
    low_stock_threshold: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    tags: Mapped[list["ProductTag"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ProductTag.tag"
    )

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    @property
    def stock_status(self) -> StockStatus:
        return stock_status(self.available, self.low_stock_threshold)

    @property
    def tag_names(self) -> list[str]:
        return [tag.tag for tag in self.tags]


class ProductTag(Base):
    """One row per tag, so "any of these tags" is an indexed lookup on every database."""

    __tablename__ = "product_tags"

    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(30), primary_key=True, index=True)


class Reservation(Base):
    __tablename__ = "reservations"
    __table_args__ = (
        CheckConstraint(
            "status IN ('held', 'confirmed', 'released', 'expired')", name="ck_reservations_status"
        ),
        Index("ix_reservations_status_expires_at", "status", "expires_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Set when the units of a confirmed (sold) reservation went back on hand: its order was cancelled.
    returned_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    lines: Mapped[list["ReservationLine"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ReservationLine.product_id"
    )


class ReservationLine(Base):
    """A reserved quantity with the product as it was sold: the price is the catalog's, at that time."""

    __tablename__ = "reservation_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="ck_reservation_lines_quantity_positive"),)

    reservation_id: Mapped[str] = mapped_column(
        ForeignKey("reservations.id", ondelete="CASCADE"), primary_key=True
    )
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), primary_key=True, index=True)
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    unit_price: Mapped[Decimal] = mapped_column(PRICE)
    currency: Mapped[str] = mapped_column(String(3))
    quantity: Mapped[int] = mapped_column(Integer)


outbox = outbox_table(Base.metadata)
