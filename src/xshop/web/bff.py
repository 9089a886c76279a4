"""How pages talk to the BFF: as the browser that asked for the page, with its cookies.

A ``Visit`` is one page request's conversation with the gateway. The browser's cookies go along;
cookies the BFF sets (a refreshed session, a cleared one) are kept for the following calls and handed
back to the browser with the page. An expired access token is refreshed once, quietly (DESIGN §6).
"""

from http.cookies import CookieError, SimpleCookie
from typing import Annotated, Any

import httpx
from fastapi import Depends, Request
from starlette.responses import Response

from xshop.platform.context import correlation_id
from xshop.platform.http.middleware import CORRELATION_HEADER

ACCESS_COOKIE = "jwt"
REFRESH_COOKIE = "refreshToken"
CSRF_COOKIE = "csrfToken"
CSRF_HEADER = "X-CSRF-Token"
_PASSED_ON = ("user-agent", "accept-language")


class Visit:
    def __init__(self, http: httpx.AsyncClient, request: Request) -> None:
        self.http = http
        self.request = request
        self.cookies: dict[str, str] = dict(request.cookies)
        self.set_cookies: list[str] = []
        self._refreshed = False
        self._user: dict[str, Any] | None = None
        self._user_loaded = False

    @property
    def has_session(self) -> bool:
        return ACCESS_COOKIE in self.cookies or REFRESH_COOKIE in self.cookies

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """One BFF call; on 401 the session is refreshed once and the call repeated."""
        response = await self._send(method, path, params=params, json=json, headers=headers)
        if response.status_code == 401 and await self.refresh():
            response = await self._send(method, path, params=params, json=json, headers=headers)
        return response

    async def refresh(self) -> bool:
        if self._refreshed or REFRESH_COOKIE not in self.cookies:
            return False
        self._refreshed = True
        csrf = {CSRF_HEADER: self.cookies.get(CSRF_COOKIE, "")}
        response = await self._send("POST", "/bff/auth/refresh", headers=csrf)
        return response.is_success

    async def user(self) -> dict[str, Any] | None:
        """The signed-in user (``/bff/auth/me``), or None; asked at most once per page."""
        if not self._user_loaded:
            self._user_loaded = True
            if self.has_session:
                response = await self.call("GET", "/bff/auth/me")
                self._user = response.json() if response.status_code == 200 else None
        return self._user

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sent = browser_headers(self.request)
        sent.update(headers or {})
        if self.cookies:
            sent["cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = await self.http.request(method, path, params=params, json=json, headers=sent)
        self._keep(response.headers.get_list("set-cookie"))
        return response

    def _keep(self, headers: list[str]) -> None:
        for header in headers:
            self.set_cookies.append(header)
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(header)
            except CookieError:
                continue
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value or morsel.value == '""':
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def hand_back(self, response: Response) -> Response:
        """Give the browser the cookies the BFF set during this visit."""
        for header in self.set_cookies:
            response.headers.append("set-cookie", header)
        return response


def browser_headers(request: Request) -> dict[str, str]:
    """What the BFF should know about the browser: its user agent and address, and the request's
    correlation id so the web UI's and the services' logs line up."""
    headers = {name: request.headers[name] for name in _PASSED_ON if name in request.headers}
    if request.client is not None:
        headers["x-forwarded-for"] = request.client.host
    cid = correlation_id.get()
    if cid:
        headers[CORRELATION_HEADER] = cid
    return headers


def visit_of(request: Request) -> Visit:
    return Visit(request.app.state.bff, request)


VisitDep = Annotated[Visit, Depends(visit_of)]
