"""The login throttle's rules, run against both stores (memory and the auth database)."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from xshop.platform.db import Database
from xshop.services.auth.app import MIGRATIONS
from xshop.services.auth.throttle import (
    LoginThrottle,
    MemoryThrottle,
    ThrottleKey,
    ThrottlePolicy,
    TooManyAttempts,
)
from xshop.services.auth.throttle_sql import DatabaseThrottle

POLICY = ThrottlePolicy(window=timedelta(seconds=60), max_lockout=timedelta(seconds=900))
ACCOUNT = ThrottleKey("account:ann@example.com", limit=5, provisional=True)
OTHER = ThrottleKey("account:bob@example.com", limit=5, provisional=True)
IP = ThrottleKey("ip:10.0.0.1", limit=20)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2030, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["memory", "database"])
async def throttle(request, clock, tmp_path: Path) -> AsyncIterator[LoginThrottle]:
    if request.param == "memory":
        yield MemoryThrottle(POLICY, clock)
        return
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/auth.sqlite")
    await db.migrate(MIGRATIONS)
    yield DatabaseThrottle(db, POLICY, clock)
    await db.dispose()


async def fail(throttle: LoginThrottle, *keys: ThrottleKey, times: int = 1) -> None:
    for _ in range(times):
        await throttle.begin(keys)
        await throttle.fail(keys)


async def succeed(throttle: LoginThrottle, *keys: ThrottleKey) -> None:
    await throttle.begin(keys)
    await throttle.release(keys, clear=[k for k in keys if k.name.startswith("account:")])


async def retry_after(throttle: LoginThrottle, *keys: ThrottleKey) -> float | None:
    try:
        await throttle.begin(keys)
    except TooManyAttempts as exc:
        return exc.retry_after.total_seconds()
    await throttle.release(keys)
    return None


async def test_the_fifth_failure_locks_the_account_for_the_window(throttle, clock):
    await fail(throttle, ACCOUNT, times=4)
    assert await retry_after(throttle, ACCOUNT) is None
    await fail(throttle, ACCOUNT)
    assert await retry_after(throttle, ACCOUNT) == 60
    clock.advance(59)
    assert await retry_after(throttle, ACCOUNT) == 1
    clock.advance(1)
    assert await retry_after(throttle, ACCOUNT) is None


async def test_lockouts_grow_and_are_capped(throttle, clock):
    expected = [60, 120, 240, 480, 900, 900]
    for lockout in expected:
        await fail(throttle, ACCOUNT, times=5)
        assert await retry_after(throttle, ACCOUNT) == lockout
        clock.advance(lockout)


async def test_a_quiet_key_starts_over(throttle, clock):
    await fail(throttle, ACCOUNT, times=5)
    clock.advance(60 + 900)
    await fail(throttle, ACCOUNT, times=5)
    assert await retry_after(throttle, ACCOUNT) == 60


async def test_failures_spread_over_more_than_a_window_do_not_lock(throttle, clock):
    await fail(throttle, ACCOUNT, times=4)
    clock.advance(61)
    await fail(throttle, ACCOUNT, times=4)
    assert await retry_after(throttle, ACCOUNT) is None


async def test_success_clears_the_account(throttle):
    await fail(throttle, ACCOUNT, times=4)
    await succeed(throttle, ACCOUNT)
    await fail(throttle, ACCOUNT, times=4)
    assert await retry_after(throttle, ACCOUNT) is None


async def test_other_accounts_are_unaffected(throttle):
    await fail(throttle, ACCOUNT, times=5)
    assert await retry_after(throttle, ACCOUNT) == 60
    assert await retry_after(throttle, OTHER) is None


async def test_an_address_is_locked_by_failures_across_accounts_but_not_by_successes(throttle):
    for i in range(30):
        await succeed(throttle, ThrottleKey(f"account:{i}@example.com", 5, provisional=True), IP)
    assert await retry_after(throttle, IP) is None
    for i in range(20):
        await fail(throttle, ThrottleKey(f"account:{i}@example.com", 5, provisional=True), IP)
    assert await retry_after(throttle, OTHER, IP) == 60
    assert await retry_after(throttle, OTHER) is None


async def test_parallel_guesses_cannot_outrun_the_limit(throttle):
    """Attempts count from their start, so at most ``limit`` can be in flight for one account."""
    outcomes = await asyncio.gather(*(retry_after_kept(throttle) for _ in range(12)), return_exceptions=True)
    assert sum(1 for o in outcomes if o is None) == 5


async def retry_after_kept(throttle: LoginThrottle) -> float | None:
    await throttle.begin([ACCOUNT])  # raises past the limit; never released: still in flight
    return None


async def test_forgiven_attempts_do_not_count(throttle):
    for _ in range(10):
        await throttle.begin([ACCOUNT, IP])
        await throttle.release([ACCOUNT, IP])  # e.g. the users service was down
    assert await retry_after(throttle, ACCOUNT, IP) is None


async def test_the_problem_names_the_wait_in_whole_seconds():
    problem = TooManyAttempts(timedelta(seconds=12.2)).problem()
    assert (problem.status, problem.code, problem.headers) == (
        429,
        "TOO_MANY_ATTEMPTS",
        {"Retry-After": "13"},
    )
