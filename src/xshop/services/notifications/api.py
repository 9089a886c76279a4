"""HTTP routes of the notifications service: the email log, for admins."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from xshop.platform.http.principal import CurrentAdmin
from xshop.platform.pagination import Page, PageQuery
from xshop.services.notifications.models import EmailStatus
from xshop.services.notifications.schemas import EmailLogPublic
from xshop.services.notifications.service import LogFilters, NotificationsService

router = APIRouter(prefix="/api/notifications", tags=["notifications"])

_ERRORS = {
    400: {"description": "Invalid filter or paging (`VALIDATION_FAILED`, field errors in `errors`)"},
    401: {"description": "`UNAUTHENTICATED` or `INVALID_TOKEN`"},
    403: {"description": "`FORBIDDEN`: needs the admin role"},
}


def _service(request: Request) -> NotificationsService:
    return request.app.state.notifications


Notifications = Annotated[NotificationsService, Depends(_service)]


@router.get("/email-logs", response_model=Page[EmailLogPublic], responses=_ERRORS)
async def list_email_logs(
    _: CurrentAdmin,
    notifications: Notifications,
    paging: PageQuery,
    to: Annotated[str | None, Query(max_length=254, description="Recipient address")] = None,
    type_: Annotated[str | None, Query(alias="type", max_length=50, examples=["email-verification"])] = None,
    status: Annotated[EmailStatus | None, Query()] = None,
    correlation_id: Annotated[str | None, Query(alias="correlationId", max_length=128)] = None,
) -> Page[EmailLogPublic]:
    """Emails sent or attempted, newest first, each with its delivery attempts."""
    filters = LogFilters(to=to, type=type_, status=status, correlation_id=correlation_id)
    rows, total = await notifications.list_logs(filters, paging)
    return Page.of([EmailLogPublic.of(row) for row in rows], paging, total)
