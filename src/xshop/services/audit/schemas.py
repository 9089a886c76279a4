"""Request and response models of the audit API (camelCase on the wire)."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from xshop.platform.schemas import CamelModel


class AuditLogPublic(CamelModel):
    id: str
    event_id: str
    event_type: str
    action: str
    source: str
    user_id: str | None
    email: str | None
    ip_address: str | None
    user_agent: str | None
    timestamp: datetime
    correlation_id: str | None
    payload: dict[str, Any]
    success: bool


class AuditFilters(BaseModel):
    """A search of the trail; every filter given must match. ``start``/``end`` are inclusive, UTC."""

    model_config = ConfigDict(frozen=True)

    user_id: str | None = None
    email: str | None = None
    event_type: str | None = None
    action: str | None = None
    correlation_id: str | None = None
    ip_address: str | None = None
    success: bool | None = None
    start: datetime | None = None
    end: datetime | None = None
