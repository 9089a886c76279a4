"""Auth routes for passwords: forgot, reset with the emailed link, change when signed in."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from xshop.platform.http.principal import CurrentPrincipal
from xshop.services.auth.api import client_info
from xshop.services.auth.password_service import PasswordService
from xshop.services.auth.schemas import (
    MessageResponse,
    PasswordChangeRequest,
    PasswordForgotRequest,
    PasswordResetRequest,
    ResetLinkStatus,
    SessionResponse,
    TokenText,
)

router = APIRouter(prefix="/api/auth/password", tags=["auth"])

FORGOT_ACCEPTED = "If that address belongs to an account, a link to reset its password is on its way."
_TOKEN_ERRORS = {
    400: {"description": "`TOKEN_INVALID` (also once the password changed), `TOKEN_USED`, `TOKEN_EXPIRED`"}
}


def _passwords(request: Request) -> PasswordService:
    return request.app.state.passwords


Passwords = Annotated[PasswordService, Depends(_passwords)]


@router.post("/forgot", status_code=202, response_model=MessageResponse)
async def forgot_password(
    body: PasswordForgotRequest, request: Request, passwords: Passwords
) -> MessageResponse:
    """Always 202 with the same body, whether or not the address exists."""
    await passwords.forgot(body.email, client_info(request))
    return MessageResponse(message=FORGOT_ACCEPTED)


@router.get("/reset", response_model=ResetLinkStatus, responses=_TOKEN_ERRORS)
async def check_reset_link(passwords: Passwords, token: Annotated[TokenText, Query()]) -> ResetLinkStatus:
    """Whether a reset link still works (nothing is spent)."""
    expires_at = await passwords.check_reset(token)
    return ResetLinkStatus(message="This link is valid: choose a new password.", expires_at=expires_at)


@router.post(
    "/reset",
    response_model=MessageResponse,
    responses={400: {"description": "`TOKEN_*` as above, or `VALIDATION_FAILED` for the new password"}},
)
async def reset_password(
    body: PasswordResetRequest, request: Request, passwords: Passwords
) -> MessageResponse:
    """Set a new password with the emailed token; every session of the account ends."""
    await passwords.reset(body.token, body.new_password, client_info(request))
    return MessageResponse(message="Your password was changed. Sign in with the new one.")


@router.post(
    "/change",
    response_model=SessionResponse,
    responses={
        400: {"description": "`INVALID_CURRENT_PASSWORD`, `PASSWORD_UNCHANGED`, `VALIDATION_FAILED`"},
        401: {"description": "`UNAUTHENTICATED` or `INVALID_TOKEN`"},
        429: {"description": "`TOO_MANY_ATTEMPTS` (wrong current passwords), with `Retry-After`"},
    },
)
async def change_password(
    body: PasswordChangeRequest, request: Request, principal: CurrentPrincipal, passwords: Passwords
) -> SessionResponse:
    """Every session of the account ends; the answer carries a new one for this device."""
    return await passwords.change(principal, body.current_password, body.new_password, client_info(request))
