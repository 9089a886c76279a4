"""Checkout: from a cart (or explicit lines) to a placed order.

Steps, each undone if a later one fails: claim the idempotency key; reserve every line at the
catalog (all or nothing; prices and names come from there); confirm the reservation, so the units
are sold; save the order with its lines, its ``order.placed`` event, the stored answer for the key
and the emptied cart, in one transaction. A failure after reserving cancels the reservation (held
units released, sold ones put back) and drops the key's claim. Should the process die between
reserving and confirming, the hold expires at the catalog; between confirming and saving, units
stay sold without an order: stock is under-counted, never oversold.
"""

import logging
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from xshop.contracts.events import OrderPlaced
from xshop.platform.clock import Clock
from xshop.platform.context import ensure_correlation_id
from xshop.platform.db import Database
from xshop.platform.errors import ProblemError
from xshop.platform.events.outbox import Outbox
from xshop.platform.security.tokens import AccessClaims
from xshop.services.orders.clients import CatalogClient, Customer, Reservation, UsersClient
from xshop.services.orders.idempotency import IdempotencyKeys, StoredAnswer, request_hash
from xshop.services.orders.models import CartLine, Order, OrderLine, OrderStatusChange
from xshop.services.orders.pricing import PricingRules, line_total, totals
from xshop.services.orders.schemas import CheckoutRequest, OrderPublic, OrderStatus

log = logging.getLogger("xshop.orders")
CREATED = 201


@dataclass(frozen=True)
class CheckoutResult:
    status: int
    body: dict[str, Any]
    replayed: bool


class CheckoutService:
    def __init__(
        self,
        db: Database,
        outbox: Outbox,
        users: UsersClient,
        catalog: CatalogClient,
        pricing: PricingRules,
        clock: Clock,
    ) -> None:
        self.db = db
        self.outbox = outbox
        self.users = users
        self.catalog = catalog
        self.pricing = pricing
        self.clock = clock
        self.keys = IdempotencyKeys(db, clock)

    async def place(self, principal: AccessClaims, key: str, request: CheckoutRequest) -> CheckoutResult:
        customer = await self._verified_customer(principal.user_id)
        stored = await self.keys.claim(customer.id, key, request_hash(request.fingerprint_source()))
        if stored is not None:
            return _replay(stored)
        try:
            wanted = await self._wanted(customer.id, request)
            reservation = await self.catalog.reserve(wanted)
        except BaseException:
            await self.keys.release(customer.id, key)
            raise
        try:
            await self.catalog.confirm(reservation.id)
            body = await self._save(customer, key, request, reservation, from_cart=request.lines is None)
        except BaseException:
            await self._undo(customer.id, key, reservation.id)
            raise
        return CheckoutResult(CREATED, body, replayed=False)

    async def _verified_customer(self, user_id: str) -> Customer:
        customer = await self.users.get(user_id)
        if customer is None:
            raise ProblemError(401, "UNAUTHENTICATED", "The account no longer exists.")
        if not customer.is_active:
            raise ProblemError(403, "ACCOUNT_DISABLED", "This account is disabled.")
        if not customer.is_email_verified:
            raise ProblemError(
                403, "EMAIL_NOT_VERIFIED", "Verify your email address before placing an order."
            )
        return customer

    async def _wanted(self, customer_id: str, request: CheckoutRequest) -> dict[str, int]:
        merged: dict[str, int] = {}
        if request.lines is not None:
            for line in request.lines:
                merged[line.product_id] = merged.get(line.product_id, 0) + line.quantity
            return merged
        async with self.db.session() as session:
            rows = await session.execute(
                select(CartLine.product_id, CartLine.quantity)
                .where(CartLine.customer_id == customer_id)
                .order_by(CartLine.added_at, CartLine.product_id)
            )
            merged = {pid: quantity for pid, quantity in rows}
        if not merged:
            raise ProblemError(400, "CART_EMPTY", "The cart is empty: add products or send `lines`.")
        return merged

    async def _save(
        self,
        customer: Customer,
        key: str,
        request: CheckoutRequest,
        reservation: Reservation,
        *,
        from_cart: bool,
    ) -> dict[str, Any]:
        currencies = {line.currency for line in reservation.lines}
        if len(currencies) != 1:
            raise ProblemError(409, "MIXED_CURRENCIES", "All lines of an order must share one currency.")
        now = self.clock()
        lines = [
            OrderLine(
                position=position,
                product_id=line.product_id,
                sku=line.sku,
                name=line.name,
                unit_price=line.unit_price,
                quantity=line.quantity,
                line_total=line_total(line.unit_price, line.quantity),
            )
            for position, line in enumerate(reservation.lines, start=1)
        ]
        sums = totals([line.line_total for line in lines], self.pricing)
        order = Order(
            id=str(uuid.uuid4()),
            order_number=f"ORD-{now:%Y%m%d}-{secrets.token_hex(4).upper()}",
            customer_id=customer.id,
            customer_email=customer.email,
            customer_name=customer.name,
            status=OrderStatus.CREATED.value,
            currency=currencies.pop(),
            subtotal=sums.subtotal,
            tax=sums.tax,
            shipping=sums.shipping,
            total=sums.total,
            shipping_address=request.shipping_address.model_dump(mode="json", by_alias=True),
            reservation_id=reservation.id,
            stock_returned=False,
            idempotency_key=key,
            created_at=now,
            updated_at=now,
            lines=lines,
            history=[
                OrderStatusChange(
                    from_status=None,
                    to_status=OrderStatus.CREATED.value,
                    changed_by=customer.id,
                    reason=None,
                    changed_at=now,
                )
            ],
        )
        body = OrderPublic.of(order).model_dump(mode="json", by_alias=True)
        async with self.db.transaction() as session:
            session.add(order)
            await self.outbox.add(session, _placed(order, body))
            await self.keys.complete(session, customer.id, key, status=CREATED, body=body, order_id=order.id)
            if from_cart:
                await session.execute(delete(CartLine).where(CartLine.customer_id == customer.id))
        return body

    async def _undo(self, customer_id: str, key: str, reservation_id: str) -> None:
        try:
            await self.catalog.cancel(reservation_id)
        except Exception:  # the hold still expires on its own; a sold one stays sold (see module doc)
            log.warning("could not cancel reservation %s after a failed checkout", reservation_id)
        await self.keys.release(customer_id, key)


def _replay(stored: StoredAnswer) -> CheckoutResult:
    return CheckoutResult(stored.status, stored.body, replayed=True)


def _placed(order: Order, body: dict[str, Any]) -> OrderPlaced:
    return OrderPlaced(
        order_id=order.id,
        order_number=order.order_number,
        customer_id=order.customer_id,
        customer_email=order.customer_email,
        customer_name=order.customer_name,
        lines=body["lines"],
        currency=order.currency,
        subtotal=order.subtotal,
        tax=order.tax,
        shipping=order.shipping,
        total=order.total,
        shipping_address=order.shipping_address,
        placed_at=order.created_at,
        user_id=order.customer_id,
        correlation_id=ensure_correlation_id(),
        timestamp=order.created_at,
    )
