"""``/bff/*`` on the web UI's own origin, passed to the gateway unchanged.

Same origin for the browser, so the BFF's SameSite=Strict cookies and the ``X-CSRF-Token`` double
submit work exactly as DESIGN §6 describes, with no CORS. The two links emails carry
(``/bff/auth/email/verify`` and ``/bff/auth/password/reset``) open the matching page when a browser
follows them, and stay JSON for API clients.
"""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from xshop.web.bff import browser_headers

router = APIRouter(include_in_schema=False)
_REQUEST_HEADERS = (
    "accept",
    "authorization",
    "content-type",
    "cookie",
    "idempotency-key",
    "if-none-match",
    "x-csrf-token",
)
_RESPONSE_HEADERS = (
    "content-type",
    "etag",
    "cache-control",
    "retry-after",
    "www-authenticate",
    "location",
    "idempotent-replayed",
)
_EMAIL_LINKS = {"auth/email/verify": "/verify-email", "auth/password/reset": "/reset-password"}


def _wants_page(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


@router.api_route("/bff/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
async def to_gateway(path: str, request: Request) -> Response:
    page = _EMAIL_LINKS.get(path)
    if page is not None and request.method == "GET" and _wants_page(request):
        query = request.url.query
        return RedirectResponse(page + (f"?{query}" if query else ""), status_code=303)
    headers = browser_headers(request)
    headers.update({name: request.headers[name] for name in _REQUEST_HEADERS if name in request.headers})
    upstream = await request.app.state.bff.request(
        request.method,
        f"/bff/{path}",
        params=request.query_params.multi_items(),
        content=await request.body(),
        headers=headers,
    )
    response = Response(upstream.content, status_code=upstream.status_code)
    for name in _RESPONSE_HEADERS:
        if name in upstream.headers:
            response.headers[name] = upstream.headers[name]
    for cookie in upstream.headers.get_list("set-cookie"):
        response.headers.append("set-cookie", cookie)
    return response
