"""Request and response models of the auth API (camelCase on the wire)."""

from datetime import datetime
from typing import Annotated

from pydantic import Field, StrictBool, StrictStr

from xshop.platform.pagination import Page
from xshop.platform.schemas import CamelModel

# Opaque tokens are 43 characters; the bound only keeps junk cheap. Long enough that a JWT presented
# in their place gets the token's own answer (401), not a validation error.
TokenText = Annotated[StrictStr, Field(min_length=1, max_length=2048)]


class RegisterRequest(CamelModel):
    """Only presence and type are checked here; the users service owns the format rules (seed 002)."""

    email: StrictStr
    password: StrictStr
    first_name: StrictStr
    last_name: StrictStr = ""
    phone_number: StrictStr | None = None


class UserRecord(CamelModel):
    """The users service's view of a user, as this service reads it."""

    id: str
    email: str
    first_name: str
    last_name: str
    phone_number: str | None = None
    is_email_verified: bool
    is_active: bool
    roles: list[str]
    created_at: datetime | None = None
    updated_at: datetime | None = None
    last_login_at: datetime | None = None


UserPage = Page[UserRecord]


class ProfileChange(CamelModel):
    user: UserRecord
    email_changed: bool


class SessionTokens(CamelModel):
    """``csrfToken`` stays the same for the whole session; a refresh echoes the one it was given."""

    access_token: str
    access_token_expires_at: datetime
    refresh_token: str
    refresh_token_expires_at: datetime
    csrf_token: str | None
    session_id: str
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret


class RegisterResponse(CamelModel):
    message: str
    requires_verification: bool
    user: UserRecord
    session: SessionTokens


class ResendRequest(CamelModel):
    email: StrictStr


class MessageResponse(CamelModel):
    message: str


class VerifyResponse(CamelModel):
    message: str
    user: UserRecord


class SessionResponse(CamelModel):
    user: UserRecord
    session: SessionTokens


class LoginRequest(CamelModel):
    email: Annotated[StrictStr, Field(max_length=254)]
    password: Annotated[StrictStr, Field(max_length=200)]


class RefreshRequest(CamelModel):
    """``csrfToken``: the BFF passes the header it received, checked against the session's."""

    refresh_token: TokenText
    csrf_token: TokenText | None = None


class PasswordForgotRequest(CamelModel):
    email: Annotated[StrictStr, Field(max_length=254)]


class PasswordResetRequest(CamelModel):
    token: TokenText
    new_password: Annotated[StrictStr, Field(max_length=200)]


class ResetLinkStatus(CamelModel):
    message: str
    expires_at: datetime


class PasswordChangeRequest(CamelModel):
    current_password: Annotated[StrictStr, Field(max_length=200)]
    new_password: Annotated[StrictStr, Field(max_length=200)]


class ProfilePatch(CamelModel):
    """Shapes only; the users service validates the values."""

    first_name: StrictStr | None = None
    last_name: StrictStr | None = None
    phone_number: StrictStr | None = None
    email: StrictStr | None = None


class AccountDeletion(CamelModel):
    password: Annotated[StrictStr, Field(max_length=200)]


class AccessPatch(CamelModel):
    roles: list[StrictStr] | None = None
    is_active: StrictBool | None = None
