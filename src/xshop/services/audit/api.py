"""HTTP routes of the audit service: admin search over the audit trail."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from xshop.platform.errors import FieldError, validation_failed
from xshop.platform.http.principal import CurrentAdmin
from xshop.platform.pagination import Page, PageQuery
from xshop.services.audit.entries import as_utc
from xshop.services.audit.schemas import AuditFilters, AuditLogPublic
from xshop.services.audit.service import AuditService

router = APIRouter(prefix="/api/audit", tags=["audit"])

_AUTH_ERRORS = {
    401: {"description": "`UNAUTHENTICATED` or `INVALID_TOKEN`"},
    403: {"description": "`FORBIDDEN`: the admin role is needed"},
}
_TIME = "ISO 8601 date-time, inclusive; without an offset it is read as UTC."


def _service(request: Request) -> AuditService:
    return request.app.state.audit


Audit = Annotated[AuditService, Depends(_service)]


def _filters(
    user_id: Annotated[str | None, Query(alias="userId", max_length=100)] = None,
    email: Annotated[str | None, Query(max_length=254, description="Case-insensitive")] = None,
    event_type: Annotated[str | None, Query(alias="eventType", max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=200, description="e.g. `LOGIN_FAILED`")] = None,
    correlation_id: Annotated[str | None, Query(alias="correlationId", max_length=128)] = None,
    ip_address: Annotated[str | None, Query(alias="ipAddress", max_length=64)] = None,
    success: Annotated[bool | None, Query()] = None,
    start: Annotated[datetime | None, Query(alias="from", description=_TIME)] = None,
    end: Annotated[datetime | None, Query(alias="to", description=_TIME)] = None,
) -> AuditFilters:
    start = as_utc(start) if start else None
    end = as_utc(end) if end else None
    if start and end and start > end:
        raise validation_failed([FieldError("from", "invalid_range", "`from` must not be later than `to`.")])
    return AuditFilters(
        user_id=user_id,
        email=email.strip().lower() if email else None,
        event_type=event_type,
        action=action,
        correlation_id=correlation_id,
        ip_address=ip_address,
        success=success,
        start=start,
        end=end,
    )


Filters = Annotated[AuditFilters, Depends(_filters)]


@router.get(
    "/logs",
    response_model=Page[AuditLogPublic],
    responses={400: {"description": "`VALIDATION_FAILED` (bad filter, page, or `from` after `to`)"}}
    | _AUTH_ERRORS,
)
async def list_audit_logs(
    _admin: CurrentAdmin, audit: Audit, filters: Filters, page: PageQuery
) -> Page[AuditLogPublic]:
    """Search the audit trail, newest event first; every filter given must match."""
    rows, total = await audit.search(filters, page)
    items = [AuditLogPublic.model_validate(row, from_attributes=True) for row in rows]
    return Page[AuditLogPublic].of(items, page, total)


@router.get(
    "/logs/{log_id}",
    response_model=AuditLogPublic,
    responses={404: {"description": "`NOT_FOUND`"}} | _AUTH_ERRORS,
)
async def get_audit_log(log_id: str, _admin: CurrentAdmin, audit: Audit) -> AuditLogPublic:
    return AuditLogPublic.model_validate(await audit.get(log_id), from_attributes=True)
