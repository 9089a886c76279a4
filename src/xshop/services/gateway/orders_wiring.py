"""Wires the orders service into the BFF: its client and the cart, order and admin order routes."""

from xshop.platform.service_unit import Connect, ServiceUnit
from xshop.services.gateway import orders_admin_routes, orders_routes
from xshop.services.gateway.orders_client import OrdersClient


def install_orders(unit: ServiceUnit, connect: Connect) -> None:
    http = connect("orders")
    unit.app.state.orders_client = OrdersClient(http)
    unit.app.include_router(orders_routes.router)
    unit.app.include_router(orders_admin_routes.router)
    unit.on_close.append(http.aclose)
