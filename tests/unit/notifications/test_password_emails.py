"""The password emails: "Reset your password" (with the link) and "Your password was changed"."""

import uuid
from datetime import timedelta
from typing import Any

import pytest

from tests.unit.notifications.test_verification_email import notifications  # noqa: F401 - fixture
from tests.waiting import eventually
from xshop.contracts.events import PasswordChanged, PasswordResetRequested
from xshop.platform.clock import utcnow
from xshop.platform.events.envelope import CloudEvent
from xshop.services.notifications.emails import InvalidEvent
from xshop.services.notifications.rendering import render_password_changed, render_password_reset


def reset_event(email: str = "ann@example.com", **data: Any) -> CloudEvent:
    now = utcnow()
    token = f"tok-{uuid.uuid4().hex}"
    payload = PasswordResetRequested(
        user_id=str(uuid.uuid4()),
        email=email,
        first_name=data.pop("first_name", "Ann"),
        reset_token=token,
        reset_url=f"http://127.0.0.1:3100/bff/auth/password/reset?token={token}",
        expires_at=now + timedelta(hours=1),
        ip_address="10.0.0.1",
        user_agent="pytest",
        correlation_id=str(uuid.uuid4()),
        timestamp=now,
    )
    return CloudEvent(
        source="auth",
        type=payload.event_type,
        correlationid=payload.correlation_id,
        data=payload.to_data() | data,
    )


def changed_event(method: str = "change", **data: Any) -> CloudEvent:
    now = utcnow()
    payload = PasswordChanged(
        user_id=str(uuid.uuid4()),
        email="ann@example.com",
        first_name=data.pop("first_name", "Ann"),
        method=method,  # type: ignore[arg-type]
        ip_address=None,
        user_agent=None,
        changed_at=now,
        correlation_id=str(uuid.uuid4()),
        timestamp=now,
    )
    return CloudEvent(
        source="auth",
        type=payload.event_type,
        correlationid=payload.correlation_id,
        data=payload.to_data() | data,
    )


async def test_a_reset_request_mails_the_link(notifications):  # noqa: F811
    event = reset_event()
    await notifications.bus.publish([event])
    (mail,) = await eventually(notifications.mails, what="the reset email")
    url = event.data["resetUrl"]
    assert mail.subject == "Reset your password"
    assert [p.address for p in mail.to] == ["ann@example.com"]
    assert mail.message_id == f"{event.id}.password-reset@xshop.local"
    assert url in mail.text and f'href="{url}"' in mail.html
    for body in (mail.text, mail.html):
        assert "This link expires in 1 hour and works once." in body
    log = await notifications.wait_for_log(event, "sent")
    assert (log["type"], log["correlationId"]) == ("password-reset", event.correlationid)


@pytest.mark.parametrize(("method", "wording"), [("change", "Every other device"), ("reset", "Every device")])
async def test_a_password_change_is_confirmed_by_email(notifications, method, wording):  # noqa: F811
    event = changed_event(method)
    await notifications.bus.publish([event])
    (mail,) = await eventually(notifications.mails, what="the confirmation")
    assert mail.subject == "Your password was changed"
    assert wording in mail.text and "If this wasn't you" in mail.text
    assert (await notifications.wait_for_log(event, "sent"))["type"] == "password-changed"


async def test_a_reset_event_that_breaks_its_contract_names_fields_not_values(notifications):  # noqa: F811
    event = reset_event(expiresAt="soon")
    with pytest.raises(InvalidEvent, match="expiresAt") as failure:
        await notifications.service.handle(event)
    assert event.data["resetToken"] not in str(failure.value)
    assert notifications.mails() == []


def test_password_emails_escape_html_and_refuse_non_web_links():
    reset = PasswordResetRequested.model_validate(reset_event(first_name="<i>Ann</i>").data)
    _, html, text = render_password_reset(reset, "A&B")
    assert "&lt;i&gt;Ann&lt;/i&gt;" in html and "<i>Ann" not in html and "<i>Ann</i>" in text
    with pytest.raises(ValueError, match="http"):
        render_password_reset(reset.model_copy(update={"reset_url": "javascript:alert(1)"}), "x")
    changed = PasswordChanged.model_validate(changed_event(first_name="<i>Ann</i>").data)
    _, html, _ = render_password_changed(changed, "A&B")
    assert "&lt;i&gt;Ann&lt;/i&gt;" in html and "A&amp;B" in html
