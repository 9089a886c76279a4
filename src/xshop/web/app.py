"""Composition of the web UI: server-rendered pages and ``/bff/*`` passed to the gateway.

It owns no data and talks only to the BFF, through the unit's connection to the gateway (in process
in embedded mode, HTTP in distributed mode). How to add a page: README.md next to this file.
"""

import logging

import httpx
from fastapi import Request
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from xshop.platform.events.bus import EventBus
from xshop.platform.http.problems import problem_response
from xshop.platform.service_unit import Connect, ServiceUnit, build_unit
from xshop.platform.settings import Settings
from xshop.web import account_pages, admin_pages, auth_pages, order_pages, proxy, shop_pages
from xshop.web.pages import HERE, PageFailed, SignInRequired, error_page, login_redirect

log = logging.getLogger("xshop.web")
PAGE_ROUTERS = (
    shop_pages.router,
    auth_pages.router,
    account_pages.router,
    order_pages.router,
    admin_pages.router,
)
_NOT_FOUND = "There is no page here. It may have moved, or the link may be mistyped."


def build(settings: Settings, bus: EventBus, connect: Connect) -> ServiceUnit:
    unit = build_unit(
        "web",
        settings,
        bus,
        title="xshop web UI",
        description="Server-rendered pages for customers and admins; /bff/* is passed to the gateway.",
    )
    app = unit.app
    gateway_http = connect("gateway")
    app.state.bff = gateway_http
    unit.on_close.append(gateway_http.aclose)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(proxy.router)
    for router in PAGE_ROUTERS:
        app.include_router(router)
    app.add_exception_handler(SignInRequired, _sign_in)
    app.add_exception_handler(PageFailed, _page_failed)
    app.add_exception_handler(httpx.HTTPError, _gateway_down)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    return unit


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(("/bff/", "/static/", "/health", "/metrics"))


async def _sign_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    return login_redirect(request, exc.visit)


async def _page_failed(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageFailed)
    return error_page(request, exc.status, exc.detail, exc.visit)


async def _gateway_down(request: Request, exc: Exception) -> Response:
    log.warning("the gateway did not answer %s: %s", request.url.path, type(exc).__name__)
    detail = "The shop is unavailable right now. Please try again in a moment."
    if _is_api(request):
        return problem_response(503, "GATEWAY_UNAVAILABLE", detail)
    return error_page(request, 503, detail)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Pages get an HTML error page; ``/bff``, static files and health keep problem+json."""
    assert isinstance(exc, StarletteHTTPException)
    if _is_api(request):
        return problem_response(
            exc.status_code, "NOT_FOUND" if exc.status_code == 404 else "HTTP_ERROR", str(exc.detail)
        )
    detail = _NOT_FOUND if exc.status_code == 404 else str(exc.detail)
    return error_page(request, exc.status_code, detail)
