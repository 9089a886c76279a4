"""Composition of the audit service."""

from pathlib import Path

from xshop.contracts.queues import AUDIT_QUEUE
from xshop.platform.events.bus import EventBus
from xshop.platform.events.inbox import Inbox, exactly_once
from xshop.platform.service_unit import ServiceUnit, build_unit
from xshop.platform.settings import Settings
from xshop.services.audit import api, models
from xshop.services.audit.service import AuditService

MIGRATIONS = Path(__file__).parent / "migrations"
QUEUE = AUDIT_QUEUE


def build(settings: Settings, bus: EventBus) -> ServiceUnit:
    unit = build_unit(
        "audit",
        settings,
        bus,
        title="xshop audit service",
        description="The audit trail: every event recorded once, secrets redacted, searchable by admins.",
        migrations=MIGRATIONS,
    )
    audit = AuditService(unit.database)
    unit.app.state.audit = audit
    unit.app.include_router(api.router)
    unit.consume(QUEUE, ("#",), exactly_once(unit.database, Inbox(models.inbox, "audit"), audit.record))
    return unit
