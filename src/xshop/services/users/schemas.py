"""Request and response models of the users API (camelCase on the wire)."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StrictStr
from pydantic.alias_generators import to_camel

from xshop.services.users import validation


class CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


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
