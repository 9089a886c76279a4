"""The registration rules of DESIGN §6 as plain functions: each returns the cleaned value or raises
``PydanticCustomError(code, message)`` so the problem body names the rule that failed."""

from email_validator import EmailNotValidError, validate_email
from pydantic_core import PydanticCustomError

from xshop.platform.security.passwords import BCRYPT_MAX_BYTES
from xshop.platform.validation import check_length, rule_failed

NAME_PUNCTUATION = frozenset(" -'.\u2019")  # \u2019: the typographic apostrophe phones type
PHONE_PUNCTUATION = frozenset(" -().")


def clean_email(value: str) -> str:
    value = value.strip()
    check_length(value, 5, 100, "Email")
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise rule_failed("invalid_format", "Email is not a valid address.") from exc
    return value.lower()


def too_long_password() -> PydanticCustomError:
    return rule_failed("too_long", f"Password must be at most {BCRYPT_MAX_BYTES} bytes in UTF-8.")


def clean_password(value: str) -> str:
    check_length(value, 6, 25, "Password")
    if len(value.encode()) > BCRYPT_MAX_BYTES:
        raise too_long_password()
    if not any(c.isalpha() for c in value):
        raise rule_failed("missing_letter", "Password must contain at least one letter.")
    if not any(c in "0123456789" for c in value):
        raise rule_failed("missing_digit", "Password must contain at least one digit.")
    return value


def _clean_name(value: str, low: int, what: str) -> str:
    value = value.strip()
    check_length(value, low, 50, what)
    if value and not all(c.isalpha() or c in NAME_PUNCTUATION for c in value):
        raise rule_failed(
            "invalid_characters",
            f"{what} may contain only letters, spaces, hyphens, apostrophes and periods.",
        )
    if value and not any(c.isalpha() for c in value):
        raise rule_failed("missing_letter", f"{what} must contain a letter.")
    return value


def clean_first_name(value: str) -> str:
    return _clean_name(value, 2, "First name")


def clean_last_name(value: str) -> str:
    return _clean_name(value, 0, "Last name")


def clean_phone_number(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    check_length(value, 7, 20, "Phone number")
    body = value.removeprefix("+")
    if not all((c.isdigit() and c.isascii()) or c in PHONE_PUNCTUATION for c in body):
        raise rule_failed(
            "invalid_characters", "Phone number may contain digits, spaces, - ( ) . and a leading +."
        )
    digits = sum(c.isdigit() for c in body)
    if not 7 <= digits <= 15:
        raise rule_failed("invalid_format", "Phone number must have between 7 and 15 digits.")
    return value
