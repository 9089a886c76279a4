"""Errors that map to RFC 9457 problem responses. Services raise these; the HTTP layer renders them."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FieldError:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


@dataclass
class ProblemError(Exception):
    """An error with a stable ``code`` that the HTTP layer turns into ``application/problem+json``."""

    status: int
    code: str
    detail: str
    title: str | None = None
    errors: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.detail)


def not_found(what: str) -> ProblemError:
    return ProblemError(404, "NOT_FOUND", f"{what} not found")


def validation_failed(errors: list[FieldError], detail: str = "The request is not valid.") -> ProblemError:
    return ProblemError(400, "VALIDATION_FAILED", detail, errors=errors)


def service_unavailable(code: str, detail: str) -> ProblemError:
    return ProblemError(503, code, detail, headers={"Retry-After": "5"})
