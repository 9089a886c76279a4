"""The HTTP clients one service opens to the services it calls, each behind the resilience policy.

A runtime makes one ``Upstreams`` per calling service and hands its ``connect`` to the service's
``build``: every client it opens to the same upstream shares one circuit breaker, and the breakers'
states go to the calling service's metrics once it exists.
"""

import time
from collections.abc import Callable

import httpx

from xshop.platform.http.resilience import CircuitBreaker, ResilientTransport, RetryPolicy
from xshop.platform.metrics import ServiceMetrics
from xshop.platform.settings import Settings

Locate = Callable[[str], tuple[str, httpx.AsyncBaseTransport]]
"""Where a service is: its base URL and the transport that reaches it."""


def over_network(settings: Settings) -> Locate:
    """Each service at its URL override or on its port of ``settings.host``."""

    def locate(service: str) -> tuple[str, httpx.AsyncBaseTransport]:
        url = settings.url_override_of(service) or f"http://{settings.host}:{settings.port_of(service)}"
        return url, httpx.AsyncHTTPTransport()

    return locate


class Upstreams:
    def __init__(
        self, settings: Settings, locate: Locate, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.locate = locate
        self.timeout = httpx.Timeout(
            settings.service_timeout_seconds, connect=settings.service_connect_timeout_seconds
        )
        self.retry = RetryPolicy(
            max_attempts=settings.service_retry_attempts,
            backoff_seconds=settings.service_retry_backoff_seconds,
        )
        self.failure_threshold = settings.service_circuit_failures
        self.cooldown_seconds = settings.service_circuit_cooldown_seconds
        self.clock = clock
        self.breakers: dict[str, CircuitBreaker] = {}

    def connect(self, service: str) -> httpx.AsyncClient:
        base_url, inner = self.locate(service)
        breaker = self.breakers.get(service)
        if breaker is None:
            breaker = CircuitBreaker(
                service,
                failure_threshold=self.failure_threshold,
                cooldown_seconds=self.cooldown_seconds,
                clock=self.clock,
            )
            self.breakers[service] = breaker
        transport = ResilientTransport(inner, breaker, self.retry)
        return httpx.AsyncClient(transport=transport, base_url=base_url, timeout=self.timeout)

    def report_to(self, metrics: ServiceMetrics) -> None:
        """Expose every breaker's state as the caller's ``xshop_circuit_breaker_state`` gauge."""
        for service, breaker in self.breakers.items():
            gauge = metrics.circuit_state.labels(service)
            breaker.listen(lambda state, gauge=gauge: gauge.set(state))
