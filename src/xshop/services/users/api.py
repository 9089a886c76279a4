"""HTTP routes of the users service: parse, call the service layer, shape the response.

Every route is internal: it needs another service's token (``CallingService``); end users reach
their account through auth, which checks their own token first."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from xshop.platform.errors import not_found
from xshop.platform.http.principal import calling_service
from xshop.services.users.schemas import EmailVerification, UserCreate, UserPublic
from xshop.services.users.service import UsersService

INTERNAL = {
    401: {"description": "`UNAUTHENTICATED` or `INVALID_TOKEN`"},
    403: {"description": "`FORBIDDEN`: not a service token"},
}
router = APIRouter(
    prefix="/api/users", tags=["users"], dependencies=[Depends(calling_service)], responses=INTERNAL
)

_ERRORS = {
    400: {"description": "Validation failed (`VALIDATION_FAILED`, field errors in `errors`)"},
    409: {"description": "`EMAIL_EXISTS`"},
}


def _service(request: Request) -> UsersService:
    return request.app.state.users


Users = Annotated[UsersService, Depends(_service)]


@router.post("", status_code=201, response_model=UserPublic, responses=_ERRORS)
async def create_user(body: UserCreate, users: Users) -> UserPublic:
    """Create a customer: validated, password hashed with bcrypt, `user.created` published."""
    return UserPublic.model_validate(await users.create_user(body), from_attributes=True)


@router.get("/by-email", response_model=UserPublic, responses={404: {"description": "`NOT_FOUND`"}})
async def get_user_by_email(users: Users, email: Annotated[str, Query(max_length=254)]) -> UserPublic:
    user = await users.find_by_email(email)
    if user is None:
        raise not_found("User")
    return UserPublic.model_validate(user, from_attributes=True)


@router.get("/{user_id}", response_model=UserPublic, responses={404: {"description": "`NOT_FOUND`"}})
async def get_user(user_id: str, users: Users) -> UserPublic:
    return UserPublic.model_validate(await users.get(user_id), from_attributes=True)


@router.post(
    "/{user_id}/email-verification",
    response_model=UserPublic,
    responses={404: {"description": "`NOT_FOUND`"}, 409: {"description": "`EMAIL_CHANGED`"}},
)
async def mark_email_verified(user_id: str, body: EmailVerification, users: Users) -> UserPublic:
    """Internal (called by auth): mark the address verified if it is still the user's address."""
    return UserPublic.model_validate(
        await users.mark_email_verified(user_id, body.email), from_attributes=True
    )
