"""Session cookies are ``Secure`` in production mode, and only there (plain-HTTP development works)."""

from tests.helpers import set_cookies

SESSION_COOKIES = {"jwt", "refreshToken", "csrfToken"}


async def test_production_sets_every_session_cookie_secure(make_shop):
    async with make_shop(env="production", jwt_secret="p" * 48) as shop:
        registered = await shop.register("secure-cookies@example.com")
        assert registered.status_code == 201, registered.text
        login = await shop.bff.post(
            "/bff/auth/login", json={"email": "secure-cookies@example.com", "password": "Secure1pass"}
        )
    for response in (registered, login):
        cookies = set_cookies(response)
        assert set(cookies) == SESSION_COOKIES
        for name, morsel in cookies.items():
            assert morsel["secure"] is True, name
            assert morsel["samesite"].lower() == "strict", name
        assert cookies["jwt"]["httponly"] and cookies["refreshToken"]["httponly"]


async def test_logout_in_production_clears_the_cookies_secure_too(make_shop):
    async with make_shop(env="production", jwt_secret="p" * 48) as shop:
        registered = await shop.register("secure-logout@example.com")
        csrf = set_cookies(registered)["csrfToken"].value
        out = await shop.bff.post("/bff/auth/logout", headers={"X-CSRF-Token": csrf})
    assert out.status_code == 204
    cleared = set_cookies(out)
    assert set(cleared) == SESSION_COOKIES
    assert all(morsel["secure"] is True for morsel in cleared.values())


async def test_development_cookies_are_not_secure(shop):
    registered = await shop.register("plain-cookies@example.com")
    cookies = set_cookies(registered)
    assert set(cookies) == SESSION_COOKIES
    assert all(not morsel["secure"] for morsel in cookies.values())
