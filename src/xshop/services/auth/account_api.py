"""Auth routes for the signed-in user's account and for user administration (admin role)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from xshop.platform.http.principal import CurrentAdmin, CurrentPrincipal
from xshop.platform.pagination import PageQuery
from xshop.services.auth.account_service import AccountService
from xshop.services.auth.schemas import AccessPatch, AccountDeletion, ProfilePatch, UserPage, UserRecord

router = APIRouter(prefix="/api/auth", tags=["auth"])
_SIGNED_IN = {401: {"description": "`UNAUTHENTICATED` or `INVALID_TOKEN`"}}
_ADMIN = _SIGNED_IN | {403: {"description": "`FORBIDDEN`: needs the admin role"}}
_TARGET = {404: {"description": "`NOT_FOUND`"}, 409: {"description": "`OWN_ACCOUNT`"}}


def _accounts(request: Request) -> AccountService:
    return request.app.state.accounts


Accounts = Annotated[AccountService, Depends(_accounts)]


@router.get("/account", response_model=UserRecord, responses=_SIGNED_IN)
async def get_account(principal: CurrentPrincipal, accounts: Accounts) -> UserRecord:
    return await accounts.me(principal)


@router.patch(
    "/account",
    response_model=UserRecord,
    responses=_SIGNED_IN
    | {400: {"description": "`VALIDATION_FAILED`"}, 409: {"description": "`EMAIL_EXISTS`"}},
)
async def update_account(body: ProfilePatch, principal: CurrentPrincipal, accounts: Accounts) -> UserRecord:
    """Names and phone (`null` clears it); a new email is unverified and gets a verification link."""
    return await accounts.update_profile(principal, body.model_dump(by_alias=True, exclude_unset=True))


@router.delete(
    "/account",
    status_code=204,
    responses=_SIGNED_IN
    | {
        400: {"description": "`INVALID_CURRENT_PASSWORD` or `VALIDATION_FAILED`"},
        429: {"description": "`TOO_MANY_ATTEMPTS`, with `Retry-After`"},
    },
)
async def delete_account(body: AccountDeletion, principal: CurrentPrincipal, accounts: Accounts) -> Response:
    """Delete your own account (needs the current password); every session ends."""
    await accounts.delete_self(principal, body.password)
    return Response(status_code=204)


@router.get("/admin/users", response_model=UserPage, responses=_ADMIN)
async def list_users(
    _admin: CurrentAdmin,
    accounts: Accounts,
    page: PageQuery,
    search: Annotated[str | None, Query(max_length=100, description="Part of the email or name")] = None,
    role: Annotated[str | None, Query(max_length=20, examples=["admin"])] = None,
    verified: Annotated[bool | None, Query()] = None,
    active: Annotated[bool | None, Query()] = None,
) -> UserPage:
    """Users, newest first."""
    params = {"page": page.page, "pageSize": page.page_size, "search": search, "role": role}
    return await accounts.list_users(params | {"verified": verified, "active": active})


@router.patch(
    "/admin/users/{user_id}",
    response_model=UserRecord,
    responses=_ADMIN | _TARGET | {400: {"description": "`VALIDATION_FAILED` (roles: customer, admin)"}},
)
async def update_user_access(
    user_id: str, body: AccessPatch, admin: CurrentAdmin, accounts: Accounts
) -> UserRecord:
    """Set roles and/or `isActive`; deactivating ends the user's sessions."""
    return await accounts.update_access(admin, user_id, body.model_dump(by_alias=True, exclude_unset=True))


@router.delete("/admin/users/{user_id}", status_code=204, responses=_ADMIN | _TARGET)
async def delete_user(user_id: str, admin: CurrentAdmin, accounts: Accounts) -> Response:
    """Delete a user; their sessions end and `user.deleted` is published."""
    await accounts.delete_user(admin, user_id)
    return Response(status_code=204)
