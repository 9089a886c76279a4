"""Payload models of every event type, keyed by routing key (DESIGN §7)."""

from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, Literal

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


class LoginSucceeded(EventData):
    event_type: ClassVar[str] = "auth.login.succeeded"
    user_id: str
    email: str
    session_id: str = Field(description="The refresh family opened by this sign-in.")
    ip_address: str | None
    user_agent: str | None
    correlation_id: str
    timestamp: datetime


class LoginFailed(EventData):
    event_type: ClassVar[str] = "auth.login.failed"
    email: str = Field(description="As typed (normalised); may belong to no account.")
    reason: Literal["invalid_credentials", "account_disabled", "too_many_attempts"]
    ip_address: str | None
    user_agent: str | None
    correlation_id: str
    timestamp: datetime


class PasswordResetRequested(EventData):
    event_type: ClassVar[str] = "auth.password.reset.requested"
    user_id: str
    email: str
    first_name: str
    reset_token: str = Field(description="Secret: delivered only by email; audit redacts it.")
    reset_url: str = Field(description="Secret: carries the token.")
    expires_at: datetime
    ip_address: str | None
    user_agent: str | None
    correlation_id: str
    timestamp: datetime


class PasswordChanged(EventData):
    event_type: ClassVar[str] = "auth.password.changed"
    user_id: str
    email: str
    first_name: str
    method: Literal["change", "reset"]
    ip_address: str | None
    user_agent: str | None
    changed_at: datetime
    correlation_id: str
    timestamp: datetime


class UserUpdated(EventData):
    event_type: ClassVar[str] = "user.updated"
    user_id: str
    email: str
    changes: list[str] = Field(description="Names of the fields that changed; never their values.")
    updated_by: str = Field(description="Who changed it: the user, an admin's user id, or `cli`.")
    updated_at: datetime


class UserDeleted(EventData):
    event_type: ClassVar[str] = "user.deleted"
    user_id: str
    email: str
    deleted_by: str = Field(description="The user themselves or the admin's user id.")
    deleted_at: datetime


class ProductCreated(EventData):
    event_type: ClassVar[str] = "product.created"
    product_id: str
    sku: str
    name: str
    price: Decimal = Field(description="Two decimal places, as a string.")
    currency: str
    category: str
    tags: list[str]
    is_active: bool
    on_hand: int
    admin_id: str | None = Field(description="The admin who created it; null for demo data.")
    user_id: str | None = Field(description="Same as adminId: the audit trail files the event under it.")
    correlation_id: str
    timestamp: datetime


class ProductUpdated(EventData):
    event_type: ClassVar[str] = "product.updated"
    product_id: str
    sku: str
    changes: dict[str, dict[str, Any]] = Field(
        description="Per changed field (camelCase): its `old` and `new` value."
    )
    is_active: bool
    admin_id: str
    user_id: str = Field(description="Same as adminId: the audit trail files the event under it.")
    correlation_id: str
    timestamp: datetime


class InventoryStockUpdated(EventData):
    event_type: ClassVar[str] = "inventory.stock.updated"
    product_id: str
    sku: str
    old_on_hand: int
    new_on_hand: int
    delta: int
    reserved: int
    reason: str
    admin_id: str
    user_id: str = Field(description="Same as adminId: the audit trail files the event under it.")
    correlation_id: str
    timestamp: datetime


class OrderLineData(EventData):
    product_id: str
    sku: str
    name: str
    unit_price: Decimal = Field(description="Two decimal places, as a string; the catalog's price.")
    quantity: int
    line_total: Decimal


class ShippingAddressData(EventData):
    name: str
    line1: str
    line2: str | None = None
    city: str
    postal_code: str
    country: str = Field(description="ISO 3166-1 alpha-2, upper case.")
    phone: str | None = None


class OrderPlaced(EventData):
    event_type: ClassVar[str] = "order.placed"
    order_id: str
    order_number: str
    customer_id: str
    customer_email: str
    customer_name: str
    lines: list[OrderLineData]
    currency: str
    subtotal: Decimal
    tax: Decimal
    shipping: Decimal
    total: Decimal
    shipping_address: ShippingAddressData
    placed_at: datetime
    user_id: str = Field(description="Same as customerId: the audit trail files the event under it.")
    correlation_id: str
    timestamp: datetime


class OrderStatusChanged(EventData):
    event_type: ClassVar[str] = "order.status.changed"
    order_id: str
    order_number: str
    customer_id: str
    customer_email: str
    customer_name: str
    old_status: str
    new_status: str
    reason: str | None
    changed_by: str = Field(description="The customer's or the admin's user id.")
    changed_at: datetime
    user_id: str = Field(description="Who changed it (= changedBy): the audit trail files it there.")
    correlation_id: str
    timestamp: datetime


EVENT_MODELS: dict[str, type[EventData]] = {
    model.event_type: model
    for model in (
        UserCreated,
        UserRegistered,
        EmailVerificationRequested,
        EmailVerified,
        LoginSucceeded,
        LoginFailed,
        PasswordResetRequested,
        PasswordChanged,
        UserUpdated,
        UserDeleted,
        ProductCreated,
        ProductUpdated,
        InventoryStockUpdated,
        OrderPlaced,
        OrderStatusChanged,
    )
}
