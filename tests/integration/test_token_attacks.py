"""Forged, expired and misused tokens all get 401, at the BFF and at each service reached directly
(acceptance 2): every service verifies access tokens itself, HS256 only."""

import base64
import json
import time
import uuid

import jwt
import pytest

from tests.integration.accounts import (
    api_login,
    assert_problem,
    create_user,
    emailed_link,
    token_of,
    unique_email,
)


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def claims(shop, user_id: str, **changes) -> dict:
    now = int(time.time())
    base = {
        "sub": user_id,
        "email": "victim@example.com",
        "roles": ["customer", "admin"],
        "typ": "access",
        "iss": shop.settings.jwt_issuer,
        "aud": shop.settings.jwt_audience,
        "iat": now,
        "exp": now + 600,
        "jti": str(uuid.uuid4()),
    }
    return {k: v for k, v in (base | changes).items() if v is not None}


def secret(shop) -> str:
    return shop.settings.resolved_jwt_secret()


FORGERIES = {
    "alg none": lambda shop, uid: f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims(shop, uid))}.",
    "other key": lambda shop, uid: jwt.encode(
        claims(shop, uid), "another-key-" + "k" * 40, algorithm="HS256"
    ),
    "HS512 with the real key": lambda shop, uid: jwt.encode(
        claims(shop, uid), secret(shop), algorithm="HS512"
    ),
    "expired": lambda shop, uid: jwt.encode(
        claims(shop, uid, iat=int(time.time()) - 3600, exp=int(time.time()) - 60),
        secret(shop),
        algorithm="HS256",
    ),
    "wrong aud": lambda shop, uid: jwt.encode(
        claims(shop, uid, aud="elsewhere"), secret(shop), algorithm="HS256"
    ),
    "wrong iss": lambda shop, uid: jwt.encode(claims(shop, uid, iss="evil"), secret(shop), algorithm="HS256"),
    "not an access token": lambda shop, uid: jwt.encode(
        claims(shop, uid, typ="refresh"), secret(shop), algorithm="HS256"
    ),
    "no typ": lambda shop, uid: jwt.encode(claims(shop, uid, typ=None), secret(shop), algorithm="HS256"),
    "garbage": lambda shop, uid: "not.a.jwt",
}


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize("kind", FORGERIES)
async def test_forged_or_expired_access_tokens_get_401_everywhere(shop, kind):
    user = await create_user(shop, unique_email("victim"))
    token = FORGERIES[kind](shop, user["id"])
    headers = {"Authorization": f"Bearer {token}"}
    targets = [
        ("gateway", "GET", "/bff/auth/me"),
        ("gateway", "GET", "/bff/admin/users"),
        ("auth", "GET", "/api/auth/me"),
        ("auth", "GET", "/api/auth/admin/users"),
        ("users", "GET", f"/api/users/{user['id']}"),
        ("audit", "GET", "/api/audit/logs"),
        ("notifications", "GET", "/api/notifications/email-logs"),
    ]
    for service, method, path in targets:
        async with shop.client(service) as client:
            response = await client.request(method, path, headers=headers)
        assert_problem(response, 401, "INVALID_TOKEN")
    async with shop.client("gateway") as browser:
        browser.cookies.set("jwt", token)
        assert_problem(await browser.get("/bff/auth/me"), 401, "INVALID_TOKEN")


async def test_verification_and_reset_tokens_are_not_access_tokens(shop):
    email = unique_email("onetime")
    await create_user(shop, email)
    verification = token_of(
        await emailed_link(shop, email, "/bff/auth/email/verify", subject="Verify your email address")
    )
    async with shop.client("gateway") as client:
        assert (await client.post("/bff/auth/password/forgot", json={"email": email})).status_code == 202
    reset = token_of(
        await emailed_link(shop, email, "/bff/auth/password/reset", subject="Reset your password")
    )
    for token in (verification, reset):
        async with shop.client("auth") as auth:
            response = await auth.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert_problem(response, 401, "INVALID_TOKEN")
        async with shop.client("gateway") as browser:
            browser.cookies.set("jwt", token)
            assert_problem(await browser.get("/bff/auth/me"), 401, "INVALID_TOKEN")


async def test_an_access_token_is_not_a_refresh_token(shop):
    email = unique_email("swap")
    await create_user(shop, email)
    session = (await api_login(shop, email))["session"]
    async with shop.client("auth") as auth:
        response = await auth.post("/api/auth/refresh", json={"refreshToken": session["accessToken"]})
    assert_problem(response, 401, "REFRESH_INVALID")
    async with shop.client("gateway") as browser:
        browser.cookies.set("refreshToken", session["accessToken"])
        browser.cookies.set("csrfToken", session["csrfToken"])
        refreshed = await browser.post("/bff/auth/refresh", headers={"X-CSRF-Token": session["csrfToken"]})
    assert_problem(refreshed, 401, "REFRESH_INVALID")


async def test_a_refresh_token_is_not_an_access_token(shop):
    email = unique_email("swap2")
    await create_user(shop, email)
    session = (await api_login(shop, email))["session"]
    async with shop.client("auth") as auth:
        response = await auth.get(
            "/api/auth/me", headers={"Authorization": f"Bearer {session['refreshToken']}"}
        )
    assert_problem(response, 401, "INVALID_TOKEN")


async def test_internal_users_routes_need_a_service_token(shop):
    user = await create_user(shop, unique_email("internal"))
    customer = (await api_login(shop, user["email"]))["session"]
    async with shop.client("users") as users:
        assert_problem(await users.get(f"/api/users/{user['id']}"), 401, "UNAUTHENTICATED")
        for roles in (["customer"], ["admin"]):
            assert_problem(
                await users.get(f"/api/users/{user['id']}", headers=shop.token(roles)), 403, "FORBIDDEN"
            )
        as_customer = {"Authorization": f"Bearer {customer['accessToken']}"}
        attempts = [
            ("GET", "/api/users", None),
            ("DELETE", f"/api/users/{user['id']}?actor=x", None),
            ("PATCH", f"/api/users/{user['id']}/access", {"roles": ["admin"], "actor": "x"}),
            (
                "PUT",
                f"/api/users/{user['id']}/password",
                {"newPassword": "Hacked123", "expectedFingerprint": "x"},
            ),
            ("POST", "/api/users/credentials/verify", {"email": user["email"], "password": "x"}),
        ]
        for method, path, body in attempts:
            response = await users.request(method, path, json=body, headers=as_customer)
            assert_problem(response, 403, "FORBIDDEN")
        assert (
            await users.get(f"/api/users/{user['id']}", headers=shop.token(["service"]))
        ).status_code == 200
