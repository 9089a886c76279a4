"""HTTP routes of the auth service (also usable directly by API clients)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from xshop.services.auth.context import ClientInfo
from xshop.services.auth.schemas import (
    MessageResponse,
    RegisterRequest,
    RegisterResponse,
    ResendRequest,
    VerifyResponse,
)
from xshop.services.auth.service import AuthService

router = APIRouter(prefix="/api/auth", tags=["auth"])

REGISTERED = "Registration successful, please verify your email."
RESEND_ACCEPTED = "If that address belongs to an unverified account, a new verification email is on its way."


def _service(request: Request) -> AuthService:
    return request.app.state.auth


Auth = Annotated[AuthService, Depends(_service)]


def client_info(request: Request) -> ClientInfo:
    """The customer's address as the gateway saw it (X-Forwarded-For), else the direct peer."""
    forwarded = request.headers.get("x-forwarded-for", "")
    ip = forwarded.split(",")[0].strip() or (request.client.host if request.client else None)
    return ClientInfo(ip_address=ip, user_agent=request.headers.get("user-agent"))


@router.post(
    "/register",
    status_code=201,
    response_model=RegisterResponse,
    responses={
        400: {"description": "`VALIDATION_FAILED` with field errors"},
        409: {"description": "`EMAIL_EXISTS`"},
        503: {"description": "`USER_SERVICE_UNAVAILABLE`"},
    },
)
async def register(body: RegisterRequest, request: Request, auth: Auth) -> RegisterResponse:
    """Create the user through the users service, open a session, request the verification email."""
    result = await auth.register(body, client_info(request))
    return RegisterResponse(
        message=REGISTERED, requires_verification=True, user=result.user, session=result.session
    )


@router.get(
    "/email/verify",
    response_model=VerifyResponse,
    responses={
        400: {"description": "`TOKEN_INVALID`, `TOKEN_USED` or `TOKEN_EXPIRED`"},
        409: {"description": "`EMAIL_CHANGED`"},
    },
)
async def verify_email(
    auth: Auth, token: Annotated[str, Query(min_length=1, max_length=200)]
) -> VerifyResponse:
    user = await auth.verify_email(token)
    return VerifyResponse(message="Your email address is verified.", user=user)


@router.post("/email/resend", status_code=202, response_model=MessageResponse)
async def resend_verification(body: ResendRequest, auth: Auth) -> MessageResponse:
    """Always 202, whether or not the address exists, so it cannot be used to probe for accounts."""
    await auth.resend_verification(body.email)
    return MessageResponse(message=RESEND_ACCEPTED)
