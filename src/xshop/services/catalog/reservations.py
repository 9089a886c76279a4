"""Stock reservations for checkout: all lines or none, never more than is available.

Correct under concurrency on SQLite and PostgreSQL without reading-then-writing stock: each line is
one conditional UPDATE that only succeeds while enough is available, rows are touched in product-id
order (no deadlocks between two reservations), and CHECK constraints keep the numbers in range.
A reservation row is always locked before the product rows it changes.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from xshop.platform.clock import Clock, utcnow
from xshop.platform.db import Database
from xshop.platform.errors import ProblemError, not_found
from xshop.services.catalog.models import Product, Reservation, ReservationLine
from xshop.services.catalog.reservation_schemas import ReservationCreate, ReservationStatus

HELD = ReservationStatus.HELD.value
SWEEP_BATCH = 500


@dataclass(frozen=True)
class ShortLine:
    product_id: str
    requested: int
    available: int

    def as_dict(self) -> dict[str, object]:
        return {"productId": self.product_id, "requested": self.requested, "available": self.available}


def insufficient_stock(lines: list[ShortLine]) -> ProblemError:
    return ProblemError(
        409,
        "INSUFFICIENT_STOCK",
        f"Not enough stock for {len(lines)} of the lines; nothing was reserved.",
        extra={"lines": [line.as_dict() for line in lines]},
    )


def not_held(reservation_id: str, status: str) -> ProblemError:
    return ProblemError(
        409,
        "RESERVATION_NOT_HELD",
        f"The reservation is {status}; only a held reservation can be confirmed.",
        extra={"reservationId": reservation_id, "status": status},
    )


class ReservationService:
    def __init__(self, db: Database, *, default_ttl: timedelta, clock: Clock = utcnow) -> None:
        self.db = db
        self.default_ttl = default_ttl
        self.clock = clock

    async def reserve(self, request: ReservationCreate) -> Reservation:
        await self.expire_due()  # expired holds stop counting before anyone is refused for them
        wanted = request.quantities()
        now = self.clock()
        ttl = timedelta(seconds=request.ttl_seconds) if request.ttl_seconds else self.default_ttl
        async with self.db.transaction() as session:
            rows = await session.execute(
                select(Product.id, Product.sku, Product.name, Product.price, Product.currency).where(
                    Product.id.in_(list(wanted))
                )
            )
            products = {row.id: row for row in rows}
            unknown = [product_id for product_id in wanted if product_id not in products]
            if unknown:
                raise ProblemError(
                    404, "NOT_FOUND", "Some products do not exist.", extra={"productIds": unknown}
                )
            short = [pid for pid, quantity in wanted.items() if not await _take(session, pid, quantity)]
            if short:
                raise insufficient_stock(await _shortfall(session, {pid: wanted[pid] for pid in short}))
            reservation = Reservation(
                id=str(uuid.uuid4()),
                status=HELD,
                created_at=now,
                expires_at=now + ttl,
                updated_at=now,
                lines=[
                    ReservationLine(
                        product_id=pid,
                        sku=products[pid].sku,
                        name=products[pid].name,
                        unit_price=products[pid].price,
                        currency=products[pid].currency,
                        quantity=quantity,
                    )
                    for pid, quantity in wanted.items()
                ],
            )
            session.add(reservation)
        return reservation

    async def get(self, reservation_id: str) -> Reservation:
        async with self.db.session() as session:
            reservation = await session.get(Reservation, reservation_id)
        if reservation is None:
            raise not_found("Reservation")
        return reservation

    async def confirm(self, reservation_id: str) -> Reservation:
        """Held units become sold (on hand and reserved both drop). Confirming twice is harmless;
        a reservation whose time is up is released and answered 409 ``RESERVATION_EXPIRED``."""
        now = self.clock()
        async with self.db.transaction() as session:
            status = await _locked_status(session, reservation_id)
            if status == HELD:
                expired = await _expires_at(session, reservation_id) <= now
                ending = ReservationStatus.EXPIRED if expired else ReservationStatus.CONFIRMED
                await _finish(session, [reservation_id], ending, now)
                status = ending.value
        if status == ReservationStatus.EXPIRED:
            raise ProblemError(
                409,
                "RESERVATION_EXPIRED",
                "The reservation expired and its stock was released.",
                extra={"reservationId": reservation_id},
            )
        if status != ReservationStatus.CONFIRMED:
            raise not_held(reservation_id, status)
        return await self.get(reservation_id)

    async def release(self, reservation_id: str) -> Reservation:
        """Held units become available again. Releasing a released or expired reservation is
        harmless; a confirmed one is sold and answers 409 ``RESERVATION_CONFIRMED``."""
        now = self.clock()
        async with self.db.transaction() as session:
            status = await _locked_status(session, reservation_id)
            if status == HELD:
                await _finish(session, [reservation_id], ReservationStatus.RELEASED, now)
                status = ReservationStatus.RELEASED.value
        if status == ReservationStatus.CONFIRMED:
            raise ProblemError(
                409,
                "RESERVATION_CONFIRMED",
                "The reservation is confirmed: its units are sold. Restock with a stock update.",
                extra={"reservationId": reservation_id},
            )
        return await self.get(reservation_id)

    async def cancel(self, reservation_id: str) -> Reservation:
        """Gives the units back, whatever became of them: a held reservation is released, a confirmed
        one's sold units go back on hand (once). Idempotent, so a caller may retry it freely."""
        now = self.clock()
        async with self.db.transaction() as session:
            status = await _locked_status(session, reservation_id)
            if status == HELD:
                await _finish(session, [reservation_id], ReservationStatus.RELEASED, now)
            elif status == ReservationStatus.CONFIRMED:
                await _restock(session, reservation_id, now)
        return await self.get(reservation_id)

    async def expire_due(self) -> int:
        """Releases held reservations whose time is up; returns how many."""
        now = self.clock()
        async with self.db.session() as session:
            due = list(
                await session.scalars(
                    select(Reservation.id)
                    .where(Reservation.status == HELD, Reservation.expires_at <= now)
                    .order_by(Reservation.id)
                    .limit(SWEEP_BATCH)
                )
            )
        if not due:
            return 0
        async with self.db.transaction() as session:
            return await _finish(session, due, ReservationStatus.EXPIRED, now)


async def _take(session: AsyncSession, product_id: str, quantity: int) -> bool:
    result = await session.execute(
        update(Product)
        .where(
            Product.id == product_id,
            Product.is_active.is_(True),
            Product.on_hand - Product.reserved >= quantity,
        )
        .values(reserved=Product.reserved + quantity)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


async def _shortfall(session: AsyncSession, wanted: dict[str, int]) -> list[ShortLine]:
    rows = await session.execute(
        select(Product.id, Product.on_hand - Product.reserved, Product.is_active).where(
            Product.id.in_(list(wanted))
        )
    )
    available = {pid: max(int(free), 0) if active else 0 for pid, free, active in rows}
    return [ShortLine(pid, quantity, available.get(pid, 0)) for pid, quantity in wanted.items()]


async def _locked_status(session: AsyncSession, reservation_id: str) -> str:
    status = await session.scalar(
        select(Reservation.status).where(Reservation.id == reservation_id).with_for_update()
    )
    if status is None:
        raise not_found("Reservation")
    return str(status)


async def _expires_at(session: AsyncSession, reservation_id: str) -> datetime:
    expires_at = await session.scalar(select(Reservation.expires_at).where(Reservation.id == reservation_id))
    assert expires_at is not None
    return expires_at


async def _finish(
    session: AsyncSession, reservation_ids: Sequence[str], ending: ReservationStatus, now: datetime
) -> int:
    """Ends the still-held reservations among ``reservation_ids`` and gives their units back (or,
    when confirming, takes them out of stock); returns how many it ended."""
    held = list(
        await session.scalars(
            select(Reservation.id)
            .where(Reservation.id.in_(list(reservation_ids)), Reservation.status == HELD)
            .order_by(Reservation.id)
            .with_for_update()
        )
    )
    if not held:
        return 0
    await session.execute(
        update(Reservation)
        .where(Reservation.id.in_(held))
        .values(status=ending.value, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    totals = await session.execute(
        select(ReservationLine.product_id, func.sum(ReservationLine.quantity))
        .where(ReservationLine.reservation_id.in_(held))
        .group_by(ReservationLine.product_id)
        .order_by(ReservationLine.product_id)
    )
    sold = ending is ReservationStatus.CONFIRMED
    for product_id, quantity in totals:
        values = {"reserved": Product.reserved - quantity}
        if sold:
            values["on_hand"] = Product.on_hand - quantity
        await session.execute(
            update(Product)
            .where(Product.id == product_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    return len(held)


async def _restock(session: AsyncSession, reservation_id: str, now: datetime) -> None:
    marked = await session.execute(
        update(Reservation)
        .where(Reservation.id == reservation_id, Reservation.returned_at.is_(None))
        .values(returned_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if _rowcount(marked) != 1:
        return  # returned already
    lines = await session.execute(
        select(ReservationLine.product_id, ReservationLine.quantity)
        .where(ReservationLine.reservation_id == reservation_id)
        .order_by(ReservationLine.product_id)
    )
    for product_id, quantity in lines:
        await session.execute(
            update(Product)
            .where(Product.id == product_id)
            .values(on_hand=Product.on_hand + quantity)
            .execution_options(synchronize_session=False)
        )


def _rowcount(result: object) -> int:
    return int(result.rowcount) if isinstance(result, CursorResult) else 0
