"""Internal account-management routes of the users service, called by auth."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from xshop.platform.http.principal import calling_service
from xshop.platform.pagination import Page, PageQuery
from xshop.services.users.accounts import AccountsService
from xshop.services.users.api import INTERNAL
from xshop.services.users.schemas import (
    AccessUpdate,
    ProfileUpdate,
    ProfileUpdateResult,
    Role,
    UserFilters,
    UserPublic,
)

router = APIRouter(
    prefix="/api/users", tags=["users"], dependencies=[Depends(calling_service)], responses=INTERNAL
)
_NOT_FOUND = {404: {"description": "`NOT_FOUND`"}}


def _service(request: Request) -> AccountsService:
    return request.app.state.accounts


Accounts = Annotated[AccountsService, Depends(_service)]


def _public(user: object) -> UserPublic:
    return UserPublic.model_validate(user, from_attributes=True)


@router.get("", response_model=Page[UserPublic], responses={400: {"description": "`VALIDATION_FAILED`"}})
async def list_users(
    accounts: Accounts,
    page: PageQuery,
    search: Annotated[str | None, Query(max_length=100, description="Part of the email or name")] = None,
    role: Annotated[Role | None, Query()] = None,
    verified: Annotated[bool | None, Query()] = None,
    active: Annotated[bool | None, Query()] = None,
) -> Page[UserPublic]:
    """Users, newest first."""
    filters = UserFilters(search=search or None, role=role, verified=verified, active=active)
    rows, total = await accounts.list_users(filters, page)
    return Page[UserPublic].of([_public(row) for row in rows], page, total)


@router.patch(
    "/{user_id}",
    response_model=ProfileUpdateResult,
    responses={400: {"description": "`VALIDATION_FAILED`"}, 409: {"description": "`EMAIL_EXISTS`"}}
    | _NOT_FOUND,
)
async def update_profile(user_id: str, body: ProfileUpdate, accounts: Accounts) -> ProfileUpdateResult:
    """Change names, phone or email; a new email is unverified until its link is followed."""
    user, email_changed = await accounts.update_profile(user_id, body)
    return ProfileUpdateResult(user=_public(user), email_changed=email_changed)


@router.patch(
    "/{user_id}/access",
    response_model=UserPublic,
    responses={400: {"description": "`VALIDATION_FAILED`"}} | _NOT_FOUND,
)
async def update_access(user_id: str, body: AccessUpdate, accounts: Accounts) -> UserPublic:
    return _public(await accounts.update_access(user_id, body))


@router.delete("/{user_id}", status_code=204, responses=_NOT_FOUND)
async def delete_user(
    user_id: str, accounts: Accounts, actor: Annotated[str, Query(min_length=1, max_length=100)]
) -> Response:
    """Delete the record; `user.deleted` is published."""
    await accounts.delete(user_id, actor)
    return Response(status_code=204)
