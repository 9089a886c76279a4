"""Request-scoped values that follow a request or an event through logs, calls and events."""

import uuid
from contextvars import ContextVar

correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
current_service: ContextVar[str | None] = ContextVar("current_service", default=None)


def new_correlation_id() -> str:
    return str(uuid.uuid4())


def ensure_correlation_id() -> str:
    """The current correlation id, creating one for work that did not start from a request."""
    value = correlation_id.get()
    if value is None:
        value = new_correlation_id()
        correlation_id.set(value)
    return value
