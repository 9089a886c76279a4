"""Events published on the bus end up in the audit trail: once each, with their fields, redacted."""

import json
import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from tests.unit.audit.support import AuditHarness, event
from xshop.services.audit.app import QUEUE
from xshop.services.audit.models import AuditLog

REGISTERED_AT = datetime(2025, 10, 27, 10, 30, tzinfo=UTC)


async def test_a_registration_is_recorded_with_its_fields(audit: AuditHarness):
    cid = str(uuid.uuid4())
    registered = event(
        "auth.user.registered",
        {
            "userId": "507f1f77bcf86cd799439011",
            "email": "user@example.com",
            "name": "John Doe",
            "firstName": "John",
            "lastName": "Doe",
            "registeredAt": REGISTERED_AT.isoformat(),
            "ipAddress": "192.168.1.100",
            "userAgent": "Mozilla/5.0",
            "correlationId": cid,
            "timestamp": REGISTERED_AT.isoformat(),
        },
        at=REGISTERED_AT,
        correlationid=cid,
        source="auth",
    )
    await audit.publish(registered)

    [entry] = await audit.wait_for(1)
    assert uuid.UUID(entry["id"])
    assert entry | {"id": None} == {
        "id": None,
        "eventId": registered.id,
        "eventType": "auth.user.registered",
        "action": "USER_REGISTRATION",
        "source": "auth",
        "userId": "507f1f77bcf86cd799439011",
        "email": "user@example.com",
        "ipAddress": "192.168.1.100",
        "userAgent": "Mozilla/5.0",
        "timestamp": entry["timestamp"],
        "correlationId": cid,
        "payload": registered.data,
        "success": True,
    }
    assert datetime.fromisoformat(entry["timestamp"]) == REGISTERED_AT


async def test_a_failed_login_is_recorded_as_a_failure(audit: AuditHarness):
    failed = event(
        "auth.login.failed",
        {"email": "Someone@Example.com", "ipAddress": "10.0.0.7", "userAgent": "curl/8", "reason": "bad"},
        correlationid="cid-login",
        source="auth",
    )
    await audit.publish(failed)

    [entry] = await audit.wait_for(1)
    assert entry["action"] == "LOGIN_FAILED"
    assert entry["success"] is False
    assert entry["userId"] is None
    assert entry["email"] == "someone@example.com"
    assert (entry["ipAddress"], entry["userAgent"], entry["correlationId"]) == (
        "10.0.0.7",
        "curl/8",
        "cid-login",
    )


async def test_a_verification_token_is_never_stored(audit: AuditHarness):
    token = "Zx9-verification-token-value-Qw3"
    requested = event(
        "auth.email.verification.requested",
        {
            "userId": "u1",
            "email": "user@example.com",
            "firstName": "John",
            "verificationToken": token,
            "verificationUrl": f"http://localhost:3100/verify-email?token={token}",
            "expiresAt": "2025-10-28T10:30:00Z",
            "correlationId": "cid-verify",
            "timestamp": "2025-10-27T10:30:00Z",
        },
        source="auth",
    )
    await audit.publish(requested)

    [entry] = await audit.wait_for(1)
    assert entry["payload"]["verificationToken"] == "[REDACTED]"
    assert entry["payload"]["verificationUrl"] == "http://localhost:3100/verify-email?token=[REDACTED]"
    assert entry["payload"]["firstName"] == "John"
    assert entry["action"] == "EMAIL_VERIFICATION_REQUESTED"
    assert entry["correlationId"] == "cid-verify"
    assert audit.unit.db is not None
    async with audit.unit.db.session() as session:
        stored = (await session.scalars(select(AuditLog))).all()
    assert len(stored) == 1
    assert token not in json.dumps(stored[0].payload)
    assert token not in json.dumps(entry)


async def test_a_redelivered_event_is_recorded_once(audit: AuditHarness):
    created = event("user.created", {"userId": "u1", "email": "a@example.com"})
    await audit.publish(created)
    await audit.wait_for(1)
    # Only once the first delivery is acked does the bus accept the same event id again.
    await audit.drained()

    await audit.publish(created)
    await audit.drained()

    page = await audit.search()
    assert page["totalItems"] == 1
    assert await audit.bus.dead_letters(QUEUE) == []


async def test_the_handler_applies_an_event_once_however_often_it_runs(audit: AuditHarness):
    [subscription] = audit.unit.subscriptions
    assert (subscription.queue, subscription.bindings) == (QUEUE, ("#",))
    verified = event("auth.email.verified", {"userId": "u1", "email": "a@example.com"})

    await subscription.handler(verified)
    await subscription.handler(verified)

    page = await audit.search()
    assert page["totalItems"] == 1
    assert page["items"][0]["eventId"] == verified.id


async def test_every_event_type_is_recorded(audit: AuditHarness):
    types = ["order.placed", "inventory.stock.updated", "something.new.happened"]
    await audit.publish(*(event(t, {"userId": "u9"}) for t in types))

    entries = await audit.wait_for(3)
    assert {(e["eventType"], e["action"]) for e in entries} == {
        ("order.placed", "ORDER_PLACED"),
        ("inventory.stock.updated", "STOCK_UPDATED"),
        ("something.new.happened", "SOMETHING_NEW_HAPPENED"),
    }
