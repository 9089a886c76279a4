"""Request and response models of the users API (camelCase on the wire)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictStr

from xshop.platform.schemas import CamelModel
from xshop.platform.security.passwords import BCRYPT_MAX_BYTES
from xshop.services.users import validation

ROLES = ("customer", "admin")
Role = Literal["customer", "admin"]


class UserCreate(CamelModel):
    email: Annotated[StrictStr, AfterValidator(validation.clean_email)]
    password: Annotated[StrictStr, AfterValidator(validation.clean_password)]
    first_name: Annotated[StrictStr, AfterValidator(validation.clean_first_name)]
    last_name: Annotated[StrictStr, AfterValidator(validation.clean_last_name)] = ""
    phone_number: Annotated[StrictStr | None, AfterValidator(validation.clean_phone_number)] = None


class EmailVerification(CamelModel):
    email: StrictStr


class UserPublic(CamelModel):
    id: str
    email: str
    first_name: str
    last_name: str
    phone_number: str | None
    is_email_verified: bool
    is_active: bool
    roles: list[str]
    created_at: datetime
    updated_at: datetime
    last_login_at: datetime | None


def _login_password(value: str) -> str:
    """bcrypt reads at most 72 bytes (bcrypt 5 refuses more), so a longer password cannot match."""
    if len(value.encode()) > BCRYPT_MAX_BYTES:
        raise validation.too_long_password()
    return value


class CredentialsCheck(CamelModel):
    email: Annotated[StrictStr, Field(max_length=254)]
    password: Annotated[StrictStr, AfterValidator(_login_password)]


class PasswordCheck(CamelModel):
    password: Annotated[StrictStr, AfterValidator(_login_password)]


class PasswordChange(CamelModel):
    current_password: Annotated[StrictStr, AfterValidator(_login_password)]
    new_password: Annotated[StrictStr, AfterValidator(validation.clean_password)]


class PasswordReset(CamelModel):
    new_password: Annotated[StrictStr, AfterValidator(validation.clean_password)]
    expected_fingerprint: Annotated[StrictStr, Field(min_length=1, max_length=64)]


class PasswordFingerprint(CamelModel):
    """A digest of the stored hash: changes whenever the password does, reveals nothing about it."""

    fingerprint: str


class ProfileUpdate(CamelModel):
    """Only the fields sent change; ``phoneNumber: null`` clears the number."""

    first_name: Annotated[StrictStr, AfterValidator(validation.clean_first_name)] | None = None
    last_name: Annotated[StrictStr, AfterValidator(validation.clean_last_name)] | None = None
    phone_number: Annotated[StrictStr | None, AfterValidator(validation.clean_phone_number)] = None
    email: Annotated[StrictStr, AfterValidator(validation.clean_email)] | None = None
    actor: Annotated[StrictStr, Field(min_length=1, max_length=100)]


class AccessUpdate(CamelModel):
    roles: Annotated[list[Role], Field(min_length=1, max_length=len(ROLES))] | None = None
    is_active: StrictBool | None = None
    actor: Annotated[StrictStr, Field(min_length=1, max_length=100)]


class ProfileUpdateResult(CamelModel):
    user: UserPublic
    email_changed: bool


class UserFilters(BaseModel):
    model_config = ConfigDict(frozen=True)

    search: str | None = None
    role: Role | None = None
    verified: bool | None = None
    active: bool | None = None
