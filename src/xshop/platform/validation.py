"""Building blocks for field rules: a failed rule is ``PydanticCustomError(code, message)``, so the
problem body names the rule (``too_short``, ``invalid_format`` …) next to the field."""

from pydantic_core import PydanticCustomError


def rule_failed(code: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(code, message)


def check_length(value: str, low: int, high: int, what: str) -> None:
    if len(value) < low:
        raise rule_failed("too_short", f"{what} must be at least {low} characters.")
    if len(value) > high:
        raise rule_failed("too_long", f"{what} must be at most {high} characters.")
