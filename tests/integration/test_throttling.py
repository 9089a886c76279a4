"""Throttled sign-in through the BFF (acceptance 6): the 6th failed attempt on an account within a
minute gets 429 with Retry-After; the right password works again after the window; other accounts
are unaffected; the client address has its own, higher limit."""

import pytest

from tests.helpers import PASSWORD, MovableClock
from tests.integration.accounts import Browser, assert_problem, create_user, unique_email


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.mark.parametrize("store", ["memory", "database"])
async def test_the_sixth_failure_in_a_minute_is_429_until_the_window_passes(make_shop, clock, store):
    async with make_shop(clock=clock, login_throttle_store=store) as shop:
        victim, bystander = unique_email("victim"), unique_email("bystander")
        await create_user(shop, victim)
        await create_user(shop, bystander)
        browser = Browser(shop)
        for _ in range(5):
            assert_problem(await browser.login(victim, "Wrong1pass"), 401, "INVALID_CREDENTIALS")
            clock.advance(seconds=5)
        sixth = await browser.login(victim, PASSWORD)  # even the right password waits
        assert_problem(sixth, 429, "TOO_MANY_ATTEMPTS")
        retry_after = int(sixth.headers["retry-after"])
        assert 1 <= retry_after <= 60
        assert "set-cookie" not in sixth.headers

        assert_problem(await browser.login(bystander, "Wrong1pass"), 401, "INVALID_CREDENTIALS")
        assert (await browser.login(bystander, PASSWORD)).status_code == 200

        clock.advance(seconds=retry_after)
        assert (await browser.login(victim, PASSWORD)).status_code == 200
        await shop.idle()
        reasons = [
            r["payload"]["reason"] for r in await shop.audit(eventType="auth.login.failed", email=victim)
        ]
        assert sorted(reasons) == ["invalid_credentials"] * 5 + ["too_many_attempts"]
        await browser.aclose()


async def test_lockouts_grow_when_failures_continue(make_shop, clock):
    async with make_shop(clock=clock) as shop:
        email = unique_email("stubborn")
        await create_user(shop, email)
        browser = Browser(shop)
        waits = []
        for _ in range(3):
            for _ in range(5):
                await browser.login(email, "Wrong1pass")
            throttled = await browser.login(email, "Wrong1pass")
            assert throttled.status_code == 429
            waits.append(int(throttled.headers["retry-after"]))
            clock.advance(seconds=waits[-1])
        assert waits == [60, 120, 240]
        await browser.aclose()


async def test_a_success_clears_the_account_count(shop):
    email = unique_email("typo")
    await create_user(shop, email)
    browser = Browser(shop)
    for _ in range(4):
        await browser.login(email, "Wrong1pass")
    assert (await browser.login(email, PASSWORD)).status_code == 200
    for _ in range(4):
        assert_problem(await browser.login(email, "Wrong1pass"), 401, "INVALID_CREDENTIALS")
    assert (await browser.login(email, PASSWORD)).status_code == 200
    await browser.aclose()


async def test_one_address_failing_on_many_accounts_is_throttled(make_shop):
    async with make_shop(login_throttle_ip_limit=3) as shop:
        emails = [unique_email("spray") for _ in range(4)]
        for email in emails:
            await create_user(shop, email)
        browser = Browser(shop)
        for email in emails[:3]:
            assert_problem(await browser.login(email, "Wrong1pass"), 401, "INVALID_CREDENTIALS")
        assert_problem(await browser.login(emails[3], PASSWORD), 429, "TOO_MANY_ATTEMPTS")
        await browser.aclose()


async def test_many_successful_sign_ins_from_one_address_are_never_throttled(make_shop):
    """An office behind one address, say."""
    async with make_shop(login_throttle_ip_limit=3) as shop:
        email = unique_email("office")
        await create_user(shop, email)
        browser = Browser(shop)
        for _ in range(6):
            assert (await browser.login(email, PASSWORD)).status_code == 200
        await browser.aclose()
