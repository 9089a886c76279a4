"""Wires the catalogue into the BFF: client, cache, routes, and the events that clear the cache."""

from xshop.platform.service_unit import Connect, ServiceUnit
from xshop.platform.settings import Settings
from xshop.services.gateway import catalog_admin_routes, catalog_routes
from xshop.services.gateway.catalog_cache import CatalogCache
from xshop.services.gateway.catalog_client import CatalogClient

CACHE_QUEUE = "gateway-catalog-cache-queue"
CACHE_EVENTS = ("product.*", "inventory.#")


def install_catalog(unit: ServiceUnit, settings: Settings, connect: Connect) -> None:
    http = connect("catalog")
    cache = CatalogCache(settings.catalog_cache_ttl_seconds)
    unit.app.state.catalog_client = CatalogClient(http)
    unit.app.state.catalog_cache = cache
    unit.app.include_router(catalog_routes.router)
    unit.app.include_router(catalog_admin_routes.router)
    # Every replica keeps its own cache, so every replica must hear of every change.
    unit.consume(CACHE_QUEUE, CACHE_EVENTS, cache.on_event, broadcast=True)
    unit.on_close.append(http.aclose)
