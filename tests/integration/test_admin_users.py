"""User administration (acceptance 7): admins list, change and delete users; customers get 403 on
every admin route; a deleted or disabled user's sessions die at their next refresh."""

import pytest

from tests.integration.accounts import (
    Browser,
    api_login,
    assert_problem,
    bearer,
    create_user,
    make_admin,
    unique_email,
)

ADMIN_ROUTES = [
    ("gateway", "GET", "/bff/admin/users", None),
    ("gateway", "PATCH", "/bff/admin/users/{target}", {"isActive": False}),
    ("gateway", "DELETE", "/bff/admin/users/{target}", None),
    ("gateway", "GET", "/bff/admin/audit", None),
    ("gateway", "GET", "/bff/admin/emails", None),
    ("gateway", "GET", "/bff/admin/dashboard", None),
    ("gateway", "GET", "/bff/admin/dead-letters", None),
    ("gateway", "POST", "/bff/admin/dead-letters/audit-service-queue/replay", None),
    ("auth", "GET", "/api/auth/admin/users", None),
    ("auth", "PATCH", "/api/auth/admin/users/{target}", {"roles": ["admin"]}),
    ("auth", "DELETE", "/api/auth/admin/users/{target}", None),
    ("audit", "GET", "/api/audit/logs", None),
    ("notifications", "GET", "/api/notifications/email-logs", None),
]


@pytest.fixture
async def admin(shop):
    user = await create_user(shop, unique_email("admin"))
    await make_admin(shop, user["id"])
    browser = Browser(shop)
    assert (await browser.login(user["email"])).status_code == 200
    yield browser, user
    await browser.aclose()


async def test_a_customer_gets_403_on_every_admin_route(shop):
    customer = await create_user(shop, unique_email("customer"))
    target = await create_user(shop, unique_email("target"))
    session = (await api_login(shop, customer["email"]))["session"]
    browser = Browser(shop)
    await browser.login(customer["email"])
    for service, method, template, body in ADMIN_ROUTES:
        path = template.format(target=target["id"])
        async with shop.client(service) as client:
            response = await client.request(method, path, json=body, headers=bearer(session))
        assert_problem(response, 403, "FORBIDDEN")
        if service == "gateway":  # and with the browser's cookies and a valid CSRF token
            assert_problem(await browser.send(method, path, json=body), 403, "FORBIDDEN")
        async with shop.client(service) as client:
            assert_problem(await client.request(method, path, json=body), 401, "UNAUTHENTICATED")
    async with shop.client("auth") as auth:
        found = await auth.get(
            "/api/auth/admin/users", params={"search": target["email"]}, headers=shop.token(["admin"])
        )
    assert found.json()["items"][0]["isActive"] is True and found.json()["items"][0]["roles"] == ["customer"]
    await browser.aclose()


async def test_deleting_a_user_kills_their_sessions_at_the_next_refresh(shop, admin):
    browser, _ = admin
    victim = await create_user(shop, unique_email("victim"))
    victim_browser = Browser(shop)
    await victim_browser.login(victim["email"])
    api_session = (await api_login(shop, victim["email"]))["session"]

    response = await browser.send("DELETE", f"/bff/admin/users/{victim['id']}")
    assert response.status_code == 204
    ended = await victim_browser.refresh()
    assert_problem(ended, 401, "REFRESH_INVALID")
    assert victim_browser.cookie("refreshToken") is None
    async with shop.client("auth") as auth:
        stale = await auth.post("/api/auth/refresh", json={"refreshToken": api_session["refreshToken"]})
    assert_problem(stale, 401, "REFRESH_INVALID")
    assert_problem(await browser.send("DELETE", f"/bff/admin/users/{victim['id']}"), 404, "NOT_FOUND")
    await shop.idle()
    (deleted,) = await shop.audit(eventType="user.deleted", userId=victim["id"])
    assert deleted["payload"]["deletedBy"] == admin[1]["id"]
    await victim_browser.aclose()


async def test_disabling_a_user_ends_their_sessions_and_sign_ins(shop, admin):
    browser, _ = admin
    victim = await create_user(shop, unique_email("disabled"))
    victim_browser = Browser(shop)
    await victim_browser.login(victim["email"])
    patched = await browser.send("PATCH", f"/bff/admin/users/{victim['id']}", json={"isActive": False})
    assert patched.status_code == 200 and patched.json()["isActive"] is False
    assert_problem(await victim_browser.refresh(), 401, "REFRESH_INVALID")
    assert_problem(await victim_browser.login(victim["email"]), 403, "ACCOUNT_DISABLED")
    enabled = await browser.send("PATCH", f"/bff/admin/users/{victim['id']}", json={"isActive": True})
    assert enabled.json()["isActive"] is True
    assert (await victim_browser.login(victim["email"])).status_code == 200
    await victim_browser.aclose()


async def test_promoting_a_user_takes_effect_at_their_next_refresh(shop, admin):
    browser, _ = admin
    user = await create_user(shop, unique_email("promoted"))
    user_browser = Browser(shop)
    await user_browser.login(user["email"])
    assert_problem(await user_browser.http.get("/bff/admin/users"), 403, "FORBIDDEN")
    patched = await browser.send(
        "PATCH", f"/bff/admin/users/{user['id']}", json={"roles": ["admin", "customer"]}
    )
    assert patched.json()["roles"] == ["customer", "admin"]
    assert (await user_browser.refresh()).status_code == 200
    assert (await user_browser.http.get("/bff/admin/users")).status_code == 200
    await shop.idle()
    (updated,) = await shop.audit(eventType="user.updated", userId=user["id"])
    assert updated["payload"]["changes"] == ["roles"]
    await user_browser.aclose()


@pytest.mark.parametrize(
    "body", [{"roles": ["superuser"]}, {"roles": []}, {"roles": "admin"}, {"isActive": "no"}]
)
async def test_invalid_access_changes_are_400(shop, admin, body):
    browser, _ = admin
    target = await create_user(shop, unique_email("t"))
    assert_problem(
        await browser.send("PATCH", f"/bff/admin/users/{target['id']}", json=body), 400, "VALIDATION_FAILED"
    )


async def test_admins_cannot_lock_themselves_out_and_unknown_users_are_404(admin):
    browser, me = admin
    for method, body in (("PATCH", {"isActive": False}), ("DELETE", None)):
        assert_problem(
            await browser.send(method, f"/bff/admin/users/{me['id']}", json=body), 409, "OWN_ACCOUNT"
        )
        assert_problem(
            await browser.send(method, "/bff/admin/users/no-such-user", json=body), 404, "NOT_FOUND"
        )


async def test_the_user_list_pages_searches_and_filters(shop, admin):
    browser, me = admin
    created = [
        await create_user(shop, unique_email(f"list{i}"), firstName=f"Name{'x' * i}") for i in range(5)
    ]
    await create_user(shop, "zed.unique@example.com", firstName="Zebedee", lastName="Quux")

    first = (await browser.http.get("/bff/admin/users", params={"pageSize": 3})).json()
    assert (first["page"], first["pageSize"], first["totalItems"], first["totalPages"]) == (1, 3, 7, 3)
    assert first["hasNext"] and not first["hasPrevious"]
    everyone = []
    for page in (1, 2, 3):
        everyone += (await browser.http.get("/bff/admin/users", params={"pageSize": 3, "page": page})).json()[
            "items"
        ]
    assert len({u["id"] for u in everyone}) == 7  # stable order, nobody twice or missing
    assert everyone[0]["email"] == "zed.unique@example.com"  # newest first

    async def emails(**params):
        answer = await browser.http.get("/bff/admin/users", params=params)
        assert answer.status_code == 200, answer.text
        return {u["email"] for u in answer.json()["items"]}

    assert await emails(search="ZED.UNI") == {"zed.unique@example.com"}
    assert await emails(search="zebedee quux") == {"zed.unique@example.com"}
    assert await emails(search="%") == set()
    assert await emails(role="admin") == {me["email"]}
    assert await emails(verified="true") == set()
    await browser.send("PATCH", f"/bff/admin/users/{created[0]['id']}", json={"isActive": False})
    assert await emails(active="false") == {created[0]["email"]}
    assert len(await emails(active="true", role="customer")) == 6


@pytest.mark.parametrize(
    "params",
    [{"page": 0}, {"pageSize": 101}, {"role": "superuser"}, {"verified": "maybe"}, {"search": "x" * 101}],
)
async def test_bad_list_queries_are_400(admin, params):
    browser, _ = admin
    assert_problem(await browser.http.get("/bff/admin/users", params=params), 400, "VALIDATION_FAILED")
