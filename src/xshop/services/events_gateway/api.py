"""HTTP routes of the events gateway. Publishing needs the API key; the dead-letter routes take the
API key (operators' scripts) or an admin's access token (the back office, through the BFF, so the BFF
never holds the key)."""

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from sqlalchemy.exc import IntegrityError

from xshop.platform.errors import ProblemError
from xshop.platform.http.principal import access_token_of, current_admin, current_principal
from xshop.services.events_gateway.asyncapi import asyncapi_document
from xshop.services.events_gateway.schemas import DeadLetterPublic, Published, PublishRequest, Replayed
from xshop.services.events_gateway.service import EventsGateway

router = APIRouter(tags=["events"])
_KEY_ERRORS = {401: {"description": "`INVALID_API_KEY`"}, 403: {"description": "`PUBLISHING_DISABLED`"}}


def _gateway(request: Request) -> EventsGateway:
    return request.app.state.events


def _api_key(request: Request, x_api_key: Annotated[str | None, Header()] = None) -> None:
    expected = request.app.state.settings.events_api_key
    if expected is None:
        raise ProblemError(
            403, "PUBLISHING_DISABLED", "Set XSHOP_EVENTS_API_KEY to enable the events gateway."
        )
    if not x_api_key or not secrets.compare_digest(x_api_key.encode(), expected.get_secret_value().encode()):
        raise ProblemError(401, "INVALID_API_KEY", "A valid X-API-Key header is required.")


async def _operator(request: Request, x_api_key: Annotated[str | None, Header()] = None) -> None:
    if x_api_key is not None or not access_token_of(request):
        _api_key(request, x_api_key)
        return
    await current_admin(await current_principal(request))


Gateway = Annotated[EventsGateway, Depends(_gateway)]
ApiKey = Depends(_api_key)
Operator = Depends(_operator)
_OPERATOR_ERRORS = {
    401: {"description": "`INVALID_API_KEY`, or `INVALID_TOKEN` for a bad access token"},
    403: {"description": "`FORBIDDEN` (the token lacks the admin role) or `PUBLISHING_DISABLED`"},
}


@router.post(
    "/api/v1/publish",
    status_code=202,
    response_model=Published,
    dependencies=[ApiKey],
    responses={
        **_KEY_ERRORS,
        400: {"description": "`UNKNOWN_EVENT_TYPE` or `VALIDATION_FAILED` (fields under `data.`)"},
        409: {"description": "`EVENT_EXISTS`: an event with this id was already accepted"},
    },
)
async def publish(body: PublishRequest, events: Gateway) -> Published:
    """Validate an event against its type's schema and publish it (through the outbox)."""
    try:
        envelope = await events.publish(body)
    except IntegrityError as exc:
        raise ProblemError(409, "EVENT_EXISTS", "An event with this id was already accepted.") from exc
    return Published(id=envelope.id, type=envelope.type)


@router.get(
    "/api/v1/dlq", response_model=list[DeadLetterPublic], dependencies=[Operator], responses=_OPERATOR_ERRORS
)
async def list_dead_letters(events: Gateway) -> list[DeadLetterPublic]:
    return [
        DeadLetterPublic(
            queue=d.queue,
            event_id=d.event.id,
            type=d.event.type,
            attempts=d.attempts,
            error=d.error,
            failed_at=d.failed_at,
        )
        for d in await events.dead_letters()
    ]


@router.post(
    "/api/v1/dlq/{queue}/replay",
    response_model=Replayed,
    dependencies=[Operator],
    responses={**_OPERATOR_ERRORS, 404: {"description": "`NOT_FOUND`: no such queue"}},
)
async def replay_dead_letters(queue: str, events: Gateway) -> Replayed:
    return Replayed(queue=queue, replayed=await events.replay(queue))


@router.get("/asyncapi.json", summary="The AsyncAPI 3.0 document, generated from the event models.")
async def asyncapi(request: Request) -> dict[str, Any]:
    return asyncapi_document(request.app.state.settings.host)
