"""BFF routes for passwords and the signed-in user's own account."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from xshop.services.gateway.clients import AuthClient
from xshop.services.gateway.cookies import clear_session_cookies, set_session_cookies
from xshop.services.gateway.csrf import CsrfChecked
from xshop.services.gateway.forwarding import auth_of, caller_of, secure_cookies
from xshop.services.gateway.schemas import (
    EmailBody,
    Message,
    PasswordBody,
    PasswordChangeBody,
    PasswordResetBody,
    ProfileBody,
    ResetLinkStatus,
    SessionResult,
)

router = APIRouter(prefix="/bff", tags=["bff"])
Auth = Annotated[AuthClient, Depends(auth_of)]
_SIGNED_IN = {
    401: {"description": "`UNAUTHENTICATED` or `INVALID_TOKEN`"},
    403: {"description": "`CSRF_FAILED` (cookie sessions)"},
}
_TOKEN = {
    400: {"description": "`TOKEN_INVALID` (also once the password changed), `TOKEN_USED`, `TOKEN_EXPIRED`"}
}


@router.post("/auth/password/forgot", status_code=202, response_model=Message)
async def forgot_password(body: EmailBody, request: Request, auth: Auth) -> Message:
    """Always 202 with the same body; a reset link is mailed only to an existing active account."""
    return Message.model_validate(await auth.forgot_password(body.email, caller_of(request)))


@router.get("/auth/password/reset", response_model=ResetLinkStatus, responses=_TOKEN)
async def check_reset_link(
    auth: Auth, token: Annotated[str, Query(min_length=1, max_length=200)]
) -> ResetLinkStatus:
    """Where the emailed link points: says whether it still works (a UI page will take over)."""
    return ResetLinkStatus.model_validate(await auth.check_reset_link(token))


@router.post(
    "/auth/password/reset",
    response_model=Message,
    responses={400: {"description": "`TOKEN_*` or `VALIDATION_FAILED` (new password)"}},
)
async def reset_password(body: PasswordResetBody, request: Request, auth: Auth) -> Message:
    """Set a new password with the emailed token; every session of the account ends."""
    answer = await auth.reset_password(body.model_dump(by_alias=True), caller_of(request))
    return Message.model_validate(answer)


@router.post(
    "/auth/password/change",
    response_model=SessionResult,
    responses=_SIGNED_IN
    | {
        400: {"description": "`INVALID_CURRENT_PASSWORD`, `PASSWORD_UNCHANGED`, `VALIDATION_FAILED`"},
        429: {"description": "`TOO_MANY_ATTEMPTS`, with `Retry-After`"},
    },
)
async def change_password(
    body: PasswordChangeBody, request: Request, response: Response, auth: Auth, _: CsrfChecked
) -> SessionResult:
    """Every other session ends; this one continues with new cookies (and a new CSRF token)."""
    answer = await auth.change_password(body.model_dump(by_alias=True), caller_of(request))
    set_session_cookies(response, answer["session"], secure=secure_cookies(request))
    return SessionResult.of(answer)


@router.get("/account", responses={401: _SIGNED_IN[401]})
async def get_account(request: Request, auth: Auth) -> dict[str, Any]:
    return dict(await auth.me(caller_of(request)))


@router.patch(
    "/account",
    responses=_SIGNED_IN
    | {400: {"description": "`VALIDATION_FAILED`"}, 409: {"description": "`EMAIL_EXISTS`"}},
)
async def update_account(body: ProfileBody, request: Request, auth: Auth, _: CsrfChecked) -> dict[str, Any]:
    """Names, phone (`null` clears it), email (unverified again; a verification email is sent)."""
    changes = body.model_dump(by_alias=True, exclude_unset=True)
    return dict(await auth.update_account(changes, caller_of(request)))


@router.delete(
    "/account",
    status_code=204,
    responses=_SIGNED_IN
    | {
        400: {"description": "`INVALID_CURRENT_PASSWORD` or `VALIDATION_FAILED`"},
        429: {"description": "`TOO_MANY_ATTEMPTS`, with `Retry-After`"},
    },
)
async def delete_account(body: PasswordBody, request: Request, auth: Auth, _: CsrfChecked) -> Response:
    """Delete your account with your current password; every session ends, the cookies are cleared."""
    await auth.delete_account(body.model_dump(by_alias=True), caller_of(request))
    response = Response(status_code=204)
    clear_session_cookies(response, secure=secure_cookies(request))
    return response
