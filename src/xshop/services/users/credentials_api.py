"""Internal password routes of the users service, called by auth."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from xshop.platform.http.principal import calling_service
from xshop.services.users.api import INTERNAL
from xshop.services.users.credentials import CredentialsService
from xshop.services.users.schemas import (
    CredentialsCheck,
    PasswordChange,
    PasswordCheck,
    PasswordFingerprint,
    PasswordReset,
    UserPublic,
)

router = APIRouter(
    prefix="/api/users", tags=["users"], dependencies=[Depends(calling_service)], responses=INTERNAL
)
_NOT_FOUND = {404: {"description": "`NOT_FOUND`"}}
_VALIDATION = {400: {"description": "`VALIDATION_FAILED` with field errors"}}


def _service(request: Request) -> CredentialsService:
    return request.app.state.credentials


Credentials = Annotated[CredentialsService, Depends(_service)]


def _public(user: object) -> UserPublic:
    return UserPublic.model_validate(user, from_attributes=True)


@router.post(
    "/credentials/verify",
    response_model=UserPublic,
    responses={
        400: {"description": "`VALIDATION_FAILED` (e.g. a password over 72 bytes)"},
        401: {"description": "`INVALID_CREDENTIALS`: unknown email or wrong password, alike"},
        403: {"description": "`ACCOUNT_DISABLED` (only once the password matched)"},
    },
)
async def verify_credentials(body: CredentialsCheck, credentials: Credentials) -> UserPublic:
    """The user this email and password belong to; sets `lastLoginAt`."""
    return _public(await credentials.verify_login(body.email, body.password))


@router.post(
    "/{user_id}/password/verify",
    status_code=204,
    responses={400: {"description": "`INVALID_CURRENT_PASSWORD` or `VALIDATION_FAILED`"}} | _NOT_FOUND,
)
async def verify_password(user_id: str, body: PasswordCheck, credentials: Credentials) -> Response:
    await credentials.check_password(user_id, body.password)
    return Response(status_code=204)


@router.post(
    "/{user_id}/password/change",
    response_model=UserPublic,
    responses={
        400: {"description": "`INVALID_CURRENT_PASSWORD`, `PASSWORD_UNCHANGED` or `VALIDATION_FAILED`"},
        409: {"description": "`PASSWORD_CHANGED` concurrently"},
    }
    | _NOT_FOUND,
)
async def change_password(user_id: str, body: PasswordChange, credentials: Credentials) -> UserPublic:
    return _public(await credentials.change_password(user_id, body.current_password, body.new_password))


@router.put(
    "/{user_id}/password",
    response_model=UserPublic,
    responses={409: {"description": "`PASSWORD_CHANGED`: not the password the link was issued for"}}
    | _VALIDATION
    | _NOT_FOUND,
)
async def reset_password(user_id: str, body: PasswordReset, credentials: Credentials) -> UserPublic:
    """Set a new password if the current one still has `expectedFingerprint` (reset links)."""
    user = await credentials.reset_password(user_id, body.new_password, body.expected_fingerprint)
    return _public(user)


@router.get("/{user_id}/password-fingerprint", response_model=PasswordFingerprint, responses=_NOT_FOUND)
async def password_fingerprint(user_id: str, credentials: Credentials) -> PasswordFingerprint:
    return PasswordFingerprint(fingerprint=await credentials.fingerprint_of(user_id))
