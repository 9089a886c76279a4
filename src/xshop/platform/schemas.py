"""Wire conventions shared by every service's DTOs (DESIGN §5, §8): camelCase JSON, strict requests,
money as a two-decimal string. Conventions only; each service keeps its own models."""

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, PlainSerializer
from pydantic.alias_generators import to_camel


class CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class RequestModel(CamelModel):
    """Unknown fields are refused: a misspelt field must not be silently ignored."""

    model_config = ConfigDict(extra="forbid")


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


Money = Annotated[Decimal, PlainSerializer(_money, return_type=str, when_used="json")]
"""A Decimal amount, serialised as "19.99" so no client parses it as a float."""
