"""BFF routes for user administration (admin role; auth checks it)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from xshop.platform.pagination import PageQuery
from xshop.services.gateway.clients import AuthClient
from xshop.services.gateway.csrf import CsrfChecked
from xshop.services.gateway.forwarding import auth_of, caller_of
from xshop.services.gateway.schemas import AccessBody, UserPage

router = APIRouter(prefix="/bff/admin/users", tags=["bff admin"])
Auth = Annotated[AuthClient, Depends(auth_of)]
_ADMIN = {
    401: {"description": "`UNAUTHENTICATED` or `INVALID_TOKEN`"},
    403: {"description": "`FORBIDDEN` (not an admin) or `CSRF_FAILED`"},
}
_TARGET = {404: {"description": "`NOT_FOUND`"}, 409: {"description": "`OWN_ACCOUNT`"}}


@router.get("", response_model=UserPage, responses=_ADMIN | {400: {"description": "`VALIDATION_FAILED`"}})
async def list_users(
    request: Request,
    auth: Auth,
    page: PageQuery,
    search: Annotated[str | None, Query(max_length=100, description="Part of the email or name")] = None,
    role: Annotated[str | None, Query(max_length=20, examples=["admin"])] = None,
    verified: Annotated[bool | None, Query()] = None,
    active: Annotated[bool | None, Query()] = None,
) -> UserPage:
    """Users, newest first; filters combine."""
    params: dict[str, Any] = {"page": page.page, "pageSize": page.page_size, "search": search}
    params |= {"role": role, "verified": verified, "active": active}
    answer = await auth.list_users({k: v for k, v in params.items() if v is not None}, caller_of(request))
    return UserPage.model_validate(answer)


@router.patch(
    "/{user_id}",
    responses=_ADMIN | _TARGET | {400: {"description": "`VALIDATION_FAILED` (roles: customer, admin)"}},
)
async def update_user(
    user_id: str, body: AccessBody, request: Request, auth: Auth, _: CsrfChecked
) -> dict[str, Any]:
    """Set `roles` and/or `isActive`; deactivating ends the user's sessions."""
    changes = body.model_dump(by_alias=True, exclude_unset=True)
    return dict(await auth.update_user(user_id, changes, caller_of(request)))


@router.delete("/{user_id}", status_code=204, responses=_ADMIN | _TARGET)
async def delete_user(user_id: str, request: Request, auth: Auth, _: CsrfChecked) -> Response:
    """Delete a user; their sessions end at their next refresh."""
    await auth.delete_user(user_id, caller_of(request))
    return Response(status_code=204)
