"""A service as the runtimes see it: its app, database, migrations, relay and subscriptions.

Each service's ``app.build()`` returns one; a composition root (embedded or distributed) starts it.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import httpx
from fastapi import FastAPI
from sqlalchemy import Table

from xshop.platform.db import Database
from xshop.platform.events.bus import EventBus, Handler, Subscription
from xshop.platform.events.envelope import CloudEvent
from xshop.platform.events.inbox import in_event_context
from xshop.platform.events.outbox import Outbox
from xshop.platform.events.relay import OutboxRelay
from xshop.platform.http.app import create_service_app
from xshop.platform.metrics import ServiceMetrics
from xshop.platform.security.tokens import JwtCodec
from xshop.platform.settings import Settings

Connect = Callable[[str], httpx.AsyncClient]
"""Gives an HTTP client for another service by name (in-process transport or the network)."""


class Background(Protocol):
    """Work a service runs beside its requests (a periodic sweeper, say). Runtimes start it after the
    outbox relays and stop it before them; ``stop`` waits for the work in progress and may be repeated."""

    def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass
class ServiceUnit:
    name: str
    app: FastAPI
    metrics: ServiceMetrics
    db: Database | None = None
    migrations: Path | None = None
    outbox: Outbox | None = None
    relay: OutboxRelay | None = None
    subscriptions: list[Subscription] = field(default_factory=list)
    background: list[Background] = field(default_factory=list)
    on_close: list[Callable[[], Awaitable[None] | None]] = field(default_factory=list)

    @property
    def database(self) -> Database:
        if self.db is None:
            raise RuntimeError(f"the {self.name} service has no database")
        return self.db

    @property
    def events(self) -> Outbox:
        if self.outbox is None:
            raise RuntimeError(f"the {self.name} service has no outbox")
        return self.outbox

    def consume(
        self, queue: str, bindings: tuple[str, ...], handler: Handler, *, broadcast: bool = False
    ) -> None:
        """Subscribe ``handler``; it runs with the event's correlation id and is counted in metrics.
        ``broadcast``: every replica of the service gets every event, best effort (see ``bus``)."""
        counter = self.metrics.events_handled

        async def counted(event: CloudEvent) -> None:
            try:
                await handler(event)
            except Exception:
                counter.labels(event.type, "failed").inc()
                raise
            counter.labels(event.type, "ok").inc()

        handle = in_event_context(self.name, counted)
        self.subscriptions.append(Subscription(queue, bindings, handle, broadcast=broadcast))

    async def close(self) -> None:
        for task in self.background:
            await task.stop()
        if self.relay is not None:
            await self.relay.stop()
        for closer in self.on_close:
            result = closer()
            if result is not None:
                await result
        if self.db is not None:
            await self.db.dispose()


def build_unit(
    name: str,
    settings: Settings,
    bus: EventBus,
    *,
    title: str,
    description: str,
    migrations: Path | None = None,
    outbox_table: Table | None = None,
    cors: bool = False,
) -> ServiceUnit:
    """The parts every service shares: app with defaults, database, outbox relay, JWT verification."""
    metrics = ServiceMetrics(name)
    db = Database(settings.database_url_of(name), schema=name) if migrations is not None else None
    readiness = {"database": db.ping, "broker": bus.ping} if db is not None else {}
    app = create_service_app(
        service=name,
        title=title,
        description=description,
        metrics=metrics,
        readiness=readiness,
        max_body_bytes=settings.max_body_bytes,
        cors_origins=settings.cors_origins if cors else None,
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )
    app.state.jwt = JwtCodec(settings.resolved_jwt_secret(), settings.jwt_issuer, settings.jwt_audience)
    app.state.settings = settings
    unit = ServiceUnit(name=name, app=app, metrics=metrics, db=db, migrations=migrations)
    if db is not None and outbox_table is not None:
        unit.outbox = Outbox(outbox_table, name)
        unit.relay = OutboxRelay(
            db,
            unit.outbox,
            bus,
            metrics,
            batch_size=settings.relay_batch_size,
            poll_seconds=settings.relay_poll_seconds,
        )
    return unit
