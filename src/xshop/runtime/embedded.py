"""The embedded runtime: every service in one process and one event loop, SQLite files, the
in-process bus and the built-in mail catcher. Service-to-service calls stay HTTP, in process."""

import logging
from collections.abc import Callable

import httpx

from xshop.platform.clock import Clock, utcnow
from xshop.platform.db import Database
from xshop.platform.events.inprocess_bus import InProcessBus
from xshop.platform.http.upstreams import Upstreams
from xshop.platform.mail.catcher import MailCatcher
from xshop.platform.service_unit import Connect, ServiceUnit
from xshop.platform.settings import Settings
from xshop.services.audit import app as audit
from xshop.services.auth import app as auth
from xshop.services.catalog import app as catalog
from xshop.services.events_gateway import app as events
from xshop.services.gateway import app as gateway
from xshop.services.notifications import app as notifications
from xshop.services.orders import app as orders
from xshop.services.users import app as users
from xshop.web import app as web

log = logging.getLogger("xshop.runtime")


def inprocess_bus(settings: Settings) -> InProcessBus:
    """The embedded bus, kept in ``<data dir>/bus.sqlite``."""
    return InProcessBus(
        Database(f"sqlite+aiosqlite:///{settings.data_dir / 'bus.sqlite'}"),
        max_attempts=settings.event_max_attempts,
        retry_base_seconds=settings.event_retry_base_seconds,
        retry_max_seconds=settings.event_retry_max_seconds,
        prefetch=settings.consumer_prefetch,
    )


class EmbeddedShop:
    def __init__(self, settings: Settings, *, clock: Clock = utcnow) -> None:
        self.settings = settings
        self.bus = inprocess_bus(settings)
        self.mail = MailCatcher() if settings.smtp_url is None else None
        self.units: dict[str, ServiceUnit] = {}
        self.upstreams: dict[str, Upstreams] = {}
        builders: list[tuple[str, Callable[[], ServiceUnit]]] = [
            ("users", lambda: users.build(settings, self.bus)),
            ("auth", lambda: auth.build(settings, self.bus, self._connect_from("auth"), clock)),
            ("notifications", lambda: notifications.build(settings, self.bus)),
            ("audit", lambda: audit.build(settings, self.bus)),
            ("catalog", lambda: catalog.build(settings, self.bus, clock)),
            ("orders", lambda: orders.build(settings, self.bus, self._connect_from("orders"), clock)),
            ("events", lambda: events.build(settings, self.bus)),
            ("gateway", lambda: gateway.build(settings, self.bus, self._connect_from("gateway"))),
            ("web", lambda: web.build(settings, self.bus, self._connect_from("web"))),
        ]
        for name, build in builders:
            self.units[name] = build()
        for caller, upstreams in self.upstreams.items():
            upstreams.report_to(self.units[caller].metrics)

    def _connect_from(self, caller: str) -> Connect:
        """``caller``'s way to other services: one circuit breaker per service it calls."""
        upstreams = self.upstreams[caller] = Upstreams(self.settings, self._locate)
        return upstreams.connect

    def _locate(self, service: str) -> tuple[str, httpx.AsyncBaseTransport]:
        url = self.settings.url_override_of(service)
        if url:
            return url, httpx.AsyncHTTPTransport()
        return f"http://{service}", httpx.ASGITransport(app=self.units[service].app)

    async def start(self) -> None:
        """Migrate every database, start the mail catcher, the bus consumers, the outbox relays and the
        services' background tasks."""
        for unit in self.units.values():
            if unit.db is not None and unit.migrations is not None:
                await unit.db.migrate(unit.migrations)
            for subscription in unit.subscriptions:
                self.bus.subscribe(subscription)
        if self.mail is not None:
            await self.mail.start_smtp(self.settings.host, self.settings.mail_smtp_port)
        await self.bus.start()
        for unit in self.units.values():
            if unit.relay is not None:
                unit.relay.start()
        for unit in self.units.values():
            for task in unit.background:
                task.start()

    async def stop(self) -> None:
        """Background tasks and relays finish their work in progress, consumers their in-flight events,
        then connections close."""
        for unit in self.units.values():
            for task in unit.background:
                await task.stop()
        for unit in self.units.values():
            if unit.relay is not None:
                await unit.relay.stop()
        await self.bus.close()
        for unit in self.units.values():
            await unit.close()
        if self.mail is not None:
            await self.mail.stop_smtp()
        await self.bus.db.dispose()
