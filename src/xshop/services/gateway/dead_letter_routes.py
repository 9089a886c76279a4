"""BFF routes of the dead letters: events that failed every delivery attempt, listed and replayed
through the events gateway with the admin's own token (the BFF never holds the gateway's API key)."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Request, Response

from xshop.platform.http.principal import CurrentAdmin, current_admin
from xshop.services.gateway.backoffice_clients import EventsClient
from xshop.services.gateway.backoffice_routes import AUTH_ERRORS
from xshop.services.gateway.csrf import require_csrf
from xshop.services.gateway.forwarding import caller_of
from xshop.services.gateway.orders_routes import passed_through

router = APIRouter(prefix="/bff/admin/dead-letters", tags=["back office"])
_UNAVAILABLE = {503: {"description": "`EVENTS_SERVICE_UNAVAILABLE`"}}
QueueName = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._:-]+$")]


def _events(request: Request) -> EventsClient:
    return request.app.state.events_client


Events = Annotated[EventsClient, Depends(_events)]


@router.get(
    "",
    responses={200: {"description": "`[{queue, eventId, type, attempts, error, failedAt}]`"}}
    | AUTH_ERRORS
    | _UNAVAILABLE,
)
async def list_dead_letters(request: Request, admin: CurrentAdmin, events: Events) -> Response:
    """Every consumer queue's dead letters."""
    return passed_through(await events.call("GET", "/api/v1/dlq", caller_of(request)))


@router.post(
    "/{queue}/replay",
    dependencies=[Depends(current_admin), Depends(require_csrf)],
    responses={
        200: {"description": "`{queue, replayed}`: how many dead letters went back to the queue"},
        400: {"description": "`VALIDATION_FAILED`: not a queue name"},
        403: {"description": "`FORBIDDEN` (not an admin) or `CSRF_FAILED`"},
        404: {"description": "`NOT_FOUND`: no such queue"},
    }
    | {401: AUTH_ERRORS[401]}
    | _UNAVAILABLE,
)
async def replay_dead_letters(queue: QueueName, request: Request, events: Events) -> Response:
    """Put a queue's dead letters back on it, to be consumed again."""
    path = f"/api/v1/dlq/{quote(queue, safe='')}/replay"
    return passed_through(await events.call("POST", path, caller_of(request)))
