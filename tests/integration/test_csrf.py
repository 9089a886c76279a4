"""CSRF on every state-changing BFF route a browser authenticates by cookie (acceptance 4):
missing header, wrong header, or another session's token → 403; Bearer requests are exempt;
sign-in and the other no-session routes need no token."""

import pytest

from tests.helpers import PASSWORD
from tests.integration.accounts import (
    Browser,
    api_login,
    assert_problem,
    create_user,
    make_admin,
    unique_email,
)

# (method, path, body): {target} is the id of a user the admin may change.
PROTECTED = [
    ("POST", "/bff/auth/refresh", None),
    ("POST", "/bff/auth/logout", None),
    ("POST", "/bff/auth/password/change", {"currentPassword": PASSWORD, "newPassword": "Changed123"}),
    ("PATCH", "/bff/account", {"firstName": "Mallory"}),
    ("DELETE", "/bff/account", {"password": PASSWORD}),
    ("PATCH", "/bff/admin/users/{target}", {"isActive": False}),
    ("DELETE", "/bff/admin/users/{target}", None),
]


@pytest.fixture
async def sessions(shop):
    """An admin signed in twice (two browsers, two sessions) and a user to act on."""
    admin = await create_user(shop, unique_email("admin"))
    await make_admin(shop, admin["id"])
    target = await create_user(shop, unique_email("target"))
    mine, other = Browser(shop), Browser(shop)
    for browser in (mine, other):
        assert (await browser.login(admin["email"])).status_code == 200
    yield mine, other, target
    await mine.aclose()
    await other.aclose()


def _request(route, target):
    method, path, body = route
    return method, path.format(target=target["id"]), body


@pytest.mark.parametrize("route", PROTECTED, ids=[f"{m} {p}" for m, p, _ in PROTECTED])
async def test_missing_wrong_or_foreign_csrf_tokens_are_refused(sessions, route):
    mine, other, target = sessions
    method, path, body = _request(route, target)
    own = mine.cookie("csrfToken")
    foreign = other.cookie("csrfToken")
    assert own and foreign and own != foreign
    attempts = {
        "missing": {},
        "wrong": {"X-CSRF-Token": ("y" if own.startswith("x") else "x") + own[1:]},
        "empty": {"X-CSRF-Token": ""},
        "other session's, cookie unchanged": {"X-CSRF-Token": foreign},
    }
    for what, headers in attempts.items():
        response = await mine.http.request(method, path, json=body, headers=headers)
        assert response.status_code == 403, (what, response.text)
        assert_problem(response, 403, "CSRF_FAILED")
    # Another session's token in both the header and the cookie: the pair matches, the session does not.
    mine.http.cookies.set("csrfToken", foreign)
    assert_problem(
        await mine.http.request(method, path, json=body, headers={"X-CSRF-Token": foreign}),
        403,
        "CSRF_FAILED",
    )
    mine.http.cookies.set("csrfToken", own)
    # Nothing happened: the session and the target are intact.
    assert (await mine.me()).status_code == 200
    async with mine.shop.client("auth") as auth:
        found = await auth.get(
            "/api/auth/admin/users", params={"search": target["email"]}, headers=mine.shop.token(["admin"])
        )
    assert found.json()["items"][0]["isActive"] is True


@pytest.mark.parametrize("route", PROTECTED, ids=[f"{m} {p}" for m, p, _ in PROTECTED])
async def test_the_right_csrf_token_passes(sessions, route):
    mine, _, target = sessions
    method, path, body = _request(route, target)
    response = await mine.send(method, path, json=body)
    assert response.status_code in (200, 204), response.text


async def test_bearer_requests_need_no_csrf_token(shop):
    admin = await create_user(shop, unique_email("admin"))
    await make_admin(shop, admin["id"])
    target = await create_user(shop, unique_email("target"))
    session = (await api_login(shop, admin["email"]))["session"]
    headers = {"Authorization": f"Bearer {session['accessToken']}"}
    async with shop.client("gateway") as client:
        assert (
            await client.patch("/bff/account", json={"lastName": "Hopper"}, headers=headers)
        ).status_code == 200
        patched = await client.patch(
            f"/bff/admin/users/{target['id']}", json={"isActive": False}, headers=headers
        )
        assert patched.status_code == 200
        deleted = await client.delete(f"/bff/admin/users/{target['id']}", headers=headers)
        assert deleted.status_code == 204
        changed = await client.post(
            "/bff/auth/password/change",
            json={"currentPassword": PASSWORD, "newPassword": "Changed123"},
            headers=headers,
        )
        assert changed.status_code == 200, changed.text


async def test_cookie_routes_without_a_session_are_401_not_403(shop):
    async with shop.client("gateway") as anonymous:
        assert_problem(
            await anonymous.patch("/bff/account", json={"firstName": "Eve"}), 401, "UNAUTHENTICATED"
        )
        assert_problem(await anonymous.post("/bff/auth/refresh"), 401, "UNAUTHENTICATED")


async def test_routes_without_a_session_need_no_csrf_token(shop):
    """Login, register, forgot, reset, verify and resend work from a browser holding stale cookies."""
    email = unique_email("exempt")
    await create_user(shop, email)
    browser = Browser(shop)
    await browser.login(email)
    browser.http.cookies.set("csrfToken", "stale")
    assert (await browser.login(email)).status_code == 200
    assert (
        await browser.http.post(
            "/bff/auth/register", json={"firstName": "Neo", "email": unique_email(), "password": PASSWORD}
        )
    ).status_code == 201
    assert (await browser.http.post("/bff/auth/password/forgot", json={"email": email})).status_code == 202
    assert_problem(
        await browser.http.post(
            "/bff/auth/password/reset", json={"token": "unknown", "newPassword": "Changed123"}
        ),
        400,
        "TOKEN_INVALID",
    )
    assert (await browser.http.post("/bff/auth/email/resend", json={"email": email})).status_code == 202
    assert_problem(
        await browser.http.get("/bff/auth/email/verify", params={"token": "unknown"}), 400, "TOKEN_INVALID"
    )
    await browser.aclose()
