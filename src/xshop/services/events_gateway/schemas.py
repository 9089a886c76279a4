"""Request and response models of the events gateway."""

from datetime import datetime
from typing import Any

from pydantic import Field, StrictStr

from xshop.platform.schemas import CamelModel


class PublishRequest(CamelModel):
    type: StrictStr = Field(description="The event type, which is also its routing key.", max_length=200)
    source: StrictStr = Field(
        description="The producing system, e.g. `legacy-erp`.", min_length=1, max_length=100
    )
    data: dict[str, Any] = Field(description="The payload; validated against the type's schema.")
    id: StrictStr | None = Field(
        default=None, min_length=1, max_length=100, description="Defaults to a uuid4."
    )


class Published(CamelModel):
    id: str
    type: str


class DeadLetterPublic(CamelModel):
    queue: str
    event_id: str
    type: str
    attempts: int
    error: str
    failed_at: datetime


class Replayed(CamelModel):
    queue: str
    replayed: int
