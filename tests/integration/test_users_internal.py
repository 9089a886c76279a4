"""The users service's internal routes (called by auth with its service token): their error paths."""

import pytest

from tests.helpers import PASSWORD
from tests.integration.accounts import assert_problem, create_user, unique_email


@pytest.fixture
async def users(shop):
    async with shop.client("users") as client:
        client.headers.update(shop.token(["service"]))
        yield client


async def test_unknown_users_are_404_on_every_route(users):
    missing = "00000000-0000-0000-0000-000000000000"
    attempts = [
        ("GET", f"/api/users/{missing}", None),
        ("GET", f"/api/users/{missing}/password-fingerprint", None),
        ("POST", f"/api/users/{missing}/password/verify", {"password": PASSWORD}),
        (
            "POST",
            f"/api/users/{missing}/password/change",
            {"currentPassword": PASSWORD, "newPassword": "Other1pass"},
        ),
        ("PUT", f"/api/users/{missing}/password", {"newPassword": "Other1pass", "expectedFingerprint": "x"}),
        ("PATCH", f"/api/users/{missing}", {"firstName": "Ann", "actor": "test"}),
        ("PATCH", f"/api/users/{missing}/access", {"isActive": False, "actor": "test"}),
        ("DELETE", f"/api/users/{missing}?actor=test", None),
    ]
    for method, path, body in attempts:
        assert_problem(await users.request(method, path, json=body), 404, "NOT_FOUND")


async def test_credentials_check(shop, users):
    user = await create_user(shop, unique_email("creds"))
    ok = await users.post(
        "/api/users/credentials/verify", json={"email": user["email"], "password": PASSWORD}
    )
    assert ok.status_code == 200 and ok.json()["lastLoginAt"]
    for body in (
        {"email": user["email"], "password": "Wrong1pass"},
        {"email": "nobody@example.com", "password": PASSWORD},
    ):
        assert_problem(
            await users.post("/api/users/credentials/verify", json=body), 401, "INVALID_CREDENTIALS"
        )
    too_long = {"email": user["email"], "password": "a1" * 37}
    problem = assert_problem(
        await users.post("/api/users/credentials/verify", json=too_long), 400, "VALIDATION_FAILED"
    )
    assert problem["errors"][0]["field"] == "password" and problem["errors"][0]["code"] == "too_long"


async def test_reset_refuses_a_stale_fingerprint_and_changes_it(shop, users):
    user = await create_user(shop, unique_email("fp"))
    path = f"/api/users/{user['id']}"
    fingerprint = (await users.get(f"{path}/password-fingerprint")).json()["fingerprint"]
    assert len(fingerprint) == 64
    stale = await users.put(
        f"{path}/password", json={"newPassword": "Other1pass", "expectedFingerprint": "0" * 64}
    )
    assert_problem(stale, 409, "PASSWORD_CHANGED")
    done = await users.put(
        f"{path}/password", json={"newPassword": "Other1pass", "expectedFingerprint": fingerprint}
    )
    assert done.status_code == 200
    assert (await users.get(f"{path}/password-fingerprint")).json()["fingerprint"] != fingerprint
    again = await users.put(
        f"{path}/password", json={"newPassword": "Third1pass", "expectedFingerprint": fingerprint}
    )
    assert_problem(again, 409, "PASSWORD_CHANGED")
    assert_problem(
        await users.post(f"{path}/password/verify", json={"password": PASSWORD}),
        400,
        "INVALID_CURRENT_PASSWORD",
    )
    assert (await users.post(f"{path}/password/verify", json={"password": "Other1pass"})).status_code == 204


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"firstName": "Ann"}, "actor"),
        ({"email": "x", "actor": "t"}, "email"),
        ({"actor": ""}, "actor"),
    ],
)
async def test_profile_update_validation(shop, users, body, field):
    user = await create_user(shop, unique_email("pv"))
    problem = assert_problem(
        await users.patch(f"/api/users/{user['id']}", json=body), 400, "VALIDATION_FAILED"
    )
    assert [e["field"] for e in problem["errors"]] == [field]


async def test_delete_needs_an_actor_and_publishes_user_deleted(shop, users):
    user = await create_user(shop, unique_email("del"))
    assert_problem(await users.delete(f"/api/users/{user['id']}"), 400, "VALIDATION_FAILED")
    assert (await users.delete(f"/api/users/{user['id']}", params={"actor": "admin-1"})).status_code == 204
    await shop.idle()
    (deleted,) = await shop.audit(eventType="user.deleted", userId=user["id"])
    assert deleted["payload"]["deletedBy"] == "admin-1" and deleted["source"] == "users"
