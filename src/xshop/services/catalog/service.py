"""Use cases of the product catalogue. Each owns its transaction and writes its events to the outbox."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from xshop.contracts.events import InventoryStockUpdated, ProductCreated, ProductUpdated
from xshop.platform.clock import Clock, utcnow
from xshop.platform.context import ensure_correlation_id
from xshop.platform.db import Database
from xshop.platform.errors import FieldError, ProblemError, not_found, validation_failed
from xshop.platform.events.outbox import Outbox
from xshop.platform.pagination import PageParams, fetch_page
from xshop.services.catalog.browse import BrowseQuery, browse_statement
from xshop.services.catalog.models import Product, ProductTag
from xshop.services.catalog.schemas import MAX_QUANTITY, ProductCreate, ProductUpdate, StockUpdate


def sku_exists() -> ProblemError:
    return ProblemError(409, "SKU_EXISTS", "Another product already has this SKU.")


class CatalogService:
    def __init__(self, db: Database, outbox: Outbox, clock: Clock = utcnow) -> None:
        self.db = db
        self.outbox = outbox
        self.clock = clock

    async def browse(self, query: BrowseQuery, page: PageParams) -> tuple[list[Product], int]:
        async with self.db.session() as session:
            return await fetch_page(session, browse_statement(query), page)

    async def get(self, product_id: str, *, include_inactive: bool = False) -> Product:
        async with self.db.session() as session:
            product = await session.get(Product, product_id)
        if product is None or not (product.is_active or include_inactive):
            raise not_found("Product")
        return product

    async def categories(self) -> list[tuple[str, int]]:
        """Categories with their number of active products, by name."""
        statement = (
            select(Product.category, func.count())
            .where(Product.is_active.is_(True))
            .group_by(Product.category)
            .order_by(Product.category)
        )
        async with self.db.session() as session:
            return [(category, int(count)) for category, count in await session.execute(statement)]

    async def create(self, data: ProductCreate, admin_id: str | None) -> Product:
        try:
            async with self.db.transaction() as session:
                if await _sku_taken(session, data.sku):
                    raise sku_exists()
                product = await self._add(session, data, admin_id)
        except IntegrityError as exc:
            raise sku_exists() from exc
        return product

    async def import_products(self, items: Sequence[ProductCreate]) -> int:
        """Adds the products whose SKU is not in the catalogue yet (demo data); returns how many."""
        async with self.db.transaction() as session:
            taken = set(
                await session.scalars(select(Product.sku).where(Product.sku.in_([i.sku for i in items])))
            )
            added = 0
            for item in items:
                if item.sku not in taken:
                    taken.add(item.sku)
                    await self._add(session, item, None)
                    added += 1
        return added

    async def update(self, product_id: str, data: ProductUpdate, admin_id: str) -> Product:
        try:
            async with self.db.transaction() as session:
                product = await _locked(session, product_id)
                wanted = data.changes()
                if (
                    "sku" in wanted
                    and wanted["sku"] != product.sku
                    and await _sku_taken(session, wanted["sku"])
                ):
                    raise sku_exists()
                changes = _apply(product, wanted)
                if changes:
                    product.updated_at = self.clock()
                    await session.flush()
                    await self.outbox.add(session, self._updated(product, changes, admin_id))
        except IntegrityError as exc:
            raise sku_exists() from exc
        return await self.get(product_id, include_inactive=True)

    async def deactivate(self, product_id: str, admin_id: str) -> Product:
        """Idempotent: an inactive product stays as it is and publishes nothing."""
        return await self.update(product_id, ProductUpdate(is_active=False), admin_id)

    async def update_stock(self, product_id: str, change: StockUpdate, admin_id: str) -> Product:
        async with self.db.transaction() as session:
            product = await _locked(session, product_id)
            old = product.on_hand
            new = change.on_hand if change.on_hand is not None else old + (change.delta or 0)
            if new > MAX_QUANTITY:
                raise validation_failed(
                    [FieldError("delta", "too_large", f"Stock may not exceed {MAX_QUANTITY} units.")]
                )
            if new < product.reserved:
                raise ProblemError(
                    409,
                    "STOCK_BELOW_RESERVED",
                    f"Stock cannot go below the {product.reserved} units reserved for orders.",
                    extra={"onHand": old, "reserved": product.reserved, "requestedOnHand": new},
                )
            now = self.clock()
            product.on_hand = new
            product.updated_at = now
            await self.outbox.add(
                session,
                InventoryStockUpdated(
                    product_id=product.id,
                    sku=product.sku,
                    old_on_hand=old,
                    new_on_hand=new,
                    delta=new - old,
                    reserved=product.reserved,
                    reason=change.reason,
                    admin_id=admin_id,
                    user_id=admin_id,
                    correlation_id=ensure_correlation_id(),
                    timestamp=now,
                ),
            )
        return await self.get(product_id, include_inactive=True)

    async def _add(self, session: AsyncSession, data: ProductCreate, admin_id: str | None) -> Product:
        now = self.clock()
        product = Product(
            id=str(uuid.uuid4()),
            sku=data.sku,
            name=data.name,
            description=data.description,
            name_folded=data.name.casefold(),
            description_folded=data.description.casefold(),
            price=data.price,
            currency=data.currency,
            category=data.category,
            image_urls=list(data.image_urls),
            is_active=data.is_active,
            on_hand=data.on_hand,
            reserved=0,
            low_stock_threshold=data.low_stock_threshold,
            created_at=now,
            updated_at=now,
            tags=[ProductTag(tag=tag) for tag in data.tags],
        )
        session.add(product)
        await session.flush()
        await self.outbox.add(
            session,
            ProductCreated(
                product_id=product.id,
                sku=product.sku,
                name=product.name,
                price=product.price,
                currency=product.currency,
                category=product.category,
                tags=list(data.tags),
                is_active=product.is_active,
                on_hand=product.on_hand,
                admin_id=admin_id,
                user_id=admin_id,
                correlation_id=ensure_correlation_id(),
                timestamp=now,
            ),
        )
        return product

    def _updated(self, product: Product, changes: dict[str, dict[str, Any]], admin_id: str) -> ProductUpdated:
        return ProductUpdated(
            product_id=product.id,
            sku=product.sku,
            changes=changes,
            is_active=product.is_active,
            admin_id=admin_id,
            user_id=admin_id,
            correlation_id=ensure_correlation_id(),
            timestamp=product.updated_at,
        )


async def _sku_taken(session: AsyncSession, sku: str) -> bool:
    return await session.scalar(select(Product.id).where(Product.sku == sku)) is not None


async def _locked(session: AsyncSession, product_id: str) -> Product:
    product = await session.get(Product, product_id, with_for_update=True)
    if product is None:
        raise not_found("Product")
    return product


def _apply(product: Product, wanted: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Sets the wanted values; returns ``{camelCaseField: {old, new}}`` for those that differ."""
    changes: dict[str, dict[str, Any]] = {}
    for name, new in wanted.items():
        old = product.tag_names if name == "tags" else getattr(product, name)
        if old == new:
            continue
        changes[_camel(name)] = {"old": _plain(old), "new": _plain(new)}
        if name == "tags":
            # Tags kept stay the same rows: re-adding one would clash with its own primary key.
            product.tags = [t for t in product.tags if t.tag in new] + [
                ProductTag(tag=tag) for tag in new if tag not in old
            ]
        else:
            setattr(product, name, new)
        if name in ("name", "description"):
            setattr(product, f"{name}_folded", new.casefold())
    return changes


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.isoformat()
    return list(value) if isinstance(value, list) else value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
