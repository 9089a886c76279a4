"""Idempotency keys of checkout (DESIGN §8): one attempt per customer and key.

A key is claimed (row ``in_progress``) in its own transaction before any stock is reserved, so a
concurrent duplicate finds the claim and is told to wait (409). The checkout's own transaction
stores the answer with the order (``done``); a failed attempt drops its claim so the client can retry.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from xshop.platform.clock import Clock
from xshop.platform.db import Database
from xshop.platform.errors import ProblemError
from xshop.services.orders.models import IdempotencyKey

IN_PROGRESS = "in_progress"
DONE = "done"


def request_hash(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    body: dict[str, Any]


class IdempotencyKeys:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def claim(self, customer_id: str, key: str, fingerprint: str) -> StoredAnswer | None:
        """None: the key is now this attempt's. Otherwise the answer already given for it."""
        try:
            async with self.db.transaction() as session:
                session.add(
                    IdempotencyKey(
                        customer_id=customer_id,
                        key=key,
                        request_hash=fingerprint,
                        status=IN_PROGRESS,
                        created_at=self.clock(),
                    )
                )
            return None
        except IntegrityError:
            pass
        async with self.db.session() as session:
            row = await session.scalar(
                select(IdempotencyKey).where(
                    IdempotencyKey.customer_id == customer_id, IdempotencyKey.key == key
                )
            )
        if row is None:  # the other attempt failed and dropped its claim meanwhile
            return await self.claim(customer_id, key, fingerprint)
        if row.request_hash != fingerprint:
            raise ProblemError(
                422,
                "IDEMPOTENCY_KEY_REUSED",
                "This Idempotency-Key was used for a different request; use a new key.",
            )
        if row.status != DONE or row.response_body is None or row.response_status is None:
            raise ProblemError(
                409,
                "REQUEST_IN_PROGRESS",
                "A request with this Idempotency-Key is still being processed; retry shortly.",
                headers={"Retry-After": "1"},
            )
        return StoredAnswer(row.response_status, row.response_body)

    async def complete(
        self,
        session: AsyncSession,
        customer_id: str,
        key: str,
        *,
        status: int,
        body: dict[str, Any],
        order_id: str,
    ) -> None:
        """In the checkout's transaction: the answer is stored with the order or not at all."""
        await session.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.customer_id == customer_id, IdempotencyKey.key == key)
            .values(status=DONE, response_status=status, response_body=body, order_id=order_id)
            .execution_options(synchronize_session=False)
        )

    async def release(self, customer_id: str, key: str) -> None:
        async with self.db.transaction() as session:
            await session.execute(
                delete(IdempotencyKey).where(
                    IdempotencyKey.customer_id == customer_id,
                    IdempotencyKey.key == key,
                    IdempotencyKey.status == IN_PROGRESS,
                )
            )
