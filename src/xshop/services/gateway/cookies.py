"""The session cookies of DESIGN §6: jwt and refreshToken HttpOnly, csrfToken readable by JS."""

from datetime import datetime
from typing import Any

from fastapi import Response

from xshop.platform.clock import utcnow
from xshop.platform.http.principal import ACCESS_COOKIE

REFRESH_COOKIE = "refreshToken"
CSRF_COOKIE = "csrfToken"


def _max_age(expires_at: str) -> int:
    return max(0, int((datetime.fromisoformat(expires_at) - utcnow()).total_seconds()))


def set_session_cookies(response: Response, session: dict[str, Any], *, secure: bool) -> None:
    """A refresh answer carries the CSRF token it was given (the session keeps one): re-set, its
    cookie lives as long as the new refresh token."""
    common: dict[str, Any] = {"samesite": "strict", "secure": secure, "path": "/"}
    response.set_cookie(
        ACCESS_COOKIE,
        session["accessToken"],
        max_age=_max_age(session["accessTokenExpiresAt"]),
        httponly=True,
        **common,
    )
    refresh_age = _max_age(session["refreshTokenExpiresAt"])
    response.set_cookie(REFRESH_COOKIE, session["refreshToken"], max_age=refresh_age, httponly=True, **common)
    if session.get("csrfToken"):
        response.set_cookie(CSRF_COOKIE, session["csrfToken"], max_age=refresh_age, httponly=False, **common)


def clear_session_cookies(response: Response, *, secure: bool) -> None:
    for name, httponly in ((ACCESS_COOKIE, True), (REFRESH_COOKIE, True), (CSRF_COOKIE, False)):
        response.delete_cookie(name, path="/", secure=secure, httponly=httponly, samesite="strict")
