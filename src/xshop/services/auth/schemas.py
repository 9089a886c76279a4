"""Request and response models of the auth API (camelCase on the wire)."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, StrictStr
from pydantic.alias_generators import to_camel


class CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


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


class SessionTokens(CamelModel):
    access_token: str
    access_token_expires_at: datetime
    refresh_token: str
    refresh_token_expires_at: datetime
    csrf_token: str
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
