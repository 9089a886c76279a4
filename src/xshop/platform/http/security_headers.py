"""Security headers every response carries (issue 7): no MIME sniffing, no referrer, no framing, and a
Content-Security-Policy that fits what the response is."""

from starlette.datastructures import MutableHeaders

# Pages are server-rendered with their scripts and styles served by the shop itself: nothing inline,
# nothing from elsewhere.
HTML_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
# JSON, problem+json, Prometheus text: nothing in them is ever meant to load or run.
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
# FastAPI's /docs and /redoc pages load Swagger UI / ReDoc from jsDelivr and start them with an inline
# script; they show only the OpenAPI document, never user data, so only they get this looser policy.
DOCS_POLICY = (
    "default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
    "https://cdn.redoc.ly; connect-src 'self'; worker-src blob:; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'none'"
)

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def policy_for(content_type: str, *, docs_page: bool) -> str:
    if docs_page:
        return DOCS_POLICY
    return HTML_POLICY if content_type.startswith("text/html") else API_POLICY


def add_security_headers(headers: MutableHeaders, *, docs_page: bool) -> None:
    """Headers a route set itself win: a page with its own (stricter, nonce-based) policy keeps it."""
    for name, value in COMMON.items():
        headers.setdefault(name, value)
    headers.setdefault(
        "Content-Security-Policy", policy_for(headers.get("content-type", ""), docs_page=docs_page)
    )
