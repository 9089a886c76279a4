"""The CloudEvents 1.0 envelope every event travels in (DESIGN §7)."""

import uuid
from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from xshop.platform.clock import utcnow


class CloudEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    specversion: str = "1.0"
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    source: str
    type: str
    time: datetime = Field(default_factory=utcnow)
    datacontenttype: str = "application/json"
    correlationid: str | None = None
    data: dict[str, Any]


class EventData(BaseModel):
    """Base of every event payload: camelCase on the wire, ``event_type`` is the routing key."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)
    event_type: ClassVar[str]

    def to_data(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)
