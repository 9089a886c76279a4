"""Composition of the catalog service."""

from datetime import timedelta
from pathlib import Path

from xshop.platform.clock import Clock, utcnow
from xshop.platform.events.bus import EventBus
from xshop.platform.service_unit import ServiceUnit, build_unit
from xshop.platform.settings import Settings
from xshop.services.catalog import admin_api, api, models, reservations_api
from xshop.services.catalog.reservations import ReservationService
from xshop.services.catalog.service import CatalogService
from xshop.services.catalog.sweeper import ReservationSweeper

MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: Settings, bus: EventBus, clock: Clock = utcnow) -> ServiceUnit:
    unit = build_unit(
        "catalog",
        settings,
        bus,
        title="xshop catalog service",
        description="Products, stock and stock reservations; browsing and search.",
        migrations=MIGRATIONS,
        outbox_table=models.outbox,
    )
    reservations = ReservationService(
        unit.database,
        default_ttl=timedelta(seconds=settings.catalog_reservation_ttl_seconds),
        clock=clock,
    )
    unit.app.state.catalog = CatalogService(unit.database, unit.events, clock)
    unit.app.state.reservations = reservations
    for module in (api, admin_api, reservations_api):
        unit.app.include_router(module.router)
    unit.background.append(ReservationSweeper(reservations, settings.catalog_reservation_sweep_seconds))
    return unit
