"""Email content from the Jinja2 templates in ``templates/``: one function per email, each giving
``(subject, html, text)``. HTML is autoescaped; the text part is not, since no browser reads it as markup."""

from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from xshop.contracts.events import EmailVerificationRequested, PasswordChanged, PasswordResetRequested

TEMPLATES = Path(__file__).parent / "templates"
VERIFICATION_SUBJECT = "Verify your email address"
RESET_SUBJECT = "Reset your password"
CHANGED_SUBJECT = "Your password was changed"


class RenderedEmail(NamedTuple):
    subject: str
    html: str
    text: str


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render(name: str, subject: str, **context: Any) -> RenderedEmail:
    environment = _environment()
    html = environment.get_template(f"{name}.html").render(subject=subject, **context)
    text = environment.get_template(f"{name}.txt").render(subject=subject, **context)
    return RenderedEmail(subject, html, text)


def hours_between(start: datetime, end: datetime) -> int:
    """Whole hours, rounded, never below one: '0 hours' would read as already expired."""
    return max(1, round((end - start).total_seconds() / 3600))


def _require_web_link(url: str, what: str) -> None:
    # Autoescaping does not stop a javascript: link; the URL is checked without echoing it (it holds a token).
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"the {what} URL is not an http(s) URL")


def render_email_verification(data: EmailVerificationRequested, company_name: str) -> RenderedEmail:
    _require_web_link(data.verification_url, "verification")
    return render(
        "email_verification",
        VERIFICATION_SUBJECT,
        company_name=company_name,
        first_name=data.first_name,
        verification_url=data.verification_url,
        expiration_hours=hours_between(data.timestamp, data.expires_at),
    )


def render_password_reset(data: PasswordResetRequested, company_name: str) -> RenderedEmail:
    _require_web_link(data.reset_url, "reset")
    return render(
        "password_reset",
        RESET_SUBJECT,
        company_name=company_name,
        first_name=data.first_name,
        reset_url=data.reset_url,
        expiration_hours=hours_between(data.timestamp, data.expires_at),
    )


def render_password_changed(data: PasswordChanged, company_name: str) -> RenderedEmail:
    return render(
        "password_changed",
        CHANGED_SUBJECT,
        company_name=company_name,
        first_name=data.first_name,
        method=data.method,
        changed_at=data.changed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
    )
