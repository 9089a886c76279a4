"""BFF routes of the back office's logs: the audit trail and the email log. The BFF checks the admin
role, then calls the service with the admin's own token (the service checks the role again)."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Request, Response

from xshop.platform.http.principal import CurrentAdmin
from xshop.services.gateway.backoffice_clients import AuditClient, NotificationsClient
from xshop.services.gateway.catalog_routes import passed_on, query_parameters
from xshop.services.gateway.forwarding import caller_of
from xshop.services.gateway.orders_routes import PAGE_PARAMETERS, passed_through

router = APIRouter(prefix="/bff/admin", tags=["back office"])

AUDIT_FILTERS = PAGE_PARAMETERS | {
    "userId": "The user the record is about (or who acted)",
    "email": "The user's email address, any letter case",
    "eventType": "e.g. `auth.login.failed`",
    "action": "e.g. `LOGIN_FAILED`",
    "correlationId": "Every record of one request or flow",
    "ipAddress": "The client's address",
    "success": "`true` or `false`",
    "from": "ISO 8601 date-time, inclusive (UTC without an offset)",
    "to": "ISO 8601 date-time, inclusive; not before `from`",
}
EMAIL_FILTERS = PAGE_PARAMETERS | {
    "to": "The recipient's address",
    "type": "e.g. `email-verification`, `order-confirmation`",
    "status": "`pending`, `sent` or `failed`",
    "correlationId": "The emails of one request or flow",
}
AUTH_ERRORS = {
    401: {"description": "`UNAUTHENTICATED` or `INVALID_TOKEN`"},
    403: {"description": "`FORBIDDEN`: the admin role is needed"},
}
_INVALID = {400: {"description": "`VALIDATION_FAILED`: a bad filter, page or page size"}}
LogId = Annotated[str, Path(min_length=1, max_length=64)]


def _audit(request: Request) -> AuditClient:
    return request.app.state.audit_client


def _notifications(request: Request) -> NotificationsClient:
    return request.app.state.notifications_client


Audit = Annotated[AuditClient, Depends(_audit)]
Notifications = Annotated[NotificationsClient, Depends(_notifications)]


@router.get(
    "/audit",
    openapi_extra=query_parameters(AUDIT_FILTERS),
    responses={200: {"description": "A page of audit records, newest first"}}
    | _INVALID
    | AUTH_ERRORS
    | {503: {"description": "`AUDIT_SERVICE_UNAVAILABLE`"}},
)
async def search_audit(request: Request, admin: CurrentAdmin, audit: Audit) -> Response:
    """Search the audit trail; every filter given must match."""
    params = passed_on(request, AUDIT_FILTERS)
    return passed_through(await audit.call("GET", "/api/audit/logs", caller_of(request), params=params))


@router.get(
    "/audit/{log_id}",
    responses={404: {"description": "`NOT_FOUND`"}}
    | AUTH_ERRORS
    | {503: {"description": "`AUDIT_SERVICE_UNAVAILABLE`"}},
)
async def get_audit_record(log_id: LogId, request: Request, admin: CurrentAdmin, audit: Audit) -> Response:
    path = f"/api/audit/logs/{quote(log_id, safe='')}"
    return passed_through(await audit.call("GET", path, caller_of(request)))


@router.get(
    "/emails",
    openapi_extra=query_parameters(EMAIL_FILTERS),
    responses={200: {"description": "A page of email logs with their delivery attempts, newest first"}}
    | _INVALID
    | AUTH_ERRORS
    | {503: {"description": "`NOTIFICATIONS_SERVICE_UNAVAILABLE`"}},
)
async def list_emails(request: Request, admin: CurrentAdmin, notifications: Notifications) -> Response:
    params = passed_on(request, EMAIL_FILTERS)
    path = "/api/notifications/email-logs"
    return passed_through(await notifications.call("GET", path, caller_of(request), params=params))
