"""What the BFF passes on to the services about the request it received."""

from fastapi import Request

from xshop.platform.http.principal import access_token_of
from xshop.services.gateway.clients import AuthClient, Caller


def caller_of(request: Request) -> Caller:
    """The access token (Bearer header, else the jwt cookie), the client's address and user agent."""
    return Caller(
        token=access_token_of(request),
        ip=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )


def auth_of(request: Request) -> AuthClient:
    return request.app.state.auth_client


def secure_cookies(request: Request) -> bool:
    return bool(request.app.state.settings.secure_cookies)
