"""Registration through the BFF, end to end: acceptance items 1, 3 and 4 of the foundation issue."""

import asyncio
import re
import sqlite3
import uuid
from urllib.parse import urlsplit

import pytest

from tests.helpers import PASSWORD, ShopDriver, set_cookies
from tests.integration.accounts import unique_email
from tests.waiting import free_port

REGISTRATION_EVENTS = {"user.created", "auth.user.registered", "auth.email.verification.requested"}


def _stored_hash(shop: ShopDriver, email: str) -> str:
    with sqlite3.connect(shop.settings.data_dir / "users.sqlite") as conn:
        (value,) = conn.execute("SELECT password_hash FROM users WHERE email = ?", (email,)).fetchone()
    return str(value)


def _verification_link(text: str) -> str:
    match = re.search(r"https?://\S+/bff/auth/email/verify\?token=[\w-]+", text)
    assert match, text
    return match.group(0)


async def test_happy_path_registers_stores_hash_publishes_mails_audits_and_verifies(make_shop):
    async with make_shop(bcrypt_rounds=10) as shop:
        correlation_id = str(uuid.uuid4())
        response = await shop.bff.post(
            "/bff/auth/register",
            json={
                "firstName": "John",
                "lastName": "Doe",
                "email": "John.Doe@Example.com",
                "phoneNumber": "+1234567890",
                "password": "SecurePass123!",
            },
            headers={"X-Correlation-ID": correlation_id, "User-Agent": "pytest-browser/1.0"},
        )
        assert response.status_code == 201, response.text
        assert response.headers["x-correlation-id"] == correlation_id
        body = response.json()
        assert body["message"] == "Registration successful, please verify your email."
        assert body["requiresVerification"] is True
        user = body["user"]
        assert user["email"] == "john.doe@example.com"
        assert (user["firstName"], user["lastName"], user["phoneNumber"]) == ("John", "Doe", "+1234567890")
        assert user["isEmailVerified"] is False and user["isActive"] is True and user["roles"] == ["customer"]
        assert "password" not in response.text and "session" not in body

        cookies = set_cookies(response)
        assert set(cookies) == {"jwt", "refreshToken", "csrfToken"}
        assert cookies["jwt"]["httponly"] and cookies["refreshToken"]["httponly"]
        assert not cookies["csrfToken"]["httponly"]
        assert all(c["samesite"].lower() == "strict" and c["path"] == "/" for c in cookies.values())
        assert 890 <= int(cookies["jwt"]["max-age"]) <= 900
        assert 7 * 86400 - 10 <= int(cookies["refreshToken"]["max-age"]) <= 7 * 86400
        assert 7 * 86400 - 10 <= int(cookies["csrfToken"]["max-age"]) <= 7 * 86400
        assert not cookies["jwt"]["secure"]

        assert _stored_hash(shop, "john.doe@example.com").startswith("$2b$10$")

        await shop.idle()
        records = await shop.audit(correlationId=correlation_id)
        assert sorted(r["eventType"] for r in records) == sorted(REGISTRATION_EVENTS)
        registered = next(r for r in records if r["eventType"] == "auth.user.registered")
        assert registered["userAgent"] == "pytest-browser/1.0" and registered["ipAddress"]
        by_user = {r["eventType"] for r in await shop.audit(userId=user["id"])}
        assert {"user.created", "auth.user.registered"} <= by_user

        mails = await shop.mails_to("john.doe@example.com")
        assert len(mails) == 1
        assert mails[0]["Subject"] == "Verify your email address"
        message = await shop.mail_body(mails[0]["ID"])
        assert "John" in message["Text"] and "24 hours" in message["Text"]
        link = urlsplit(_verification_link(message["Text"]))

        verified = await shop.bff.get(f"{link.path}?{link.query}")
        assert verified.status_code == 200, verified.text
        assert verified.json()["user"]["isEmailVerified"] is True
        async with shop.client("users") as users:
            stored = await users.get(f"/api/users/{user['id']}", headers=shop.token(["service"]))
            assert stored.json()["isEmailVerified"] is True

        again = await shop.bff.get(f"{link.path}?{link.query}")
        assert again.status_code == 400
        assert again.headers["content-type"].startswith("application/problem+json")
        assert again.json()["code"] == "TOKEN_USED"
        await shop.idle()
        assert "auth.email.verified" in {r["eventType"] for r in await shop.audit(userId=user["id"])}


@pytest.mark.any_runtime
async def test_unknown_verification_token_is_rejected_cleanly(shop):
    response = await shop.bff.get("/bff/auth/email/verify", params={"token": "not-a-real-token"})
    assert response.status_code == 400
    assert response.json()["code"] == "TOKEN_INVALID"
    missing = await shop.bff.get("/bff/auth/email/verify")
    assert missing.status_code == 400 and missing.json()["code"] == "VALIDATION_FAILED"


@pytest.mark.any_runtime
@pytest.mark.parametrize(
    "variant",
    [str, str.upper, str.title, lambda email: f" {email} "],
    ids=["same", "upper", "title", "padded"],
)
async def test_existing_email_in_any_letter_case_is_409(shop, variant):
    email = unique_email("jane")
    assert (await shop.register(email)).status_code == 201
    response = await shop.register(variant(email))
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "EMAIL_EXISTS"


async def test_twenty_concurrent_registrations_of_one_email_make_one_user(shop):
    responses = await asyncio.gather(*(shop.register("race@example.com") for _ in range(20)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 19
    assert all(r.json()["code"] == "EMAIL_EXISTS" for r in responses if r.status_code == 409)
    with sqlite3.connect(shop.settings.data_dir / "users.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM users WHERE email='race@example.com'").fetchone() == (1,)
    await shop.idle()
    records = await shop.audit(email="race@example.com")
    assert sorted(r["eventType"] for r in records) == sorted(REGISTRATION_EVENTS)
    assert len(await shop.mails_to("race@example.com")) == 1


async def test_users_service_down_gives_503_and_publishes_nothing(make_shop):
    async with make_shop(
        users_url=f"http://127.0.0.1:{free_port()}", service_timeout_seconds=1, database_retry_seconds=0.5
    ) as shop:
        response = await shop.register("down@example.com")
        assert response.status_code == 503
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert problem["code"] == "USER_SERVICE_UNAVAILABLE"
        assert problem["correlationId"] == response.headers["x-correlation-id"]
        await shop.idle()
        assert await shop.audit() == []
        assert await shop.mails_to("down@example.com") == []


@pytest.mark.any_runtime
async def test_resend_verification_always_202_and_mails_only_unverified_users(shop):
    resend, nobody = unique_email("resend"), unique_email("nobody")
    assert (await shop.register(resend)).status_code == 201
    for address in (resend, nobody):
        response = await shop.bff.post("/bff/auth/email/resend", json={"email": address})
        assert response.status_code == 202
    await shop.idle()
    assert len(await shop.mails_to(resend)) == 2
    assert await shop.mails_to(nobody) == []
    first, second = sorted(await shop.mails_to(resend), key=lambda m: m["Created"])
    old_link = urlsplit(_verification_link((await shop.mail_body(first["ID"]))["Text"]))
    new_link = urlsplit(_verification_link((await shop.mail_body(second["ID"]))["Text"]))
    assert (await shop.bff.get(f"{old_link.path}?{old_link.query}")).json()["code"] == "TOKEN_INVALID"
    assert (await shop.bff.get(f"{new_link.path}?{new_link.query}")).status_code == 200


@pytest.mark.any_runtime
async def test_registration_body_password_never_echoed(shop):
    response = await shop.register("bad", password=PASSWORD)
    assert response.status_code == 400
    assert PASSWORD not in response.text
