"""Time, injectable: services take a ``Clock`` so tests can move time (token expiry, TTLs)."""

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)
