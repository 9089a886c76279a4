"""Auth routes for signing in and out. API clients use these with Bearer tokens; the BFF turns the
session into cookies."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from xshop.platform.http.principal import CurrentPrincipal
from xshop.services.auth.account_service import AccountService
from xshop.services.auth.api import client_info
from xshop.services.auth.schemas import LoginRequest, RefreshRequest, SessionResponse, UserRecord
from xshop.services.auth.session_service import SessionService

router = APIRouter(prefix="/api/auth", tags=["auth"])
_SIGNED_IN = {401: {"description": "`UNAUTHENTICATED` or `INVALID_TOKEN`"}}
_CSRF = {403: {"description": "`CSRF_FAILED`: `csrfToken` given but not this session's"}}


def _sessions(request: Request) -> SessionService:
    return request.app.state.sessions


def _accounts(request: Request) -> AccountService:
    return request.app.state.accounts


Sessions = Annotated[SessionService, Depends(_sessions)]
Accounts = Annotated[AccountService, Depends(_accounts)]


@router.post(
    "/login",
    response_model=SessionResponse,
    responses={
        400: {"description": "`VALIDATION_FAILED` (e.g. a password over 72 bytes)"},
        401: {"description": "`INVALID_CREDENTIALS`: unknown email or wrong password, alike"},
        403: {"description": "`ACCOUNT_DISABLED`"},
        429: {"description": "`TOO_MANY_ATTEMPTS`, with `Retry-After`"},
        503: {"description": "`USER_SERVICE_UNAVAILABLE`"},
    },
)
async def login(body: LoginRequest, request: Request, sessions: Sessions) -> SessionResponse:
    """Check the password and open a session: access token, refresh token, CSRF token."""
    return await sessions.login(body.email, body.password, client_info(request))


@router.post(
    "/refresh",
    response_model=SessionResponse,
    responses={
        401: {"description": "`REFRESH_INVALID`, `REFRESH_EXPIRED` or `REFRESH_REUSED` (family revoked)"},
        403: {"description": "`CSRF_FAILED` or `ACCOUNT_DISABLED`"},
    },
)
async def refresh(body: RefreshRequest, sessions: Sessions) -> SessionResponse:
    """Spend the refresh token for a new one and a new access token (with current roles)."""
    return await sessions.refresh(body.refresh_token, body.csrf_token)


@router.post("/logout", status_code=204, responses=_CSRF)
async def logout(body: RefreshRequest, sessions: Sessions) -> Response:
    """End the refresh token's session (its whole family). Unknown tokens: 204 all the same."""
    await sessions.logout(body.refresh_token, body.csrf_token)
    return Response(status_code=204)


@router.get("/me", response_model=UserRecord, responses=_SIGNED_IN)
async def me(principal: CurrentPrincipal, accounts: Accounts) -> UserRecord:
    return await accounts.me(principal)
