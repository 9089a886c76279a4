"""Payload models of every event type, keyed by routing key (DESIGN §7)."""

from datetime import datetime
from typing import ClassVar

from pydantic import Field

from xshop.platform.events.envelope import EventData


class UserCreated(EventData):
    event_type: ClassVar[str] = "user.created"
    user_id: str
    email: str
    created_at: datetime


class UserRegistered(EventData):
    event_type: ClassVar[str] = "auth.user.registered"
    user_id: str
    email: str
    name: str
    first_name: str
    last_name: str
    registered_at: datetime
    ip_address: str | None
    user_agent: str | None
    correlation_id: str
    timestamp: datetime


class EmailVerificationRequested(EventData):
    event_type: ClassVar[str] = "auth.email.verification.requested"
    user_id: str
    email: str
    first_name: str
    verification_token: str = Field(description="Secret: delivered only by email; audit redacts it.")
    verification_url: str = Field(description="Secret: carries the token.")
    expires_at: datetime
    correlation_id: str
    timestamp: datetime


class EmailVerified(EventData):
    event_type: ClassVar[str] = "auth.email.verified"
    user_id: str
    email: str
    verified_at: datetime
    correlation_id: str
    timestamp: datetime


EVENT_MODELS: dict[str, type[EventData]] = {
    model.event_type: model
    for model in (UserCreated, UserRegistered, EmailVerificationRequested, EmailVerified)
}
