"""Order status changes along explicit transitions (DESIGN §8). Cancelling gives the stock back:
the status change and its event commit first (so a concurrent change cannot slip in between), then
the catalog takes the units back; until it has, the order is marked and ``StockReturner`` retries."""

import logging

from sqlalchemy import select, update

from xshop.contracts.events import OrderStatusChanged
from xshop.platform.clock import Clock
from xshop.platform.context import ensure_correlation_id
from xshop.platform.db import Database
from xshop.platform.errors import ProblemError, not_found
from xshop.platform.events.outbox import Outbox
from xshop.services.orders.clients import CatalogClient
from xshop.services.orders.models import Order, OrderStatusChange
from xshop.services.orders.schemas import OrderStatus

log = logging.getLogger("xshop.orders")
S = OrderStatus
ALLOWED: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.CREATED: frozenset({S.CONFIRMED, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.SHIPPED, S.CANCELLED}),
    S.SHIPPED: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset(),
    S.CANCELLED: frozenset(),
}


def invalid_transition(current: OrderStatus, wanted: OrderStatus) -> ProblemError:
    allowed = sorted(s.value for s in ALLOWED[current])
    return ProblemError(
        409,
        "INVALID_TRANSITION",
        f"An order that is {current.value} cannot become {wanted.value}.",
        extra={"currentStatus": current.value, "allowed": allowed},
    )


class StatusChanges:
    def __init__(self, db: Database, outbox: Outbox, catalog: CatalogClient, clock: Clock) -> None:
        self.db = db
        self.outbox = outbox
        self.catalog = catalog
        self.clock = clock

    async def change(
        self,
        order_id: str,
        wanted: OrderStatus,
        *,
        actor: str,
        reason: str | None = None,
        owner: str | None = None,
    ) -> Order:
        """``owner``: only that customer's order (anyone else's is 404)."""
        now = self.clock()
        async with self.db.transaction() as session:
            order = await session.scalar(select(Order).where(Order.id == order_id).with_for_update())
            if order is None or (owner is not None and order.customer_id != owner):
                raise not_found("Order")
            current = OrderStatus(order.status)
            if wanted not in ALLOWED[current]:
                raise invalid_transition(current, wanted)
            order.status, order.updated_at = wanted.value, now
            order.history.append(
                OrderStatusChange(
                    from_status=current.value,
                    to_status=wanted.value,
                    changed_by=actor,
                    reason=reason,
                    changed_at=now,
                )
            )
            await self.outbox.add(session, _changed(order, current, wanted, actor, reason))
        if wanted is S.CANCELLED:
            await self.return_stock(order.id, order.reservation_id)
        return await self._reload(order.id)

    async def return_stock(self, order_id: str, reservation_id: str) -> bool:
        try:
            await self.catalog.cancel(reservation_id)
        except ProblemError:
            log.warning("catalog did not take back the stock of order %s yet; will retry", order_id)
            return False
        async with self.db.transaction() as session:
            await session.execute(
                update(Order)
                .where(Order.id == order_id)
                .values(stock_returned=True)
                .execution_options(synchronize_session=False)
            )
        return True

    async def pending_returns(self, limit: int = 100) -> list[tuple[str, str]]:
        async with self.db.session() as session:
            rows = await session.execute(
                select(Order.id, Order.reservation_id)
                .where(Order.status == S.CANCELLED.value, Order.stock_returned.is_(False))
                .order_by(Order.updated_at)
                .limit(limit)
            )
            return [(order_id, reservation_id) for order_id, reservation_id in rows]

    async def _reload(self, order_id: str) -> Order:
        async with self.db.session() as session:
            order = await session.get(Order, order_id)
        assert order is not None
        return order


def _changed(
    order: Order, old: OrderStatus, new: OrderStatus, actor: str, reason: str | None
) -> OrderStatusChanged:
    now = order.updated_at
    return OrderStatusChanged(
        order_id=order.id,
        order_number=order.order_number,
        customer_id=order.customer_id,
        customer_email=order.customer_email,
        customer_name=order.customer_name,
        old_status=old.value,
        new_status=new.value,
        reason=reason,
        changed_by=actor,
        changed_at=now,
        user_id=actor,
        correlation_id=ensure_correlation_id(),
        timestamp=now,
    )
