"""Server-side carts: a signed-in customer's product quantities, shown at the catalog's current
prices and availability. Only products on sale can be added; stock is checked at checkout."""

import asyncio
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from xshop.platform.clock import Clock
from xshop.platform.db import Database
from xshop.platform.errors import ProblemError
from xshop.services.orders.clients import CatalogClient
from xshop.services.orders.models import CartLine
from xshop.services.orders.pricing import line_total, to_cents
from xshop.services.orders.schemas import MAX_LINES, CartLinePublic, CartPublic

UNAVAILABLE = "unavailable"


class CartService:
    def __init__(self, db: Database, catalog: CatalogClient, clock: Clock) -> None:
        self.db = db
        self.catalog = catalog
        self.clock = clock

    async def show(self, customer_id: str) -> CartPublic:
        async with self.db.session() as session:
            rows = list(
                await session.scalars(
                    select(CartLine)
                    .where(CartLine.customer_id == customer_id)
                    .order_by(CartLine.added_at, CartLine.product_id)
                )
            )
        products = await asyncio.gather(*(self.catalog.product(row.product_id) for row in rows))
        lines = [_line(row, product) for row, product in zip(rows, products, strict=True)]
        priced = [line for line in lines if line.line_total is not None]
        currencies = {line.currency for line in priced}
        return CartPublic(
            lines=lines,
            item_count=sum(line.quantity for line in lines),
            subtotal=to_cents(sum((line.line_total or Decimal(0) for line in priced), Decimal(0))),
            currency=currencies.pop() if len(currencies) == 1 else None,
        )

    async def set_quantity(self, customer_id: str, product_id: str, quantity: int) -> CartPublic:
        """``quantity`` 0 removes the line; otherwise the product must be on sale."""
        if quantity == 0:
            async with self.db.transaction() as session:
                await session.execute(
                    delete(CartLine).where(
                        CartLine.customer_id == customer_id, CartLine.product_id == product_id
                    )
                )
            return await self.show(customer_id)
        if await self.catalog.product(product_id) is None:
            raise ProblemError(404, "PRODUCT_NOT_FOUND", "No product on sale has this id.")
        try:
            await self._store(customer_id, product_id, quantity)
        except IntegrityError:  # the same product added concurrently (PostgreSQL): now it is there
            await self._store(customer_id, product_id, quantity)
        return await self.show(customer_id)

    async def _store(self, customer_id: str, product_id: str, quantity: int) -> None:
        now = self.clock()
        async with self.db.transaction() as session:
            line = await session.get(CartLine, (customer_id, product_id))
            if line is not None:
                line.quantity, line.updated_at = quantity, now
            else:
                count = await session.scalar(
                    select(func.count()).select_from(CartLine).where(CartLine.customer_id == customer_id)
                )
                if int(count or 0) >= MAX_LINES:
                    raise ProblemError(409, "CART_FULL", f"A cart holds at most {MAX_LINES} products.")
                session.add(
                    CartLine(
                        customer_id=customer_id,
                        product_id=product_id,
                        quantity=quantity,
                        added_at=now,
                        updated_at=now,
                    )
                )

    async def clear(self, customer_id: str) -> None:
        async with self.db.transaction() as session:
            await session.execute(delete(CartLine).where(CartLine.customer_id == customer_id))


def _line(row: CartLine, product: dict[str, Any] | None) -> CartLinePublic:
    if product is None:
        return CartLinePublic(
            product_id=row.product_id,
            quantity=row.quantity,
            sku=None,
            name=None,
            unit_price=None,
            currency=None,
            line_total=None,
            available=0,
            stock_status=UNAVAILABLE,
        )
    price = Decimal(str(product["price"]))
    return CartLinePublic(
        product_id=row.product_id,
        quantity=row.quantity,
        sku=product["sku"],
        name=product["name"],
        unit_price=price,
        currency=product["currency"],
        line_total=line_total(price, row.quantity),
        available=int(product["stock"]["available"]),
        stock_status=str(product["stock"]["status"]),
    )
