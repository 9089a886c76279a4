"""Throttling of password guesses, per account and per client address, with growing lockouts.

An attempt is counted when it starts for account keys (``provisional``), so parallel guesses at one
account cannot all slip through before the first failure is recorded; it is forgiven when the
password turns out right, and the account's record is cleared. Address keys count failures only, so
many people signing in from one address do not lock each other out.

Reaching ``limit`` failures within ``window`` locks the key for ``window``, doubling with every
further lockout (up to ``max_lockout``); a key quiet for ``max_lockout`` starts over.
"""

import math
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from xshop.platform.clock import Clock
from xshop.platform.errors import ProblemError

MAX_REMEMBERED_KEYS = 100_000
T = TypeVar("T")


@dataclass(frozen=True)
class ThrottleKey:
    name: str
    limit: int
    provisional: bool = False


@dataclass(frozen=True)
class ThrottlePolicy:
    window: timedelta
    max_lockout: timedelta

    def lockout(self, strikes: int) -> timedelta:
        return min(self.max_lockout, self.window * 2 ** min(strikes - 1, 30))


@dataclass(frozen=True)
class KeyState:
    count: int = 0
    window_start: datetime | None = None
    strikes: int = 0
    locked_until: datetime | None = None

    def is_idle(self, now: datetime, policy: ThrottlePolicy) -> bool:
        quiet_since = self.locked_until or self.window_start
        return self.count == 0 and (quiet_since is None or now - quiet_since >= policy.max_lockout)


class TooManyAttempts(Exception):
    def __init__(self, retry_after: timedelta) -> None:
        super().__init__(f"retry after {retry_after}")
        self.retry_after = retry_after

    def problem(self) -> ProblemError:
        seconds = max(1, math.ceil(self.retry_after.total_seconds()))
        return ProblemError(
            429,
            "TOO_MANY_ATTEMPTS",
            f"Too many failed attempts. Try again in {seconds} seconds.",
            headers={"Retry-After": str(seconds)},
        )


def blocked_for(state: KeyState, key: ThrottleKey, now: datetime, policy: ThrottlePolicy) -> timedelta:
    """How long ``key`` must wait before an attempt; zero when it may try now."""
    if state.locked_until is not None and state.locked_until > now:
        return state.locked_until - now
    if state.window_start is not None and state.count >= key.limit:
        return max(timedelta(seconds=1), state.window_start + policy.window - now)  # in flight
    return timedelta(0)


def _current(state: KeyState, now: datetime, policy: ThrottlePolicy) -> KeyState:
    """``state`` in the window that holds ``now``: a new window starts counting from zero."""
    if state.is_idle(now, policy):
        state = KeyState()
    if state.window_start is None or now - state.window_start >= policy.window:
        return replace(state, count=0, window_start=now)
    return state


def started(state: KeyState, key: ThrottleKey, now: datetime, policy: ThrottlePolicy) -> KeyState:
    state = _current(state, now, policy)
    return replace(state, count=state.count + 1) if key.provisional else state


def failed(state: KeyState, key: ThrottleKey, now: datetime, policy: ThrottlePolicy) -> KeyState:
    if not key.provisional:
        state = _current(state, now, policy)
        state = replace(state, count=state.count + 1)
    if state.count < key.limit:
        return state
    strikes = state.strikes + 1
    return KeyState(strikes=strikes, locked_until=now + policy.lockout(strikes))


def forgiven(state: KeyState, key: ThrottleKey) -> KeyState:
    return replace(state, count=max(0, state.count - 1)) if key.provisional else state


class LoginThrottle(Protocol):
    """The store behind throttling. ``begin`` raises ``TooManyAttempts`` or counts the attempt;
    every begun attempt ends in exactly one of ``fail`` or ``release``."""

    async def begin(self, keys: Sequence[ThrottleKey]) -> None: ...

    async def fail(self, keys: Sequence[ThrottleKey]) -> None: ...

    async def release(self, keys: Sequence[ThrottleKey], *, clear: Sequence[ThrottleKey] = ()) -> None:
        """The attempt was not a wrong guess: forgive it, and forget the ``clear`` keys entirely."""
        ...


class MemoryThrottle:
    """One process's throttle (embedded mode). Updates happen between awaits, so they are atomic."""

    def __init__(self, policy: ThrottlePolicy, clock: Clock) -> None:
        self.policy = policy
        self.clock = clock
        self._states: dict[str, KeyState] = {}

    async def begin(self, keys: Sequence[ThrottleKey]) -> None:
        now = self.clock()
        wait = max((blocked_for(self._state(k), k, now, self.policy) for k in keys), default=timedelta(0))
        if wait > timedelta(0):
            raise TooManyAttempts(wait)
        for key in keys:
            self._states[key.name] = started(self._state(key), key, now, self.policy)
        self._prune(now)

    async def fail(self, keys: Sequence[ThrottleKey]) -> None:
        now = self.clock()
        for key in keys:
            self._states[key.name] = failed(self._state(key), key, now, self.policy)

    async def release(self, keys: Sequence[ThrottleKey], *, clear: Sequence[ThrottleKey] = ()) -> None:
        cleared = {key.name for key in clear}
        for key in keys:
            if key.name in cleared:
                self._states.pop(key.name, None)
            elif key.name in self._states:
                self._states[key.name] = forgiven(self._states[key.name], key)

    def _state(self, key: ThrottleKey) -> KeyState:
        return self._states.get(key.name) or KeyState()

    def _prune(self, now: datetime) -> None:
        """Keeps memory bounded when many addresses or emails are tried."""
        if len(self._states) <= MAX_REMEMBERED_KEYS:
            return
        for name in [n for n, s in self._states.items() if s.is_idle(now, self.policy)]:
            del self._states[name]


async def guarded(
    throttle: LoginThrottle,
    keys: Sequence[ThrottleKey],
    attempt: Callable[[], Awaitable[T]],
    *,
    wrong_guess: Callable[[ProblemError], bool],
    clear_on_success: Sequence[ThrottleKey] = (),
) -> T:
    """Run ``attempt`` under the throttle: refused while a key is locked, counted as a failure when
    it fails with a wrong guess, forgiven otherwise."""
    await throttle.begin(keys)
    try:
        result = await attempt()
    except ProblemError as exc:
        if wrong_guess(exc):
            await throttle.fail(keys)
        else:
            await throttle.release(keys)
        raise
    except BaseException:
        await throttle.release(keys)
        raise
    await throttle.release(keys, clear=clear_on_success)
    return result
