"""Use cases of the events gateway: accept events from outside producers; operate dead letters."""

from pydantic import ValidationError

from xshop.contracts.events import EVENT_MODELS
from xshop.contracts.queues import DURABLE_QUEUES
from xshop.platform.context import ensure_correlation_id
from xshop.platform.db import Database
from xshop.platform.errors import FieldError, ProblemError, not_found, validation_failed
from xshop.platform.events.bus import DeadLetter, EventBus
from xshop.platform.events.envelope import CloudEvent
from xshop.platform.events.outbox import Outbox
from xshop.services.events_gateway.schemas import PublishRequest


class EventsGateway:
    def __init__(self, db: Database, outbox: Outbox, bus: EventBus) -> None:
        self.db = db
        self.outbox = outbox
        self.bus = bus

    async def publish(self, request: PublishRequest) -> CloudEvent:
        model = EVENT_MODELS.get(request.type)
        if model is None:
            raise ProblemError(400, "UNKNOWN_EVENT_TYPE", f"No event type {request.type!r} is defined.")
        try:
            data = model.model_validate(request.data).to_data()
        except ValidationError as exc:
            raise validation_failed(
                [
                    FieldError(".".join(["data", *map(str, e["loc"])]), e["type"], e["msg"])
                    for e in exc.errors(include_input=False)
                ]
            ) from None
        envelope = CloudEvent(
            source=request.source, type=request.type, data=data, correlationid=ensure_correlation_id()
        )
        if request.id:
            envelope = envelope.model_copy(update={"id": request.id})
        async with self.db.transaction() as session:
            await self.outbox.add_envelopes(session, envelope)
        return envelope

    async def queues(self) -> list[str]:
        """Every service's queue, and any other this bus knows of (the embedded bus knows them all)."""
        return sorted({*DURABLE_QUEUES, *await self.bus.queues()})

    async def dead_letters(self) -> list[DeadLetter]:
        return [letter for queue in await self.queues() for letter in await self.bus.dead_letters(queue)]

    async def replay(self, queue: str) -> int:
        if queue not in await self.queues():
            raise not_found("Queue")
        return await self.bus.replay(queue)
