"""Composition of the events gateway."""

from pathlib import Path

from xshop.platform.events.bus import EventBus
from xshop.platform.service_unit import ServiceUnit, build_unit
from xshop.platform.settings import Settings
from xshop.services.events_gateway import api, models
from xshop.services.events_gateway.service import EventsGateway

MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: Settings, bus: EventBus) -> ServiceUnit:
    unit = build_unit(
        "events",
        settings,
        bus,
        title="xshop events gateway",
        description="Publish events from other languages over HTTP; list and replay dead letters; AsyncAPI.",
        migrations=MIGRATIONS,
        outbox_table=models.outbox,
    )
    unit.app.state.events = EventsGateway(unit.database, unit.events, bus)
    unit.app.include_router(api.router)
    return unit
