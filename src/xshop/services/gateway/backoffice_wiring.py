"""Wires the back office's services into the BFF: audit, notifications and events-gateway clients and
the log, dead-letter and dashboard routes."""

from xshop.platform.service_unit import Connect, ServiceUnit
from xshop.services.gateway import backoffice_routes, dashboard_routes, dead_letter_routes
from xshop.services.gateway.backoffice_clients import AuditClient, EventsClient, NotificationsClient


def install_backoffice(unit: ServiceUnit, connect: Connect) -> None:
    clients = {
        "audit_client": AuditClient(connect("audit")),
        "notifications_client": NotificationsClient(connect("notifications")),
        "events_client": EventsClient(connect("events")),
    }
    for name, client in clients.items():
        setattr(unit.app.state, name, client)
        unit.on_close.append(client.http.aclose)
    for router in (backoffice_routes.router, dashboard_routes.router, dead_letter_routes.router):
        unit.app.include_router(router)
