"""Issue 8, must-be-true 3: every registration rule shows on its field before submitting, and the
server's 409 for a taken address shows on the email field."""

import uuid

import httpx
from playwright.sync_api import expect

from tests.e2e.conftest import Browsing
from tests.e2e.test_customer_journey import PASSWORD, fill_registration

RULES = [
    ("First name", "A", "First name must be at least 2 characters."),
    ("First name", "Ada3", "First name may contain only letters, spaces, hyphens, apostrophes and periods."),
    ("First name", "--", "First name must contain a letter."),
    ("Last name", "L" * 51, "Last name must be at most 50 characters."),
    (
        "Last name",
        "Love_lace",
        "Last name may contain only letters, spaces, hyphens, apostrophes and periods.",
    ),
    ("Email", "a@b", "Email must be at least 5 characters."),
    ("Email", "not-an-address", "Email is not a valid address."),
    ("Email", "a" * 95 + "@example.com", "Email must be at most 100 characters."),
    ("Phone number", "12345", "Phone number must be at least 7 characters."),
    ("Phone number", "555-CALL-NOW", "Phone number may contain digits, spaces, - ( ) . and a leading +."),
    ("Phone number", "(12) 34-5", "Phone number must have between 7 and 15 digits."),
    ("Password", "ab1", "Password must be at least 6 characters."),
    ("Password", "abcdef1" * 4, "Password must be at most 25 characters."),
    ("Password", "12345678", "Password must contain at least one letter."),
    ("Password", "abcdefgh", "Password must contain at least one digit."),
]


def test_every_rule_shows_on_its_field_before_submitting(browsing: Browsing) -> None:
    page = browsing.page
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if "/bff/" in request.url else None)
    browsing.goto("/register")
    for label, value, message in RULES:
        field = page.get_by_label(label, exact=label == "Password")
        field.fill(value)
        field.blur()
        error_id = (field.get_attribute("aria-describedby") or "").split()[-1]
        assert page.locator(f"#{error_id}").inner_text() == message, (label, value)
        assert field.get_attribute("aria-invalid") == "true", (label, value)
    page.get_by_role("button", name="Create account").click()
    assert page.locator("[aria-invalid=true]").count() == 6  # the five fields and the confirmation
    assert page.locator("#f-firstName").evaluate("el => el === document.activeElement")
    assert sent == [], "an invalid form must not reach the server"


def test_confirmation_must_match_and_strength_is_shown(browsing: Browsing) -> None:
    page = browsing.page
    browsing.goto("/register")
    page.get_by_label("Password", exact=True).fill("abc123")
    assert page.get_by_text("Password strength: weak").is_visible()
    page.get_by_label("Password", exact=True).fill("Much-Str0nger-pass")
    assert page.get_by_text("Password strength: strong").is_visible()
    page.get_by_label("Confirm password").fill("Much-Str0nger-pas")
    page.get_by_label("Confirm password").blur()
    assert page.locator("#f-confirmPassword-error").inner_text() == "Passwords do not match."
    page.get_by_label("Confirm password").fill("Much-Str0nger-pass")
    assert page.locator("#f-confirmPassword-error").inner_text() == ""


def test_a_taken_email_shows_the_servers_409_on_the_email_field(browsing: Browsing) -> None:
    email = f"taken-{uuid.uuid4().hex[:8]}@example.com"
    first = httpx.post(
        browsing.url("/bff/auth/register"),
        json={"firstName": "Ada", "email": email, "password": PASSWORD},
    )
    assert first.status_code == 201, first.text
    page = browsing.page
    browsing.watch.expect(409, "/bff/auth/register")
    browsing.goto("/register")
    fill_registration(page, email)
    page.get_by_role("button", name="Create account").click()
    error = page.locator("#f-email-error")
    expect(error).not_to_be_empty()
    assert "already" in error.inner_text().lower()
    assert page.get_by_label("Email").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Email").evaluate("el => el === document.activeElement")
    assert "/register" in page.url and "/done" not in page.url
