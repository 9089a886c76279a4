"""Composition of the notifications service."""

from pathlib import Path

from xshop.contracts.queues import NOTIFICATIONS_QUEUE
from xshop.platform.events.bus import EventBus
from xshop.platform.events.inbox import Inbox
from xshop.platform.mail.sender import SmtpSender
from xshop.platform.service_unit import ServiceUnit, build_unit
from xshop.platform.settings import Settings
from xshop.services.notifications import api, models
from xshop.services.notifications.emails import COMPOSERS
from xshop.services.notifications.service import CONSUMER, NotificationsService

MIGRATIONS = Path(__file__).parent / "migrations"
QUEUE = NOTIFICATIONS_QUEUE
BINDINGS: tuple[str, ...] = tuple(COMPOSERS)
"""Every event type that sends an email; add one by adding its composer to ``emails.COMPOSERS``."""


def build(settings: Settings, bus: EventBus) -> ServiceUnit:
    unit = build_unit(
        "notifications",
        settings,
        bus,
        title="xshop notifications service",
        description="Sends the emails events ask for (verification, …) and logs every attempt.",
        migrations=MIGRATIONS,
    )
    sender = SmtpSender(settings.effective_smtp_url, settings.mail_from)
    inbox = Inbox(models.inbox, CONSUMER)
    service = NotificationsService(
        unit.database, inbox, sender, settings.company_name, claim_seconds=settings.mail_claim_seconds
    )
    unit.app.state.notifications = service
    unit.app.include_router(api.router)
    unit.consume(QUEUE, BINDINGS, service.handle)
    return unit
