"""Helpers of the audit tests: event factory, deadline polling, and the harness the fixture yields."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx
from sqlalchemy import func, select

from xshop.platform.events.envelope import CloudEvent
from xshop.platform.events.inprocess_bus import InProcessBus, messages_table
from xshop.platform.service_unit import ServiceUnit
from xshop.services.audit.app import QUEUE

T = TypeVar("T")


async def eventually(check: Callable[[], Awaitable[T]], *, within: float = 5.0) -> T:
    """Poll ``check`` until it returns something truthy or the deadline passes."""
    deadline = time.monotonic() + within
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {within}s; last result: {result!r}")
        await asyncio.sleep(0.02)


def event(
    type_: str,
    data: dict[str, Any],
    *,
    at: datetime | None = None,
    correlationid: str | None = None,
    source: str = "tests",
) -> CloudEvent:
    return CloudEvent(
        type=type_,
        source=source,
        data=data,
        correlationid=correlationid,
        time=at or datetime.now(UTC),
    )


@dataclass
class AuditHarness:
    unit: ServiceUnit
    bus: InProcessBus
    client: httpx.AsyncClient
    admin: dict[str, str]
    customer: dict[str, str]

    async def publish(self, *events: CloudEvent) -> None:
        await self.bus.publish(list(events))

    async def search(self, **params: Any) -> dict[str, Any]:
        response = await self.client.get("/api/audit/logs", params=params, headers=self.admin)
        assert response.status_code == 200, response.text
        return response.json()

    async def wait_for(self, count: int, **params: Any) -> list[dict[str, Any]]:
        """The matching entries once at least ``count`` are recorded."""

        async def enough() -> list[dict[str, Any]]:
            page = await self.search(pageSize=100, **params)
            return page["items"] if page["totalItems"] >= count else []

        return await eventually(enough)

    async def drained(self) -> None:
        """Wait until the audit queue holds no message: every delivery so far has been handled."""

        async def empty() -> bool:
            async with self.bus.db.session() as session:
                left = await session.scalar(
                    select(func.count()).select_from(messages_table).where(messages_table.c.queue == QUEUE)
                )
            return left == 0

        await eventually(empty)
