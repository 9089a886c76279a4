"""What the BFF accepts and answers. It checks shapes only; the owning services validate content."""

from typing import Any

from pydantic import BaseModel, ConfigDict, StrictStr
from pydantic.alias_generators import to_camel


class CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


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
