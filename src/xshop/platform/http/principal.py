"""Who is calling: the access token from ``Authorization: Bearer`` or the ``jwt`` cookie."""

from typing import Annotated

from fastapi import Depends, Request

from xshop.platform.errors import ProblemError
from xshop.platform.security.tokens import SERVICE_ROLE, AccessClaims, InvalidToken, JwtCodec

ACCESS_COOKIE = "jwt"


def access_token_of(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value:
        return value.strip()
    return request.cookies.get(ACCESS_COOKIE)


async def current_principal(request: Request) -> AccessClaims:
    token = access_token_of(request)
    if not token:
        raise ProblemError(
            401, "UNAUTHENTICATED", "Sign in to continue.", headers={"WWW-Authenticate": "Bearer"}
        )
    codec: JwtCodec = request.app.state.jwt
    try:
        return codec.verify_access(token)
    except InvalidToken as exc:
        raise ProblemError(
            401,
            "INVALID_TOKEN",
            "The access token is invalid or expired.",
            headers={"WWW-Authenticate": "Bearer"},
        ) from exc


async def current_admin(principal: Annotated[AccessClaims, Depends(current_principal)]) -> AccessClaims:
    if "admin" not in principal.roles:
        raise ProblemError(403, "FORBIDDEN", "This needs the admin role.")
    return principal


async def calling_service(principal: Annotated[AccessClaims, Depends(current_principal)]) -> AccessClaims:
    """Internal routes: only another service's token (``JwtCodec.issue_service``) gets through."""
    if SERVICE_ROLE not in principal.roles:
        raise ProblemError(403, "FORBIDDEN", "This route is for other services only.")
    return principal


CurrentPrincipal = Annotated[AccessClaims, Depends(current_principal)]
CurrentAdmin = Annotated[AccessClaims, Depends(current_admin)]
CallingService = Annotated[AccessClaims, Depends(calling_service)]
