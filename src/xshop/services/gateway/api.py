"""BFF routes: correlation id (middleware), logging without secrets, proxy to services, cookies."""

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from xshop.services.gateway.clients import AuthClient
from xshop.services.gateway.cookies import set_session_cookies
from xshop.services.gateway.schemas import EmailBody, Message, RegisterBody, RegisterResult, VerifyResult

router = APIRouter(prefix="/bff", tags=["bff"])
log = logging.getLogger("xshop.gateway")


def _auth(request: Request) -> AuthClient:
    return request.app.state.auth_client


Auth = Annotated[AuthClient, Depends(_auth)]


def masked(email: str | None) -> str:
    if not email or "@" not in email:
        return "-"
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


@router.post(
    "/auth/register",
    status_code=201,
    response_model=RegisterResult,
    responses={
        400: {"description": "`VALIDATION_FAILED` with field errors"},
        409: {"description": "`EMAIL_EXISTS`"},
        503: {"description": "`USER_SERVICE_UNAVAILABLE` or `AUTH_SERVICE_UNAVAILABLE`"},
    },
)
async def register(body: RegisterBody, request: Request, response: Response, auth: Auth) -> RegisterResult:
    """Register a customer; on success the session cookies are set and a verification email is sent."""
    log.info("registration attempt for %s", masked(body.email))
    result = await auth.register(
        body.model_dump(by_alias=True, exclude_none=True),
        client_ip=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )
    set_session_cookies(response, result["session"], secure=request.app.state.settings.secure_cookies)
    return RegisterResult(
        message=result["message"], requires_verification=result["requiresVerification"], user=result["user"]
    )


@router.get(
    "/auth/email/verify",
    response_model=VerifyResult,
    responses={400: {"description": "`TOKEN_INVALID`, `TOKEN_USED` or `TOKEN_EXPIRED`"}},
)
async def verify_email(
    auth: Auth, token: Annotated[str, Query(min_length=1, max_length=200)]
) -> VerifyResult:
    return VerifyResult.model_validate(await auth.verify_email(token))


@router.post("/auth/email/resend", status_code=202, response_model=Message)
async def resend_verification(body: EmailBody, auth: Auth) -> Message:
    return Message.model_validate(await auth.resend_verification(body.email))
