"""The product search of the browse pages: filters and sorts as one SQL statement, the same on
SQLite and PostgreSQL. Every order ends with the id, so equal sort keys page stably."""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, case, or_, select

from xshop.services.catalog.models import Product, ProductTag


class Sort(StrEnum):
    RELEVANCE = "relevance"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    NAME = "name"
    NEWEST = "newest"
    STOCK_ASC = "stock_asc"


@dataclass(frozen=True)
class BrowseQuery:
    """A validated search. ``q`` is already case-folded; ``in_stock=False`` asks for sold-out items;
    ``low_stock`` (admins only) for items at or under their threshold, sold-out ones included."""

    q: str | None = None
    category: str | None = None
    tags: tuple[str, ...] = ()
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool | None = None
    sort: Sort = Sort.RELEVANCE
    include_inactive: bool = False
    low_stock: bool = False


def browse_statement(query: BrowseQuery) -> Select[tuple[Product]]:
    return select(Product).where(*_conditions(query)).order_by(*_order(query), Product.id)


def _name_hit(q: str) -> ColumnElement[bool]:
    return Product.name_folded.contains(q, autoescape=True)


def _conditions(query: BrowseQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if not query.include_inactive:
        conditions.append(Product.is_active.is_(True))
    if query.q:
        conditions.append(
            or_(_name_hit(query.q), Product.description_folded.contains(query.q, autoescape=True))
        )
    if query.category:
        conditions.append(Product.category == query.category)
    if query.tags:
        tagged = select(ProductTag.product_id).where(ProductTag.tag.in_(query.tags))
        conditions.append(Product.id.in_(tagged))
    if query.min_price is not None:
        conditions.append(Product.price >= query.min_price)
    if query.max_price is not None:
        conditions.append(Product.price <= query.max_price)
    available = Product.on_hand - Product.reserved
    if query.in_stock is True:
        conditions.append(available > 0)
    elif query.in_stock is False:
        conditions.append(available <= 0)
    if query.low_stock:
        conditions.append(available <= Product.low_stock_threshold)
    return conditions


def _order(query: BrowseQuery) -> list[Any]:
    match query.sort:
        case Sort.PRICE_ASC:
            return [Product.price.asc()]
        case Sort.PRICE_DESC:
            return [Product.price.desc()]
        case Sort.NAME:
            return [Product.name_folded.asc()]
        case Sort.NEWEST:
            return [Product.created_at.desc()]
        case Sort.STOCK_ASC:
            return [(Product.on_hand - Product.reserved).asc(), Product.name_folded.asc()]
        case Sort.RELEVANCE if query.q:
            # A match in the name ranks above a match in the description only.
            return [case((_name_hit(query.q), 0), else_=1), Product.name_folded.asc()]
        case _:
            return [Product.name_folded.asc()]
