"""Retries and a circuit breaker for service-to-service HTTP calls, as an httpx transport.

``ResilientTransport`` wraps the real transport (the network, or an in-process ASGI app), so every
typed ``ServiceClient`` gets the same behaviour without knowing about it:

- idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) are retried with short jittered backoff on
  connection errors, timeouts and 502/503/504; POST and PATCH never are, since a request that may
  have reached the upstream is not safe to repeat;
- one breaker per upstream service opens after ``failure_threshold`` consecutive failures
  (transport errors, timeouts, 5xx other than a 503 problem, which reports the upstream's own
  dependency down). While open, calls fail at once with ``CircuitOpen`` (an
  ``httpx.TransportError``, which ``ServiceClient`` already answers with its 503 problem); after
  ``cooldown_seconds`` one trial call goes through (half-open) and its outcome closes or reopens it.

The breaker counts calls, not time windows, and takes an injectable monotonic clock so tests can
move time forward instead of sleeping.
"""

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import IntEnum

import httpx

log = logging.getLogger("xshop.clients")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRYABLE_STATUSES = frozenset({502, 503, 504})


class CircuitState(IntEnum):
    """Values of the ``xshop_circuit_breaker_state`` gauge."""

    CLOSED = 0
    HALF_OPEN = 1
    OPEN = 2


class CircuitOpen(httpx.TransportError):
    """The upstream was not called: its circuit is open."""


class CircuitBreaker:
    def __init__(
        self,
        upstream: str,
        *,
        failure_threshold: int,
        cooldown_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.upstream = upstream
        self.failure_threshold = failure_threshold
        self.cooldown = cooldown_seconds
        self._clock = clock
        self.state = CircuitState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._trial_running = False
        self._listeners: list[Callable[[CircuitState], None]] = []

    def listen(self, listener: Callable[[CircuitState], None]) -> None:
        """Call ``listener`` with the current state now and with every later one."""
        self._listeners.append(listener)
        listener(self.state)

    def allow(self) -> bool:
        """Whether a call may go to the upstream now; in half-open state only one at a time does."""
        if self.state is CircuitState.CLOSED:
            return True
        if self.state is CircuitState.OPEN:
            if self._clock() - self._opened_at < self.cooldown:
                return False
            self._move(CircuitState.HALF_OPEN)
        if self._trial_running:
            return False
        self._trial_running = True
        return True

    def succeeded(self) -> None:
        self._failures = 0
        self._trial_running = False
        if self.state is not CircuitState.CLOSED:
            self._move(CircuitState.CLOSED)

    def failed(self) -> None:
        self._trial_running = False
        self._failures += 1
        if self.state is CircuitState.HALF_OPEN or (
            self.state is CircuitState.CLOSED and self._failures >= self.failure_threshold
        ):
            self._opened_at = self._clock()
            self._move(CircuitState.OPEN)

    def abandoned(self) -> None:
        """A call ended without an answer about the upstream (cancelled, say): let another one try."""
        self._trial_running = False

    def _move(self, state: CircuitState) -> None:
        log.warning(
            "circuit to %s is now %s (was %s; %d consecutive failures)",
            self.upstream,
            state.name.lower(),
            self.state.name.lower(),
            self._failures,
        )
        self.state = state
        for listener in self._listeners:
            listener(state)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 3
    backoff_seconds: float = 0.05
    backoff_max_seconds: float = 1.0

    def delay(self, attempt: int) -> float:
        """Full jitter: callers that failed together do not come back together."""
        ceiling = min(self.backoff_max_seconds, self.backoff_seconds * 2 ** (attempt - 1))
        return random.uniform(0, ceiling)


def _dependency_down(response: httpx.Response) -> bool:
    """A 503 problem is the upstream answering that one of *its* dependencies is down: the upstream
    itself is healthy, so its circuit stays closed and a retry would only repeat the same answer."""
    content_type = response.headers.get("content-type", "")
    return response.status_code == 503 and content_type.startswith("application/problem+json")


class ResilientTransport(httpx.AsyncBaseTransport):
    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        breaker: CircuitBreaker,
        retry: RetryPolicy,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.inner = inner
        self.breaker = breaker
        self.retry = retry
        self._sleep = sleep

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        attempts = self.retry.max_attempts if request.method in IDEMPOTENT_METHODS else 1
        attempt = 1
        while True:
            if not self.breaker.allow():
                raise CircuitOpen(f"the circuit to {self.breaker.upstream} is open", request=request)
            try:
                response = await self.inner.handle_async_request(request)
            except httpx.TransportError:
                self.breaker.failed()
                if attempt >= attempts:
                    raise
            except BaseException:
                self.breaker.abandoned()
                raise
            else:
                if response.status_code < 500 or _dependency_down(response):
                    self.breaker.succeeded()
                    return response
                self.breaker.failed()
                if attempt >= attempts or response.status_code not in RETRYABLE_STATUSES:
                    return response
                await response.aclose()
            await self._sleep(self.retry.delay(attempt))
            attempt += 1

    async def aclose(self) -> None:
        await self.inner.aclose()
