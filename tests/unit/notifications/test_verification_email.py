"""The verification email, end to end through the in-process bus, a real SMTP catcher and SQLite."""

import asyncio
import sqlite3
import uuid
from contextlib import closing
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.credentials import bearer
from tests.waiting import eventually
from xshop.contracts.events import EmailVerificationRequested
from xshop.platform.clock import utcnow
from xshop.platform.db import Database
from xshop.platform.events.envelope import CloudEvent
from xshop.platform.events.inprocess_bus import InProcessBus
from xshop.platform.mail.catcher import MailCatcher
from xshop.platform.mail.mailbox import CaughtMessage
from xshop.platform.mail.sender import MailDeliveryError
from xshop.platform.security.tokens import JwtCodec
from xshop.platform.service_unit import ServiceUnit
from xshop.platform.settings import Settings
from xshop.services.notifications.app import BINDINGS, build
from xshop.services.notifications.emails import InvalidEvent
from xshop.services.notifications.rendering import render_email_verification
from xshop.services.notifications.service import EmailInFlight, NotificationsService

HOST = "127.0.0.1"


@dataclass
class Notifications:
    settings: Settings
    bus: InProcessBus
    unit: ServiceUnit
    catcher: MailCatcher
    api: httpx.AsyncClient

    @property
    def service(self) -> NotificationsService:
        return self.unit.app.state.notifications

    def mails(self) -> list[CaughtMessage]:
        return self.catcher.mailbox.newest_first()

    def token(self, *roles: str) -> dict[str, str]:
        codec = JwtCodec(
            self.settings.resolved_jwt_secret(), self.settings.jwt_issuer, self.settings.jwt_audience
        )
        return bearer(codec, list(roles), "u-1")

    async def logs(self, **params: Any) -> list[dict[str, Any]]:
        response = await self.api.get(
            "/api/notifications/email-logs", params=params, headers=self.token("admin")
        )
        assert response.status_code == 200, response.text
        return list(response.json()["items"])

    async def log_of(self, event: CloudEvent) -> dict[str, Any] | None:
        return next((item for item in await self.logs() if item["eventId"] == event.id), None)

    async def wait_for_log(self, event: CloudEvent, status: str, min_attempts: int = 1) -> dict[str, Any]:
        async def probe() -> dict[str, Any] | None:
            log = await self.log_of(event)
            return log if log and log["status"] == status and log["attempts"] >= min_attempts else None

        return await eventually(probe, what=f"the email log to be {status} after {min_attempts}+ attempts")

    def sql(self, statement: str, *args: Any) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(self.settings.data_dir / "notifications.sqlite")) as conn, conn:
            return conn.execute(statement, args).fetchall()


@pytest.fixture
async def notifications(tmp_path):
    catcher = MailCatcher()
    await catcher.start_smtp(HOST, 0)
    settings = Settings(
        _env_file=None,
        env="test",
        data_dir=tmp_path,
        bcrypt_rounds=4,
        company_name="xShop.ai",
        smtp_url=f"smtp://{HOST}:{catcher.port}",
        jwt_secret="test-secret-" + "x" * 40,
        event_retry_base_seconds=0.05,
        event_retry_max_seconds=0.2,
        event_max_attempts=50,
    )
    bus = InProcessBus(
        Database(f"sqlite+aiosqlite:///{tmp_path}/bus.sqlite"),
        max_attempts=settings.event_max_attempts,
        retry_base_seconds=settings.event_retry_base_seconds,
        retry_max_seconds=settings.event_retry_max_seconds,
        prefetch=settings.consumer_prefetch,
    )
    unit = build(settings, bus)
    assert unit.db is not None and unit.migrations is not None
    await unit.db.migrate(unit.migrations)
    for subscription in unit.subscriptions:
        bus.subscribe(subscription)
    await bus.start()
    api = httpx.AsyncClient(transport=httpx.ASGITransport(app=unit.app), base_url="http://notifications")
    try:
        yield Notifications(settings, bus, unit, catcher, api)
    finally:
        await api.aclose()
        await bus.close()
        await unit.close()
        await catcher.stop_smtp()
        await bus.db.dispose()


def verification_event(email: str = "john.doe@example.com", *, hours: int = 24, **data: Any) -> CloudEvent:
    now = utcnow()
    correlation_id = str(uuid.uuid4())
    token = f"tok-{uuid.uuid4().hex}"
    payload = EmailVerificationRequested(
        user_id=str(uuid.uuid4()),
        email=email,
        first_name=data.pop("first_name", "John"),
        verification_token=token,
        verification_url=f"http://127.0.0.1:3100/bff/auth/email/verify?token={token}",
        expires_at=now + timedelta(hours=hours),
        correlation_id=correlation_id,
        timestamp=now,
    )
    return CloudEvent(
        source="auth", type=payload.event_type, correlationid=correlation_id, data=payload.to_data() | data
    )


async def queue_drained(notifications: Notifications) -> bool:
    return await notifications.bus.backlog() == 0


async def test_the_queue_binds_exactly_the_events_that_send_email(notifications):
    (subscription,) = notifications.unit.subscriptions
    assert subscription.queue == "notification-service-queue"
    assert subscription.bindings == BINDINGS
    assert set(BINDINGS) == {
        "auth.email.verification.requested",
        "auth.password.reset.requested",
        "auth.password.changed",
        "order.placed",
        "order.status.changed",
    }


async def test_a_verification_request_sends_the_verification_email(notifications):
    event = verification_event()

    await notifications.bus.publish([event])

    (mail,) = await eventually(notifications.mails, what="the verification email")
    url = event.data["verificationUrl"]
    assert mail.subject == "Verify your email address"
    assert [p.address for p in mail.to] == ["john.doe@example.com"]
    assert mail.sender.address == "noreply@xshop.local"
    assert mail.message_id == f"{event.id}.email-verification@xshop.local"
    for body in (mail.text, mail.html):
        assert "Welcome to xShop.ai, John!" in body
        assert "This link expires in 24 hours." in body
        assert "If you didn't create an account, please ignore this email." in body
    assert url in mail.text
    assert f'href="{url}"' in mail.html and "Verify Email" in mail.html

    log = await notifications.wait_for_log(event, "sent")
    assert log["attempts"] == 1 and log["sentAt"]
    assert (log["type"], log["to"], log["subject"]) == (
        "email-verification",
        mail.to[0].address,
        mail.subject,
    )
    assert log["correlationId"] == event.correlationid
    assert log["messageId"] == f"<{mail.message_id}>"
    assert [(a["attempt"], a["outcome"], a["error"]) for a in log["attemptLog"]] == [(1, "sent", None)]


async def test_the_same_event_published_twice_sends_one_email(notifications):
    event = verification_event()

    await notifications.bus.publish([event])
    await eventually(notifications.mails, what="the first email")
    await eventually(lambda: queue_drained(notifications), what="the first delivery to finish")
    await notifications.bus.publish([event])
    await eventually(lambda: queue_drained(notifications), what="the duplicate to be handled")

    assert len(notifications.mails()) == 1
    assert notifications.sql("SELECT count(*) FROM inbox WHERE event_id = ?", event.id) == [(1,)]
    assert (await notifications.log_of(event))["attempts"] == 1


async def test_a_sent_email_is_not_sent_again_even_if_the_inbox_entry_is_missing(notifications):
    event = verification_event()
    await notifications.service.handle(event)
    notifications.sql("DELETE FROM inbox")

    await notifications.service.handle(event)

    assert len(notifications.mails()) == 1
    assert notifications.sql("SELECT count(*) FROM inbox WHERE event_id = ?", event.id) == [(1,)]


async def test_concurrent_deliveries_of_one_event_send_one_email(notifications):
    event = verification_event()

    outcomes = await asyncio.gather(
        *(notifications.service.handle(event) for _ in range(3)), return_exceptions=True
    )
    await notifications.service.handle(event)

    assert all(outcome is None or isinstance(outcome, EmailInFlight) for outcome in outcomes), outcomes
    assert len(notifications.mails()) == 1
    assert (await notifications.log_of(event))["attempts"] == 1


async def test_a_claim_blocks_other_deliveries_until_it_lapses(notifications):
    port = notifications.catcher.port
    await notifications.catcher.stop_smtp()
    event = verification_event()
    with pytest.raises(MailDeliveryError):
        await notifications.service.handle(event)
    await notifications.catcher.start_smtp(HOST, port)

    notifications.sql("UPDATE email_logs SET claimed_at = ?", utcnow().strftime("%Y-%m-%d %H:%M:%S.%f"))
    with pytest.raises(EmailInFlight):
        await notifications.service.handle(event)
    assert notifications.mails() == []

    notifications.sql("UPDATE email_logs SET claimed_at = '2000-01-01 00:00:00.000000'")
    await notifications.service.handle(event)

    assert len(notifications.mails()) == 1
    assert notifications.sql("SELECT status, attempts, claimed_at FROM email_logs") == [("sent", 2, None)]


async def test_while_smtp_is_down_the_email_fails_and_is_retried_until_it_is_sent_once(notifications):
    port = notifications.catcher.port
    await notifications.catcher.stop_smtp()
    event = verification_event()

    await notifications.bus.publish([event])

    failed = await notifications.wait_for_log(event, "failed", min_attempts=2)
    assert f"{HOST}:{port}" in failed["lastError"]
    assert event.data["verificationToken"] not in failed["lastError"]
    assert all(a["outcome"] == "failed" and a["error"] for a in failed["attemptLog"])

    await notifications.catcher.start_smtp(HOST, port)

    log = await notifications.wait_for_log(event, "sent")
    await eventually(lambda: queue_drained(notifications), what="the event to be acknowledged")
    assert len(notifications.mails()) == 1
    outcomes = [a["outcome"] for a in log["attemptLog"]]
    assert outcomes[-1] == "sent" and set(outcomes[:-1]) == {"failed"} and len(outcomes) == log["attempts"]
    assert [a["attempt"] for a in log["attemptLog"]] == list(range(1, log["attempts"] + 1))


async def test_an_event_that_breaks_its_contract_names_fields_not_values(notifications):
    event = verification_event(expiresAt="not a date")
    secret = event.data["verificationToken"]

    with pytest.raises(InvalidEvent, match="expiresAt") as failure:
        await notifications.service.handle(event)

    assert secret not in str(failure.value) and failure.value.__cause__ is None
    assert notifications.mails() == []


async def test_an_event_type_without_an_email_is_acknowledged_without_mail(notifications):
    await notifications.service.handle(CloudEvent(source="auth", type="auth.login.succeeded", data={}))

    assert notifications.mails() == []


def test_rendering_escapes_html_and_rounds_the_expiry():
    event = verification_event(first_name="<b>Jo</b>", hours=2)
    data = EmailVerificationRequested.model_validate(event.data)

    subject, html, text = render_email_verification(data, "A&B Shop")

    assert subject == "Verify your email address"
    assert "Welcome to A&amp;B Shop, &lt;b&gt;Jo&lt;/b&gt;!" in html and "<b>Jo" not in html
    assert "Welcome to A&B Shop, <b>Jo</b>!" in text
    assert "This link expires in 2 hours." in text
    with pytest.raises(ValueError, match="http"):
        render_email_verification(data.model_copy(update={"verification_url": "javascript:alert(1)"}), "x")


async def test_email_logs_need_an_admin(notifications):
    path = "/api/notifications/email-logs"

    anonymous = await notifications.api.get(path)
    customer = await notifications.api.get(path, headers=notifications.token("customer"))
    admin = await notifications.api.get(path, headers=notifications.token("admin"))

    assert anonymous.status_code == 401 and anonymous.json()["code"] == "UNAUTHENTICATED"
    assert customer.status_code == 403 and customer.json()["code"] == "FORBIDDEN"
    assert admin.status_code == 200
    assert admin.json() == {
        "items": [],
        "page": 1,
        "pageSize": 20,
        "totalItems": 0,
        "totalPages": 0,
        "hasPrevious": False,
        "hasNext": False,
    }


async def test_email_logs_filter_and_page_newest_first(notifications):
    first, second = verification_event("ann@example.com"), verification_event("ben@example.com")
    await notifications.service.handle(first)
    await notifications.service.handle(second)

    assert [log["to"] for log in await notifications.logs()] == ["ben@example.com", "ann@example.com"]
    assert [log["to"] for log in await notifications.logs(to="ANN@example.com")] == ["ann@example.com"]
    assert [log["eventId"] for log in await notifications.logs(correlationId=second.correlationid)] == [
        second.id
    ]
    assert len(await notifications.logs(type="email-verification", status="sent")) == 2
    assert await notifications.logs(status="failed") == []
    assert await notifications.logs(type="order-confirmation") == []

    page = await notifications.api.get(
        "/api/notifications/email-logs",
        params={"pageSize": 1, "page": 2},
        headers=notifications.token("admin"),
    )
    assert page.json()["items"][0]["to"] == "ann@example.com"
    assert (page.json()["totalItems"], page.json()["hasPrevious"], page.json()["hasNext"]) == (2, True, False)

    for bad in ({"pageSize": 101}, {"page": 0}, {"status": "lost"}):
        response = await notifications.api.get(
            "/api/notifications/email-logs", params=bad, headers=notifications.token("admin")
        )
        assert response.status_code == 400, bad
        assert response.json()["code"] == "VALIDATION_FAILED"
