"""What the BFF accepts and answers. It checks shapes only; the owning services validate content."""

from typing import Any

from pydantic import StrictBool, StrictStr

from xshop.platform.pagination import Page
from xshop.platform.schemas import CamelModel


class RegisterBody(CamelModel):
    first_name: StrictStr | None = None
    last_name: StrictStr | None = None
    email: StrictStr | None = None
    phone_number: StrictStr | None = None
    password: StrictStr | None = None


class EmailBody(CamelModel):
    email: StrictStr


class RegisterResult(CamelModel):
    message: str
    requires_verification: bool
    user: dict[str, Any]


class VerifyResult(CamelModel):
    message: str
    user: dict[str, Any]


class Message(CamelModel):
    message: str


class LoginBody(CamelModel):
    email: StrictStr
    password: StrictStr


class SessionResult(CamelModel):
    """The signed-in user; the access token again for clients that send it as a Bearer header."""

    user: dict[str, Any]
    access_token: str
    access_token_expires_at: str
    token_type: str

    @classmethod
    def of(cls, answer: dict[str, Any]) -> "SessionResult":
        session = answer["session"]
        return cls(
            user=answer["user"],
            access_token=session["accessToken"],
            access_token_expires_at=session["accessTokenExpiresAt"],
            token_type=session["tokenType"],
        )


class PasswordResetBody(CamelModel):
    token: StrictStr
    new_password: StrictStr


class ResetLinkStatus(CamelModel):
    message: str
    expires_at: str


class PasswordChangeBody(CamelModel):
    current_password: StrictStr
    new_password: StrictStr


class ProfileBody(CamelModel):
    first_name: StrictStr | None = None
    last_name: StrictStr | None = None
    phone_number: StrictStr | None = None
    email: StrictStr | None = None


class PasswordBody(CamelModel):
    password: StrictStr


class AccessBody(CamelModel):
    roles: list[StrictStr] | None = None
    is_active: StrictBool | None = None


UserPage = Page[dict[str, Any]]
