"""Composition of the orders service."""

from pathlib import Path

from xshop.platform.clock import Clock, utcnow
from xshop.platform.events.bus import EventBus
from xshop.platform.service_unit import Connect, ServiceUnit, build_unit
from xshop.platform.settings import Settings
from xshop.services.orders import admin_api, api, models
from xshop.services.orders.carts import CartService
from xshop.services.orders.checkout import CheckoutService
from xshop.services.orders.clients import CatalogClient, UsersClient
from xshop.services.orders.history import OrderHistory
from xshop.services.orders.pricing import PricingRules
from xshop.services.orders.stock_returner import StockReturner
from xshop.services.orders.transitions import StatusChanges

MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: Settings, bus: EventBus, connect: Connect, clock: Clock = utcnow) -> ServiceUnit:
    unit = build_unit(
        "orders",
        settings,
        bus,
        title="xshop orders service",
        description="Carts, checkout with stock reservation and idempotency keys, order history.",
        migrations=MIGRATIONS,
        outbox_table=models.outbox,
    )
    codec = unit.app.state.jwt

    def credentials() -> str:
        # Service tokens use the real time: the called service checks them against its own clock.
        return str(codec.issue_service("orders", now=utcnow()))

    users_http, catalog_http = connect("users"), connect("catalog")
    users = UsersClient(users_http, credentials=credentials)
    catalog = CatalogClient(catalog_http, credentials=credentials)
    pricing = PricingRules(
        tax_rate=settings.orders_tax_rate,
        shipping_flat=settings.orders_shipping_flat,
        free_shipping_over=settings.orders_free_shipping_over,
    )
    changes = StatusChanges(unit.database, unit.events, catalog, clock)
    state = unit.app.state
    state.carts = CartService(unit.database, catalog, clock)
    state.checkout = CheckoutService(unit.database, unit.events, users, catalog, pricing, clock)
    state.history = OrderHistory(unit.database, clock)
    state.status_changes = changes
    for router in (api.router, admin_api.router):
        unit.app.include_router(router)
    unit.background.append(StockReturner(changes, settings.orders_stock_return_seconds))
    unit.on_close.extend([users_http.aclose, catalog_http.aclose])
    return unit
