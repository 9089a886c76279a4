"""Every service by name, built the same way whichever runtime hosts it."""

from collections.abc import Callable
from pathlib import Path

from xshop.platform.clock import Clock, utcnow
from xshop.platform.events.bus import EventBus
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

Builder = Callable[[Settings, EventBus, Connect], ServiceUnit]

MIGRATIONS: dict[str, Path] = {
    "users": users.MIGRATIONS,
    "auth": auth.MIGRATIONS,
    "notifications": notifications.MIGRATIONS,
    "audit": audit.MIGRATIONS,
    "catalog": catalog.MIGRATIONS,
    "orders": orders.MIGRATIONS,
    "events": events.MIGRATIONS,
}


def services(clock: Clock = utcnow) -> dict[str, Builder]:
    """In dependency order: a service is listed after the services it calls."""
    return {
        "users": lambda s, b, c: users.build(s, b),
        "auth": lambda s, b, c: auth.build(s, b, c, clock),
        "notifications": lambda s, b, c: notifications.build(s, b),
        "audit": lambda s, b, c: audit.build(s, b),
        "catalog": lambda s, b, c: catalog.build(s, b, clock),
        "orders": lambda s, b, c: orders.build(s, b, c, clock),
        "events": lambda s, b, c: events.build(s, b),
        "gateway": lambda s, b, c: gateway.build(s, b, c),
        "web": lambda s, b, c: web.build(s, b, c),
    }
