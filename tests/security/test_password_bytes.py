"""bcrypt reads only 72 bytes: a password within 25 characters but over 72 bytes of UTF-8 is refused
with a clear 400 wherever a password is set, and at login it is a wrong password, never a 500 and never
silently truncated to match a stored one."""

import pytest

from tests.integration.accounts import api_login, bearer, create_user, emailed_link, token_of, unique_email
from xshop.platform.security.passwords import BCRYPT_MAX_BYTES, PasswordHasher, fits_bcrypt

OVER = "😀" * 18 + "a1"  # 20 characters, 74 bytes
AT_LIMIT = "😀" * 17 + "abc1"  # 21 characters, 72 bytes


def assert_password_refused(response) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "VALIDATION_FAILED"
    [error] = [e for e in problem["errors"] if e["field"] in ("password", "newPassword")]
    assert error["code"] == "too_long" and f"{BCRYPT_MAX_BYTES} bytes" in error["message"]


def test_the_examples_sit_on_either_side_of_the_limit():
    assert len(OVER) <= 25 and len(OVER.encode()) == 74 and not fits_bcrypt(OVER)
    assert len(AT_LIMIT.encode()) == 72 and fits_bcrypt(AT_LIMIT)


async def test_register_refuses_it(shop):
    assert_password_refused(await shop.register(unique_email("bytes"), password=OVER))


async def test_register_accepts_exactly_72_bytes_and_logs_in_with_them(shop):
    email = unique_email("bytes72")
    assert (await shop.register(email, password=AT_LIMIT)).status_code == 201
    assert (await api_login(shop, email, AT_LIMIT))["session"]["accessToken"]


async def test_change_refuses_it(shop):
    email = unique_email("bytes-change")
    await create_user(shop, email)
    session = await api_login(shop, email)
    response = await shop.bff.post(
        "/bff/auth/password/change",
        json={"currentPassword": "Secure1pass", "newPassword": OVER},
        headers=bearer(session["session"]),
    )
    assert_password_refused(response)


async def test_reset_refuses_it(shop):
    email = unique_email("bytes-reset")
    await create_user(shop, email)
    await shop.bff.post("/bff/auth/password/forgot", json={"email": email})
    link = await emailed_link(shop, email, "/bff/auth/password/reset", subject="Reset your password")
    response = await shop.bff.post(
        "/bff/auth/password/reset", json={"token": token_of(link), "newPassword": OVER}
    )
    assert_password_refused(response)


async def test_login_with_it_is_refused_explicitly_not_truncated(shop):
    """bcrypt alone would let ``AT_LIMIT`` plus anything log in as ``AT_LIMIT``: it reads 72 bytes."""
    email = unique_email("bytes-login")
    assert (await shop.register(email, password=AT_LIMIT)).status_code == 201
    for address in (email, unique_email("nobody")):
        response = await shop.bff.post("/bff/auth/login", json={"email": address, "password": AT_LIMIT + "x"})
        assert response.status_code == 400, response.text  # the same answer for known and unknown
        assert [e["field"] for e in response.json()["errors"]] == ["password"]


async def test_the_hasher_never_truncates():
    hasher = PasswordHasher(rounds=4)
    try:
        stored = await hasher.hash(AT_LIMIT)
        assert await hasher.verify(AT_LIMIT, stored)
        assert not await hasher.verify(AT_LIMIT + "x", stored)  # bcrypt alone would match this
        with pytest.raises(ValueError, match="72 bytes"):
            await hasher.hash(OVER)
    finally:
        hasher.close()
