"""Starting and stopping services in the right order, shared by both runtimes."""

from collections.abc import Iterable

from xshop.platform.events.bus import EventBus
from xshop.platform.service_unit import ServiceUnit


class NotMigrated(RuntimeError):
    def __init__(self, service: str) -> None:
        super().__init__(
            f"the {service} database is not migrated to the latest version: run `xshop migrate {service}`"
        )


async def start_units(units: Iterable[ServiceUnit], bus: EventBus, *, migrate: bool) -> None:
    """Migrate (embedded) or insist on migrated databases (distributed), then consumers, relays, tasks."""
    units = list(units)
    for unit in units:
        if unit.db is not None and unit.migrations is not None:
            if migrate:
                await unit.db.migrate(unit.migrations)
            elif not await unit.db.is_at_head(unit.migrations):
                raise NotMigrated(unit.name)
        for subscription in unit.subscriptions:
            bus.subscribe(subscription)
    await bus.start()
    for unit in units:
        if unit.relay is not None:
            unit.relay.start()
        for task in unit.background:
            task.start()


async def stop_units(units: Iterable[ServiceUnit], bus: EventBus) -> None:
    """Tasks and relays finish their batch, consumers their in-flight events, then connections close."""
    units = list(units)
    for unit in units:
        for task in unit.background:
            await task.stop()
        if unit.relay is not None:
            await unit.relay.stop()
    await bus.close()
    for unit in units:
        await unit.close()
