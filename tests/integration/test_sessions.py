"""Sign-in sessions end to end: the full cycle with cookies and CSRF through the BFF and with Bearer
tokens against auth (acceptance 1), refresh rotation and reuse detection (acceptance 3), login."""

import asyncio
import json
import sqlite3

import pytest

from tests.helpers import PASSWORD, set_cookies
from tests.integration.accounts import (
    Browser,
    api_login,
    assert_problem,
    bearer,
    create_user,
    emailed_link,
    unique_email,
)

VERIFY = "/bff/auth/email/verify"
VERIFY_SUBJECT = "Verify your email address"


@pytest.mark.any_runtime
async def test_full_cycle_through_the_bff_with_cookies_and_csrf(shop):
    email = unique_email("cycle")
    browser = Browser(shop)
    registered = await browser.http.post(
        "/bff/auth/register",
        json={"firstName": "Ada", "lastName": "Lovelace", "email": email, "password": PASSWORD},
    )
    assert registered.status_code == 201, registered.text
    verified = await browser.http.get(await emailed_link(shop, email, VERIFY, subject=VERIFY_SUBJECT))
    assert verified.status_code == 200 and verified.json()["user"]["isEmailVerified"] is True

    login = await browser.login(email)
    assert login.status_code == 200, login.text
    body = login.json()
    assert body["user"]["email"] == email and body["tokenType"] == "Bearer"
    assert body["accessToken"] == browser.cookie("jwt")
    assert "refreshToken" not in body and "csrfToken" not in body and PASSWORD not in login.text
    cookies = set_cookies(login)
    assert set(cookies) == {"jwt", "refreshToken", "csrfToken"}
    assert cookies["jwt"]["httponly"] and cookies["refreshToken"]["httponly"]
    assert not cookies["csrfToken"]["httponly"]
    assert all(c["samesite"].lower() == "strict" and c["path"] == "/" for c in cookies.values())

    me = await browser.me()
    assert me.status_code == 200 and me.json()["email"] == email
    assert me.json()["isEmailVerified"] is True and me.json()["lastLoginAt"]

    csrf = browser.cookie("csrfToken")
    seen_refresh = [browser.cookie("refreshToken")]
    seen_access = [browser.cookie("jwt")]
    for _ in range(2):
        refreshed = await browser.refresh()
        assert refreshed.status_code == 200, refreshed.text
        assert refreshed.json()["user"]["email"] == email
        assert browser.cookie("refreshToken") not in seen_refresh
        assert browser.cookie("jwt") not in seen_access
        assert browser.cookie("csrfToken") == csrf  # one CSRF token for the session's life
        seen_refresh.append(browser.cookie("refreshToken"))
        seen_access.append(browser.cookie("jwt"))
        assert (await browser.me()).status_code == 200

    logout = await browser.send("POST", "/bff/auth/logout")
    assert logout.status_code == 204
    assert browser.cookie("jwt") is None and browser.cookie("refreshToken") is None
    assert_problem(await browser.refresh(), 401, "UNAUTHENTICATED")

    # The last refresh token, replayed after logout, is dead: its whole family was revoked.
    browser.http.cookies.set("refreshToken", seen_refresh[-1])
    browser.http.cookies.set("csrfToken", csrf)
    assert_problem(await browser.refresh(), 401, "REFRESH_INVALID")
    await browser.aclose()


@pytest.mark.any_runtime
async def test_full_cycle_with_bearer_tokens_against_the_auth_service(shop):
    email = unique_email("api")
    async with shop.client("auth") as auth:
        registered = await auth.post(
            "/api/auth/register", json={"firstName": "Alan", "email": email, "password": PASSWORD}
        )
        assert registered.status_code == 201
        assert registered.json()["session"]["tokenType"] == "Bearer"
        link = await emailed_link(shop, email, VERIFY, subject=VERIFY_SUBJECT)
        verified = await auth.get("/api/auth/email/verify", params={"token": link.split("token=")[1]})
        assert verified.status_code == 200

        login = await auth.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        session = login.json()["session"]
        assert {"accessToken", "refreshToken", "csrfToken", "sessionId"} <= set(session)
        me = await auth.get("/api/auth/me", headers=bearer(session))
        assert me.status_code == 200 and me.json()["isEmailVerified"] is True

        for _ in range(2):
            refreshed = await auth.post("/api/auth/refresh", json={"refreshToken": session["refreshToken"]})
            assert refreshed.status_code == 200, refreshed.text
            new = refreshed.json()["session"]
            assert new["refreshToken"] != session["refreshToken"]
            assert new["sessionId"] == session["sessionId"]
            session = new
            assert (await auth.get("/api/auth/me", headers=bearer(session))).status_code == 200

        logout = await auth.post("/api/auth/logout", json={"refreshToken": session["refreshToken"]})
        assert logout.status_code == 204
        again = await auth.post("/api/auth/refresh", json={"refreshToken": session["refreshToken"]})
        assert_problem(again, 401, "REFRESH_INVALID")


@pytest.mark.any_runtime
async def test_bearer_clients_use_the_bff_without_cookies_or_csrf(shop):
    email = unique_email("bearer")
    await create_user(shop, email)
    session = (await api_login(shop, email))["session"]
    async with shop.client("gateway") as client:
        me = await client.get("/bff/auth/me", headers=bearer(session))
        assert me.status_code == 200 and me.json()["email"] == email
        patched = await client.patch("/bff/account", json={"firstName": "Grace"}, headers=bearer(session))
        assert patched.status_code == 200 and patched.json()["firstName"] == "Grace"


@pytest.mark.any_runtime
async def test_reusing_a_spent_refresh_token_revokes_the_whole_family(shop):
    email = unique_email("reuse")
    await create_user(shop, email)
    first = (await api_login(shop, email))["session"]["refreshToken"]
    other_device = (await api_login(shop, email))["session"]["refreshToken"]
    async with shop.client("auth") as auth:

        async def refresh(token):
            return await auth.post("/api/auth/refresh", json={"refreshToken": token})

        second = (await refresh(first)).json()["session"]["refreshToken"]
        assert_problem(await refresh(first), 401, "REFRESH_REUSED")
        assert_problem(await refresh(second), 401, "REFRESH_INVALID")  # the newest dies with the family
        assert_problem(await refresh(first), 401, "REFRESH_REUSED")
        # Another sign-in is another family: untouched.
        assert (await refresh(other_device)).status_code == 200


@pytest.mark.any_runtime
async def test_reuse_through_the_bff_clears_the_cookies(shop):
    email = unique_email("reusebff")
    await create_user(shop, email)
    browser = Browser(shop)
    await browser.login(email)
    stolen = browser.cookie("refreshToken")
    assert (await browser.refresh()).status_code == 200
    attacker = Browser(shop)
    attacker.http.cookies.set("refreshToken", stolen)
    attacker.http.cookies.set("csrfToken", browser.cookie("csrfToken"))
    reused = await attacker.refresh()
    assert_problem(reused, 401, "REFRESH_REUSED")
    assert "refreshToken=" in reused.headers.get("set-cookie", "")  # told to forget it
    assert_problem(await browser.refresh(), 401, "REFRESH_INVALID")
    assert browser.cookie("refreshToken") is None
    await browser.aclose()
    await attacker.aclose()


@pytest.mark.any_runtime
async def test_concurrent_refreshes_with_one_token_let_one_through_and_end_the_session(shop):
    email = unique_email("race")
    await create_user(shop, email)
    token = (await api_login(shop, email))["session"]["refreshToken"]
    async with shop.client("auth") as auth:
        answers = await asyncio.gather(
            *(auth.post("/api/auth/refresh", json={"refreshToken": token}) for _ in range(5))
        )
        assert sorted(a.status_code for a in answers) == [200, 401, 401, 401, 401]
        codes = {a.json()["code"] for a in answers if a.status_code == 401}
        # The first loser detects the reuse and ends the session; later ones may find it ended.
        assert "REFRESH_REUSED" in codes and codes <= {"REFRESH_REUSED", "REFRESH_INVALID"}
        winner = next(a for a in answers if a.status_code == 200).json()["session"]["refreshToken"]
        late = await auth.post("/api/auth/refresh", json={"refreshToken": winner})
        assert_problem(late, 401, "REFRESH_INVALID")


async def test_refresh_tokens_expire_after_seven_days_and_are_stored_hashed(make_shop):
    from tests.helpers import MovableClock

    clock = MovableClock()
    async with make_shop(clock=clock) as shop:
        email = unique_email("expiry")
        await create_user(shop, email)
        session = (await api_login(shop, email))["session"]
        with sqlite3.connect(shop.settings.data_dir / "auth.sqlite") as conn:
            stored = [row[0] for row in conn.execute("SELECT token_hash FROM refresh_tokens")]
        assert session["refreshToken"] not in stored and all(len(h) == 64 for h in stored)
        clock.advance(days=7, seconds=1)
        async with shop.client("auth") as auth:
            expired = await auth.post("/api/auth/refresh", json={"refreshToken": session["refreshToken"]})
        assert_problem(expired, 401, "REFRESH_EXPIRED")


@pytest.mark.any_runtime
@pytest.mark.parametrize(
    "body", [{"refreshToken": ""}, {"refreshToken": "x" * 2049}, {}, {"refreshToken": 5}]
)
async def test_malformed_refresh_requests_are_400(shop, body):
    async with shop.client("auth") as auth:
        assert_problem(await auth.post("/api/auth/refresh", json=body), 400, "VALIDATION_FAILED")


@pytest.mark.any_runtime
async def test_refresh_and_logout_with_unknown_tokens(shop):
    async with shop.client("auth") as auth:
        unknown = await auth.post("/api/auth/refresh", json={"refreshToken": "not-a-token"})
        assert_problem(unknown, 401, "REFRESH_INVALID")
        assert (await auth.post("/api/auth/logout", json={"refreshToken": "not-a-token"})).status_code == 204
    async with shop.client("gateway") as anonymous:
        assert (await anonymous.post("/bff/auth/logout")).status_code == 204  # nothing to end


@pytest.mark.any_runtime
async def test_unknown_email_and_wrong_password_answer_alike(shop):
    email = unique_email("same")
    await create_user(shop, email)
    browser = Browser(shop)
    wrong = await browser.login(email, "Wrong1pass")
    unknown = await browser.login(unique_email("nobody"), "Wrong1pass")
    for response in (wrong, unknown):
        assert_problem(response, 401, "INVALID_CREDENTIALS")
        assert "set-cookie" not in response.headers
    strip = lambda r: {k: v for k, v in r.json().items() if k != "correlationId"}  # noqa: E731
    assert strip(wrong) == strip(unknown)
    await browser.aclose()


@pytest.mark.any_runtime
async def test_login_is_case_insensitive_on_the_email_and_sets_last_login(shop):
    email = unique_email("case")
    user = await create_user(shop, email)
    assert user["lastLoginAt"] is None
    browser = Browser(shop)
    response = await browser.login(email.upper())
    assert response.status_code == 200, response.text
    assert response.json()["user"]["lastLoginAt"] is not None
    await browser.aclose()


@pytest.mark.any_runtime
async def test_disabled_accounts_get_403_only_with_the_right_password(shop):
    email = unique_email("disabled")
    user = await create_user(shop, email)
    async with shop.client("auth") as auth:
        patched = await auth.patch(
            f"/api/auth/admin/users/{user['id']}", json={"isActive": False}, headers=shop.token(["admin"])
        )
        assert patched.status_code == 200 and patched.json()["isActive"] is False
        right = await auth.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        assert_problem(right, 403, "ACCOUNT_DISABLED")
        wrong = await auth.post("/api/auth/login", json={"email": email, "password": "Wrong1pass"})
        assert_problem(wrong, 401, "INVALID_CREDENTIALS")


@pytest.mark.any_runtime
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "a@example.com"}, "password"),
        ({"password": PASSWORD}, "email"),
        ({"email": 5, "password": PASSWORD}, "email"),
        ({"email": "a@example.com", "password": "é" * 37}, "password"),  # 74 bytes: bcrypt reads 72
    ],
)
async def test_bad_login_input_is_400(shop, body, field):
    problem = assert_problem(await shop.bff.post("/bff/auth/login", json=body), 400, "VALIDATION_FAILED")
    assert [e["field"] for e in problem["errors"]] == [field]


@pytest.mark.any_runtime
async def test_login_events_are_audited_without_the_password(shop):
    email = unique_email("audited")
    user = await create_user(shop, email)
    headers = {"User-Agent": "pytest-browser/2.0"}
    async with shop.client("gateway") as client:
        await client.post("/bff/auth/login", json={"email": email, "password": "Wrong1pass"}, headers=headers)
        ok = await client.post(
            "/bff/auth/login", json={"email": email, "password": PASSWORD}, headers=headers
        )
        assert ok.status_code == 200
    await shop.idle()
    failed = await shop.audit(eventType="auth.login.failed", email=email)
    succeeded = await shop.audit(eventType="auth.login.succeeded", userId=user["id"])
    assert len(failed) == 1 and len(succeeded) == 1
    assert failed[0]["success"] is False and failed[0]["action"] == "LOGIN_FAILED"
    assert failed[0]["payload"]["reason"] == "invalid_credentials"
    assert succeeded[0]["success"] is True and succeeded[0]["payload"]["sessionId"]
    for record in (failed[0], succeeded[0]):
        assert record["ipAddress"] and record["userAgent"] == "pytest-browser/2.0"
        assert "Wrong1pass" not in json.dumps(record) and PASSWORD not in json.dumps(record)
