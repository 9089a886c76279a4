"""Composition of the gateway (BFF)."""

from xshop.platform.events.bus import EventBus
from xshop.platform.service_unit import Connect, ServiceUnit, build_unit
from xshop.platform.settings import Settings
from xshop.services.gateway import account_routes, admin_routes, api, session_routes
from xshop.services.gateway.backoffice_wiring import install_backoffice
from xshop.services.gateway.catalog_wiring import install_catalog
from xshop.services.gateway.clients import AuthClient
from xshop.services.gateway.orders_wiring import install_orders


def build(settings: Settings, bus: EventBus, connect: Connect) -> ServiceUnit:
    unit = build_unit(
        "gateway",
        settings,
        bus,
        title="xshop gateway (BFF)",
        description="The browser-facing API: cookies, CSRF, correlation ids; proxies to the services.",
        cors=True,
    )
    auth_http = connect("auth")
    unit.app.state.auth_client = AuthClient(auth_http)
    unit.app.include_router(api.router)
    for router in (session_routes.router, account_routes.router, admin_routes.router):
        unit.app.include_router(router)
    unit.on_close.append(auth_http.aclose)
    install_catalog(unit, settings, connect)
    install_orders(unit, connect)
    install_backoffice(unit, connect)
    return unit
