"""Rendering pages: the Jinja2 environment, the page context every template gets, redirects to
sign-in, and error pages. Page modules use ``render`` and ``signed_in``; nothing here knows a route."""

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
from fastapi import Request
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from xshop.web.bff import Visit

HERE = Path(__file__).parent
TEMPLATES = Jinja2Templates(directory=HERE / "templates")
SHOP_NAME = "xshop"
STOCK_LABELS = {
    "in_stock": "In stock",
    "low_stock": "Only a few left",
    "out_of_stock": "Out of stock",
    "unavailable": "Unavailable",
}
TEMPLATES.env.globals.update(shop_name=SHOP_NAME, stock_labels=STOCK_LABELS)


def _money(value: Any, currency: str | None = None) -> str:
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency or "", "")
    return f"{symbol}{value}" if symbol else f"{value} {currency or ''}".strip()


TEMPLATES.env.filters["money"] = _money


class SignInRequired(Exception):
    """Raised by ``signed_in``; the app turns it into a redirect to /login?next=<this page>."""

    def __init__(self, visit: Visit) -> None:
        super().__init__("sign-in required")
        self.visit = visit


class PageFailed(Exception):
    """The BFF answered a page's call with an error the page cannot show as content."""

    def __init__(self, visit: Visit, status: int, detail: str) -> None:
        super().__init__(detail)
        self.visit = visit
        self.status = status
        self.detail = detail


async def signed_in(visit: Visit, *, role: str | None = None) -> dict[str, Any]:
    """The user, or ``SignInRequired``; with ``role``, a user without it gets a 403 page."""
    user = await visit.user()
    if user is None:
        raise SignInRequired(visit)
    if role is not None and role not in user.get("roles", []):
        raise PageFailed(visit, 403, "This page is for administrators only.")
    return user


def checked(visit: Visit, response: httpx.Response, *, ok: tuple[int, ...] = (200,)) -> Any:
    """The JSON of a BFF answer the page needs; a 401 (after the refresh) means sign in again."""
    if response.status_code in ok:
        return response.json()
    if response.status_code == 401:
        raise SignInRequired(visit)
    raise PageFailed(visit, response.status_code, problem_detail(response))


def problem_detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if isinstance(body, dict) and body.get("detail"):
        return str(body["detail"])
    return "Something went wrong. Please try again."


async def render(
    request: Request, visit: Visit, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> Response:
    values = {"user": await visit.user(), "path": request.url.path} | (context or {})
    response = TEMPLATES.TemplateResponse(request, template, values, status_code=status)
    return visit.hand_back(response)


def login_redirect(request: Request, visit: Visit) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = "/login?" + urlencode({"next": target})
    return visit.hand_back(RedirectResponse(location, status_code=303))


def error_page(request: Request, status: int, detail: str, visit: Visit | None = None) -> Response:
    context = {"status": status, "detail": detail, "user": None, "path": request.url.path}
    response: Response = TEMPLATES.TemplateResponse(request, "error.html", context, status_code=status)
    return visit.hand_back(response) if visit is not None else response


def safe_next(value: str | None) -> str:
    """Only paths on this site: ``next=//evil.example`` or a full URL would be an open redirect."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def page_links(page: dict[str, Any], request: Request) -> dict[str, str | None]:
    """Previous/next links that keep the page's other query parameters."""

    def link(number: int) -> str:
        query = dict(request.query_params) | {"page": str(number)}
        return request.url.path + "?" + urlencode(query, quote_via=quote)

    number = int(page.get("page", 1))
    return {
        "previous": link(number - 1) if page.get("hasPrevious") else None,
        "next": link(number + 1) if page.get("hasNext") else None,
    }
