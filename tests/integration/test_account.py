"""The signed-in user's own account through the BFF: profile, email change, deletion."""

import pytest

from tests.helpers import PASSWORD
from tests.integration.accounts import (
    Browser,
    assert_problem,
    create_user,
    emailed_link,
    unique_email,
)

VERIFY = "/bff/auth/email/verify"


@pytest.fixture
async def signed_in(shop):
    email = unique_email("me")
    user = await create_user(shop, email, phoneNumber="+1234567890")
    browser = Browser(shop)
    assert (await browser.login(email)).status_code == 200
    yield browser, user
    await browser.aclose()


async def test_get_account_shows_the_profile_and_never_the_hash(signed_in):
    browser, user = signed_in
    response = await browser.http.get("/bff/account")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == user["id"] and body["phoneNumber"] == "+1234567890"
    assert not any("password" in key.lower() or "hash" in key.lower() for key in body)


async def test_names_and_phone_change_and_null_clears_the_phone(signed_in):
    browser, _ = signed_in
    response = await browser.send("PATCH", "/bff/account", json={"firstName": "Ada", "lastName": "O'Neil"})
    assert response.status_code == 200, response.text
    assert (response.json()["firstName"], response.json()["lastName"]) == ("Ada", "O'Neil")
    assert response.json()["phoneNumber"] == "+1234567890"
    cleared = await browser.send("PATCH", "/bff/account", json={"phoneNumber": None})
    assert cleared.json()["phoneNumber"] is None and cleared.json()["firstName"] == "Ada"


async def test_changing_the_email_unverifies_it_and_sends_a_new_link(shop, signed_in):
    browser, user = signed_in
    new_email = unique_email("moved")
    response = await browser.send("PATCH", "/bff/account", json={"email": new_email.upper()})
    assert response.status_code == 200, response.text
    assert response.json()["email"] == new_email and response.json()["isEmailVerified"] is False
    link = await emailed_link(shop, new_email, VERIFY, subject="Verify your email address")
    verified = await browser.http.get(link)
    assert verified.status_code == 200 and verified.json()["user"]["email"] == new_email
    assert (await browser.login(new_email)).status_code == 200
    assert_problem(await browser.login(user["email"]), 401, "INVALID_CREDENTIALS")
    updated = await shop.audit(eventType="user.updated", userId=user["id"])
    assert updated[0]["payload"]["changes"] == ["email"]


async def test_the_old_verification_link_fails_after_an_email_change(shop, signed_in):
    browser, user = signed_in
    old_link = await emailed_link(shop, user["email"], VERIFY, subject="Verify your email address")
    await browser.send("PATCH", "/bff/account", json={"email": unique_email("new")})
    response = await browser.http.get(old_link)
    assert response.status_code in (400, 409)
    assert response.json()["code"] in ("TOKEN_INVALID", "EMAIL_CHANGED")


async def test_an_email_in_use_is_409(shop, signed_in):
    browser, _ = signed_in
    taken = unique_email("taken")
    await create_user(shop, taken)
    assert_problem(await browser.send("PATCH", "/bff/account", json={"email": taken}), 409, "EMAIL_EXISTS")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"firstName": "J"}, "firstName"),
        ({"lastName": "D0e"}, "lastName"),
        ({"phoneNumber": "12"}, "phoneNumber"),
        ({"email": "not-an-email"}, "email"),
        ({"firstName": 5}, "firstName"),
    ],
)
async def test_invalid_profile_changes_are_400(signed_in, body, field):
    browser, _ = signed_in
    problem = assert_problem(await browser.send("PATCH", "/bff/account", json=body), 400, "VALIDATION_FAILED")
    assert [e["field"] for e in problem["errors"]] == [field]


async def test_account_routes_need_a_session(shop):
    async with shop.client("gateway") as anonymous:
        assert_problem(await anonymous.get("/bff/account"), 401, "UNAUTHENTICATED")
        assert_problem(await anonymous.get("/bff/auth/me"), 401, "UNAUTHENTICATED")
        assert_problem(
            await anonymous.request("DELETE", "/bff/account", json={"password": PASSWORD}),
            401,
            "UNAUTHENTICATED",
        )


async def test_deleting_your_account_needs_the_password_and_ends_every_session(shop, signed_in):
    browser, user = signed_in
    other = Browser(shop)
    await other.login(user["email"])
    wrong = await browser.send("DELETE", "/bff/account", json={"password": "Wrong1pass"})
    assert_problem(wrong, 400, "INVALID_CURRENT_PASSWORD")
    missing = await browser.send("DELETE", "/bff/account", json={})
    assert_problem(missing, 400, "VALIDATION_FAILED")

    deleted = await browser.send("DELETE", "/bff/account", json={"password": PASSWORD})
    assert deleted.status_code == 204
    assert browser.cookie("jwt") is None and browser.cookie("refreshToken") is None
    assert_problem(await other.refresh(), 401, "REFRESH_INVALID")
    assert_problem(await other.me(), 401, "UNAUTHENTICATED")  # its access token outlives the account
    assert_problem(await browser.login(user["email"]), 401, "INVALID_CREDENTIALS")

    await shop.idle()
    history = {r["eventType"] for r in await shop.audit(userId=user["id"])}
    assert {"user.created", "auth.user.registered", "auth.login.succeeded", "user.deleted"} <= history
    (gone,) = await shop.audit(eventType="user.deleted", userId=user["id"])
    assert gone["payload"]["deletedBy"] == user["id"] and gone["email"] == user["email"]
    assert (await shop.register(user["email"])).status_code == 201  # the address is free again
    await other.aclose()
