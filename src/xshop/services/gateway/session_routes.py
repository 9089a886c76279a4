"""BFF routes for signing in and out: the session lives in cookies (DESIGN §6)."""

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from xshop.platform.errors import ProblemError
from xshop.platform.http.problems import problem_response
from xshop.services.gateway.api import masked
from xshop.services.gateway.clients import AuthClient
from xshop.services.gateway.cookies import REFRESH_COOKIE, clear_session_cookies, set_session_cookies
from xshop.services.gateway.csrf import csrf_pair
from xshop.services.gateway.forwarding import auth_of, caller_of, secure_cookies
from xshop.services.gateway.schemas import LoginBody, SessionResult

router = APIRouter(prefix="/bff/auth", tags=["bff"])
log = logging.getLogger("xshop.gateway")
Auth = Annotated[AuthClient, Depends(auth_of)]
_CSRF = {403: {"description": "`CSRF_FAILED`: `X-CSRF-Token` missing, not the cookie, or another session's"}}


@router.post(
    "/login",
    response_model=SessionResult,
    responses={
        400: {"description": "`VALIDATION_FAILED`"},
        401: {"description": "`INVALID_CREDENTIALS` (unknown email and wrong password alike)"},
        403: {"description": "`ACCOUNT_DISABLED`"},
        429: {"description": "`TOO_MANY_ATTEMPTS`, with `Retry-After` in seconds"},
        503: {"description": "`AUTH_SERVICE_UNAVAILABLE` or `USER_SERVICE_UNAVAILABLE`"},
    },
)
async def login(body: LoginBody, request: Request, response: Response, auth: Auth) -> SessionResult:
    """Sign in: sets the `jwt`, `refreshToken` and `csrfToken` cookies; no CSRF token needed."""
    log.info("login attempt for %s", masked(body.email))
    answer = await auth.login(body.model_dump(by_alias=True), caller_of(request))
    set_session_cookies(response, answer["session"], secure=secure_cookies(request))
    return SessionResult.of(answer)


@router.post(
    "/refresh",
    response_model=SessionResult,
    responses=_CSRF
    | {
        401: {
            "description": "`UNAUTHENTICATED` (no cookie), `REFRESH_INVALID`, `REFRESH_EXPIRED`, "
            "`REFRESH_REUSED`; the cookies are cleared"
        },
    },
)
async def refresh(request: Request, response: Response, auth: Auth) -> SessionResult | JSONResponse:
    """Rotate the refresh cookie and get a new access token; the CSRF token stays the same."""
    refresh_token = request.cookies.get(REFRESH_COOKIE)
    if not refresh_token:
        raise ProblemError(401, "UNAUTHENTICATED", "There is no session to refresh. Sign in.")
    csrf_token = csrf_pair(request)
    try:
        answer = await auth.refresh(refresh_token, csrf_token)
    except ProblemError as exc:
        if exc.status != 401 and exc.code != "ACCOUNT_DISABLED":
            raise
        ended = problem_response(exc.status, exc.code, exc.detail, headers=exc.headers)
        clear_session_cookies(ended, secure=secure_cookies(request))
        return ended
    set_session_cookies(response, answer["session"], secure=secure_cookies(request))
    return SessionResult.of(answer)


@router.post("/logout", status_code=204, responses=_CSRF)
async def logout(request: Request, auth: Auth) -> Response:
    """End the session (its whole refresh family) and clear the cookies."""
    refresh_token = request.cookies.get(REFRESH_COOKIE)
    if refresh_token:
        await auth.logout(refresh_token, csrf_pair(request))
    response = Response(status_code=204)
    clear_session_cookies(response, secure=secure_cookies(request))
    return response


@router.get("/me", responses={401: {"description": "`UNAUTHENTICATED` or `INVALID_TOKEN`"}})
async def me(request: Request, auth: Auth) -> dict[str, object]:
    """The signed-in user (cookie or Bearer)."""
    return dict(await auth.me(caller_of(request)))
