"""The product rules as plain functions: each returns the cleaned value or raises
``PydanticCustomError(code, message)`` so the problem body names the rule that failed."""

import re
from decimal import Decimal
from urllib.parse import urlsplit

from xshop.platform.validation import check_length, rule_failed

MAX_PRICE = Decimal("9999999999.99")
CENT = Decimal("0.01")
MAX_TAGS = 20
MAX_IMAGES = 10
SKU = re.compile(r"[A-Z0-9][A-Z0-9._-]{2,63}")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CURRENCY = re.compile(r"[A-Z]{3}")


def _printable(value: str, what: str, *, newlines: bool = False) -> None:
    allowed = "\n\r\t" if newlines else ""
    if any(not c.isprintable() and c not in allowed for c in value):
        raise rule_failed("invalid_characters", f"{what} may not contain control characters.")


def clean_sku(value: str) -> str:
    value = value.strip().upper()
    check_length(value, 3, 64, "SKU")
    if not SKU.fullmatch(value):
        raise rule_failed("invalid_format", "SKU may contain only letters, digits, '.', '_' and '-'.")
    return value


def clean_name(value: str) -> str:
    value = " ".join(value.split())
    check_length(value, 2, 200, "Name")
    _printable(value, "Name")
    return value


def clean_description(value: str) -> str:
    value = value.strip()
    check_length(value, 0, 5000, "Description")
    _printable(value, "Description", newlines=True)
    return value


def clean_price(value: Decimal) -> Decimal:
    """Amounts keep exactly two places; more precision is refused rather than rounded away."""
    if value < 0:
        raise rule_failed("negative", "Price must not be negative.")
    if value > MAX_PRICE:
        raise rule_failed("too_large", f"Price must be at most {MAX_PRICE}.")
    if value != value.quantize(CENT):
        raise rule_failed("too_precise", "Price may have at most two decimal places.")
    return (value + 0).quantize(CENT)  # + 0 turns -0 into 0


def clean_currency(value: str) -> str:
    value = value.strip().upper()
    if not CURRENCY.fullmatch(value):
        raise rule_failed("invalid_format", "Currency must be a three-letter ISO 4217 code such as USD.")
    return value


def clean_slug(value: str, what: str, high: int) -> str:
    value = value.strip().lower()
    check_length(value, 1, high, what)
    if not SLUG.fullmatch(value):
        raise rule_failed(
            "invalid_format", f"{what} may contain only lowercase letters, digits and single hyphens."
        )
    return value


def clean_category(value: str) -> str:
    value = clean_slug(value, "Category", 50)
    check_length(value, 2, 50, "Category")
    return value


def clean_tags(values: list[str]) -> list[str]:
    tags = sorted({clean_slug(value, "Tag", 30) for value in values})
    if len(tags) > MAX_TAGS:
        raise rule_failed("too_many", f"At most {MAX_TAGS} tags.")
    return tags


def clean_image_urls(values: list[str]) -> list[str]:
    if len(values) > MAX_IMAGES:
        raise rule_failed("too_many", f"At most {MAX_IMAGES} images.")
    cleaned = []
    for value in values:
        value = value.strip()
        check_length(value, 1, 500, "Image URL")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
            raise rule_failed("invalid_format", "Image URLs must be absolute http(s) URLs.")
        cleaned.append(value)
    return cleaned


def clean_reason(value: str) -> str:
    value = " ".join(value.split())
    check_length(value, 1, 200, "Reason")
    return value
