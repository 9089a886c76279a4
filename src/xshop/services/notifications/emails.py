"""Which event sends which email. The notifications queue binds exactly the event types listed here."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from xshop.contracts.events import (
    EmailVerificationRequested,
    OrderPlaced,
    OrderStatusChanged,
    PasswordChanged,
    PasswordResetRequested,
)
from xshop.platform.events.envelope import CloudEvent
from xshop.services.notifications.order_emails import render_order_placed, render_order_status
from xshop.services.notifications.rendering import (
    render_email_verification,
    render_password_changed,
    render_password_reset,
)


class InvalidEvent(Exception):
    """The event's payload does not fit its contract. Names the fields, never their values (tokens)."""


@dataclass(frozen=True)
class OutgoingEmail:
    type: str
    to: str
    subject: str
    html: str
    text: str
    correlation_id: str | None


Composer = Callable[[CloudEvent, str], OutgoingEmail]
M = TypeVar("M", bound=BaseModel)


def _payload(model: type[M], event: CloudEvent) -> M:
    try:
        return model.model_validate(event.data)
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in error["loc"]) for error in exc.errors()})
        # ``from None``: the validation error quotes the input, which a logged traceback would expose.
        raise InvalidEvent(f"{event.type} event {event.id} has invalid fields: {', '.join(fields)}") from None


def email_verification(event: CloudEvent, company_name: str) -> OutgoingEmail:
    data = _payload(EmailVerificationRequested, event)
    subject, html, text = render_email_verification(data, company_name)
    return OutgoingEmail("email-verification", data.email, subject, html, text, data.correlation_id)


def password_reset(event: CloudEvent, company_name: str) -> OutgoingEmail:
    data = _payload(PasswordResetRequested, event)
    subject, html, text = render_password_reset(data, company_name)
    return OutgoingEmail("password-reset", data.email, subject, html, text, data.correlation_id)


def password_changed(event: CloudEvent, company_name: str) -> OutgoingEmail:
    data = _payload(PasswordChanged, event)
    subject, html, text = render_password_changed(data, company_name)
    return OutgoingEmail("password-changed", data.email, subject, html, text, data.correlation_id)


def order_placed(event: CloudEvent, company_name: str) -> OutgoingEmail:
    data = _payload(OrderPlaced, event)
    subject, html, text = render_order_placed(data, company_name)
    return OutgoingEmail("order-confirmation", data.customer_email, subject, html, text, data.correlation_id)


def order_status_changed(event: CloudEvent, company_name: str) -> OutgoingEmail:
    data = _payload(OrderStatusChanged, event)
    subject, html, text = render_order_status(data, company_name)
    return OutgoingEmail("order-status", data.customer_email, subject, html, text, data.correlation_id)


COMPOSERS: dict[str, Composer] = {
    EmailVerificationRequested.event_type: email_verification,
    PasswordResetRequested.event_type: password_reset,
    PasswordChanged.event_type: password_changed,
    OrderPlaced.event_type: order_placed,
    OrderStatusChanged.event_type: order_status_changed,
}
