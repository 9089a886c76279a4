"""Admin log pages: audit search, the email log and the dead letters."""

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from xshop.web.bff import Visit, VisitDep
from xshop.web.pages import checked, page_links, render, signed_in

router = APIRouter(include_in_schema=False)
AUDIT_FILTERS = ("userId", "email", "eventType", "correlationId", "ipAddress", "from", "to", "page")
EMAIL_FILTERS = ("to", "status", "type", "correlationId", "page")
EMAIL_STATUSES = ("pending", "sent", "failed")


async def _search(
    request: Request, visit: Visit, path: str, allowed: tuple[str, ...]
) -> tuple[dict[str, Any], dict[str, str], dict[str, Any] | None]:
    """A page of results, the filters as typed, and the BFF's problem when a filter was refused."""
    wanted = {k: v.strip() for k, v in request.query_params.items() if k in allowed and v.strip()}
    answer = await visit.call("GET", path, params=wanted | {"pageSize": "25"})
    if answer.status_code == 400:
        return {"items": []}, wanted, answer.json()
    return checked(visit, answer), wanted, None


@router.get("/audit")
async def audit(request: Request, visit: VisitDep) -> Response:
    await signed_in(visit, role="admin")
    found, filters, problem = await _search(request, visit, "/bff/admin/audit", AUDIT_FILTERS)
    context = {
        "page": found,
        "links": {} if problem else page_links(found, request),
        "filters": filters,
        "problem": problem,
    }
    return await render(request, visit, "admin/audit.html", context, status=400 if problem else 200)


@router.get("/emails")
async def emails(request: Request, visit: VisitDep) -> Response:
    await signed_in(visit, role="admin")
    found, filters, problem = await _search(request, visit, "/bff/admin/emails", EMAIL_FILTERS)
    context = {
        "page": found,
        "links": {} if problem else page_links(found, request),
        "filters": filters,
        "problem": problem,
        "statuses": EMAIL_STATUSES,
    }
    return await render(request, visit, "admin/emails.html", context, status=400 if problem else 200)


@router.get("/dead-letters")
async def dead_letters(request: Request, visit: VisitDep) -> Response:
    await signed_in(visit, role="admin")
    letters = checked(visit, await visit.call("GET", "/bff/admin/dead-letters"))
    queues = sorted({letter["queue"] for letter in letters})
    return await render(request, visit, "admin/dead_letters.html", {"letters": letters, "queues": queues})
