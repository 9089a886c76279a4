"""Forgot, reset and change password (acceptance 5): the reset link works once, for an hour, and
only while the password is the one it was sent for; forgot answers the same for unknown addresses."""

import sqlite3

import pytest

from tests.helpers import PASSWORD, MovableClock
from tests.integration.accounts import (
    Browser,
    api_login,
    assert_problem,
    bearer,
    create_user,
    emailed_link,
    token_of,
    unique_email,
)

RESET = "/bff/auth/password/reset"
RESET_SUBJECT = "Reset your password"
CHANGED_SUBJECT = "Your password was changed"
NEW_PASSWORD = "Brand1new"


async def forgot(shop, email: str):
    async with shop.client("gateway") as client:
        return await client.post("/bff/auth/password/forgot", json={"email": email})


async def reset(shop, token: str, password: str = NEW_PASSWORD):
    async with shop.client("gateway") as client:
        return await client.post(RESET, json={"token": token, "newPassword": password})


async def can_login(shop, email: str, password: str) -> bool:
    async with shop.client("auth") as auth:
        response = await auth.post("/api/auth/login", json={"email": email, "password": password})
    return response.status_code == 200


async def test_the_reset_link_sets_a_new_password_once_and_ends_every_session(shop):
    email = unique_email("reset")
    user = await create_user(shop, email)
    browser = Browser(shop)
    await browser.login(email)
    api_session = (await api_login(shop, email))["session"]
    assert (await forgot(shop, email)).status_code == 202

    link = await emailed_link(shop, email, RESET, subject=RESET_SUBJECT)
    mail = [m for m in await shop.mails_to(email) if m["Subject"] == RESET_SUBJECT]
    text = (await shop.mail_body(mail[0]["ID"]))["Text"]
    assert "John" in text and "1 hour" in text and link in text
    async with shop.client("gateway") as client:
        checked = await client.get(link)
    assert checked.status_code == 200 and checked.json()["expiresAt"]

    done = await reset(shop, token_of(link))
    assert done.status_code == 200, done.text
    assert await can_login(shop, email, NEW_PASSWORD)
    assert not await can_login(shop, email, PASSWORD)
    assert_problem(await reset(shop, token_of(link), "Another1pass"), 400, "TOKEN_USED")
    async with shop.client("gateway") as client:
        assert_problem(await client.get(link), 400, "TOKEN_USED")

    # Both earlier sessions end at their next refresh.
    assert_problem(await browser.refresh(), 401, "REFRESH_INVALID")
    async with shop.client("auth") as auth:
        stale = await auth.post("/api/auth/refresh", json={"refreshToken": api_session["refreshToken"]})
    assert_problem(stale, 401, "REFRESH_INVALID")

    await shop.idle()
    changed = [m for m in await shop.mails_to(email) if m["Subject"] == CHANGED_SUBJECT]
    assert len(changed) == 1
    assert "reset with an emailed link" in (await shop.mail_body(changed[0]["ID"]))["Text"]
    events = {r["eventType"]: r for r in await shop.audit(userId=user["id"])}
    requested = events["auth.password.reset.requested"]["payload"]
    assert requested["resetToken"] == "[REDACTED]" and token_of(link) not in str(requested)
    assert events["auth.password.changed"]["payload"]["method"] == "reset"
    await browser.aclose()


async def test_the_reset_link_expires_after_an_hour(make_shop):
    clock = MovableClock()
    async with make_shop(clock=clock) as shop:
        email = unique_email("late")
        await create_user(shop, email)
        await forgot(shop, email)
        token = token_of(await emailed_link(shop, email, RESET, subject=RESET_SUBJECT))
        clock.advance(minutes=59)
        async with shop.client("gateway") as client:
            assert (await client.get(RESET, params={"token": token})).status_code == 200
        clock.advance(minutes=1, seconds=1)
        assert_problem(await reset(shop, token), 400, "TOKEN_EXPIRED")
        assert await can_login(shop, email, PASSWORD)


async def test_the_reset_link_dies_when_the_password_changes(shop):
    email = unique_email("changed")
    await create_user(shop, email)
    await forgot(shop, email)
    token = token_of(await emailed_link(shop, email, RESET, subject=RESET_SUBJECT))
    session = (await api_login(shop, email))["session"]
    async with shop.client("auth") as auth:
        changed = await auth.post(
            "/api/auth/password/change",
            json={"currentPassword": PASSWORD, "newPassword": "Changed123"},
            headers=bearer(session),
        )
    assert changed.status_code == 200, changed.text
    async with shop.client("gateway") as client:
        assert_problem(await client.get(RESET, params={"token": token}), 400, "TOKEN_INVALID")
    assert_problem(await reset(shop, token), 400, "TOKEN_INVALID")
    assert await can_login(shop, email, "Changed123")


async def test_a_new_reset_link_replaces_the_previous_one(shop):
    email = unique_email("twice")
    await create_user(shop, email)
    await forgot(shop, email)
    first = token_of(await emailed_link(shop, email, RESET, subject=RESET_SUBJECT))
    await forgot(shop, email)
    await shop.idle()
    second = token_of(await emailed_link(shop, email, RESET, subject=RESET_SUBJECT))
    assert first != second
    assert_problem(await reset(shop, first), 400, "TOKEN_INVALID")
    assert (await reset(shop, second)).status_code == 200


async def test_forgot_answers_alike_for_unknown_addresses_and_sends_nothing(shop):
    known = unique_email("known")
    await create_user(shop, known)
    unknown = unique_email("unknown")
    answers = [await forgot(shop, known), await forgot(shop, unknown)]
    assert [a.status_code for a in answers] == [202, 202]
    assert answers[0].json() == answers[1].json()
    await shop.idle()
    assert await shop.mails_to(unknown) == []
    assert await shop.audit(eventType="auth.password.reset.requested", email=unknown) == []
    assert len(await shop.audit(eventType="auth.password.reset.requested", email=known)) == 1


async def test_disabled_accounts_get_no_reset_link(shop):
    email = unique_email("off")
    user = await create_user(shop, email)
    async with shop.client("auth") as auth:
        await auth.patch(
            f"/api/auth/admin/users/{user['id']}", json={"isActive": False}, headers=shop.token(["admin"])
        )
    assert (await forgot(shop, email)).status_code == 202
    await shop.idle()
    assert [m for m in await shop.mails_to(email) if m["Subject"] == RESET_SUBJECT] == []


@pytest.mark.parametrize(
    ("password", "rule"), [("short1", None), ("abc12", "too_short"), ("nodigits", "missing_digit")]
)
async def test_reset_applies_the_password_rules_and_keeps_the_link_usable(shop, password, rule):
    email = unique_email("rules")
    await create_user(shop, email)
    await forgot(shop, email)
    token = token_of(await emailed_link(shop, email, RESET, subject=RESET_SUBJECT))
    response = await reset(shop, token, password)
    if rule is None:
        assert response.status_code == 200
        return
    problem = assert_problem(response, 400, "VALIDATION_FAILED")
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [("newPassword", rule)]
    assert (await reset(shop, token)).status_code == 200


@pytest.mark.parametrize(
    "body", [{}, {"token": "x"}, {"token": "", "newPassword": NEW_PASSWORD}, {"token": 1, "newPassword": "x"}]
)
async def test_malformed_reset_requests_are_400(shop, body):
    async with shop.client("gateway") as client:
        assert_problem(await client.post(RESET, json=body), 400, "VALIDATION_FAILED")
        assert_problem(await client.get(RESET), 400, "VALIDATION_FAILED")
        assert_problem(await client.get(RESET, params={"token": "unknown"}), 400, "TOKEN_INVALID")


async def test_changing_the_password_keeps_this_session_and_ends_the_others(shop):
    email = unique_email("change")
    user = await create_user(shop, email)
    browser, other = Browser(shop), Browser(shop)
    await browser.login(email)
    await other.login(email)
    old_csrf = browser.cookie("csrfToken")
    response = await browser.send(
        "POST", "/bff/auth/password/change", json={"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}
    )
    assert response.status_code == 200, response.text
    assert response.json()["user"]["email"] == email
    assert browser.cookie("csrfToken") != old_csrf  # a new session, with its own token
    assert (await browser.refresh()).status_code == 200
    assert_problem(await other.refresh(), 401, "REFRESH_INVALID")
    assert await can_login(shop, email, NEW_PASSWORD) and not await can_login(shop, email, PASSWORD)
    await shop.idle()
    assert [m["Subject"] for m in await shop.mails_to(email) if m["Subject"] == CHANGED_SUBJECT] == [
        CHANGED_SUBJECT
    ]
    changed = await shop.audit(eventType="auth.password.changed", userId=user["id"])
    assert changed[0]["payload"]["method"] == "change"
    with sqlite3.connect(shop.settings.data_dir / "users.sqlite") as conn:
        (stored,) = conn.execute("SELECT password_hash FROM users WHERE id = ?", (user["id"],)).fetchone()
    assert stored.startswith("$2b$") and NEW_PASSWORD not in stored
    await browser.aclose()
    await other.aclose()


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"currentPassword": "Wrong1pass", "newPassword": NEW_PASSWORD}, "INVALID_CURRENT_PASSWORD", None),
        ({"currentPassword": PASSWORD, "newPassword": PASSWORD}, "PASSWORD_UNCHANGED", None),
        ({"currentPassword": PASSWORD, "newPassword": "letters"}, "VALIDATION_FAILED", "newPassword"),
        ({"currentPassword": PASSWORD}, "VALIDATION_FAILED", "newPassword"),
    ],
)
async def test_password_change_errors(shop, body, code, field):
    email = unique_email("bad")
    await create_user(shop, email)
    browser = Browser(shop)
    await browser.login(email)
    problem = assert_problem(await browser.send("POST", "/bff/auth/password/change", json=body), 400, code)
    if field:
        assert [e["field"] for e in problem["errors"]] == [field]
    assert (await browser.refresh()).status_code == 200  # nothing changed: the session lives on
    assert await can_login(shop, email, PASSWORD)
    await browser.aclose()


async def test_password_change_needs_a_session_and_throttles_wrong_current_passwords(shop):
    async with shop.client("gateway") as anonymous:
        body = {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}
        assert_problem(await anonymous.post("/bff/auth/password/change", json=body), 401, "UNAUTHENTICATED")
    email = unique_email("guess")
    await create_user(shop, email)
    session = (await api_login(shop, email))["session"]
    async with shop.client("auth") as auth:
        wrong = {"currentPassword": "Wrong1pass", "newPassword": NEW_PASSWORD}
        for _ in range(shop.settings.login_throttle_account_limit):
            response = await auth.post("/api/auth/password/change", json=wrong, headers=bearer(session))
            assert_problem(response, 400, "INVALID_CURRENT_PASSWORD")
        right = {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}
        throttled = await auth.post("/api/auth/password/change", json=right, headers=bearer(session))
    assert_problem(throttled, 429, "TOO_MANY_ATTEMPTS")
    assert int(throttled.headers["retry-after"]) > 0
