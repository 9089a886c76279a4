"""Service-to-service resilience: retries of idempotent calls only, the circuit breaker, timeouts.

The upstream is a real ASGI app (or a real socket) that fails a given number of times and counts the
calls it receives; the breaker's clock is a number the test moves forward.
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from tests.waiting import eventually, free_port
from xshop.platform.errors import ProblemError
from xshop.platform.http.clients import ServiceClient
from xshop.platform.http.resilience import CircuitBreaker, CircuitState
from xshop.platform.http.upstreams import Upstreams, over_network
from xshop.platform.metrics import ServiceMetrics
from xshop.platform.settings import Settings

SECRET_TOKEN = "service-token-that-must-not-be-logged"


class FlakyUpstream:
    """Answers ``failure_status`` to the first ``failures`` calls, then 200; counts every call."""

    def __init__(self, failures: int = 0, failure_status: int = 503) -> None:
        self.failures = failures
        self.failure_status = failure_status
        self.calls: list[str] = []
        self.app = FastAPI()
        self.app.add_api_route("/{path:path}", self.handle, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])

    async def handle(self, path: str) -> JSONResponse:
        self.calls.append(path)
        if path == "missing":
            return JSONResponse({"code": "NOT_FOUND", "detail": "no such thing"}, status_code=404)
        if len(self.calls) <= self.failures:
            return JSONResponse({"code": "UPSTREAM_ERROR", "detail": "boom"}, status_code=self.failure_status)
        return JSONResponse({"ok": True})


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class CatalogClient(ServiceClient):
    service = "catalog"
    unavailable_code = "CATALOG_SERVICE_UNAVAILABLE"


def settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "service_retry_attempts": 3,
        "service_retry_backoff_seconds": 0,
        "service_circuit_failures": 5,
        "service_circuit_cooldown_seconds": 10,
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]


def in_process(upstream: FlakyUpstream, clock: Clock, **overrides: Any) -> tuple[Upstreams, CatalogClient]:
    upstreams = Upstreams(
        settings(**overrides),
        lambda _: ("http://catalog", httpx.ASGITransport(app=upstream.app)),
        clock=clock,
    )
    return upstreams, CatalogClient(upstreams.connect("catalog"), credentials=lambda: SECRET_TOKEN)


async def test_get_is_retried_until_it_succeeds():
    upstream = FlakyUpstream(failures=2)
    _, client = in_process(upstream, Clock())
    response = await client.request("GET", "/api/products")
    assert response.status_code == 200
    assert len(upstream.calls) == 3


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
async def test_other_idempotent_methods_are_retried_on_502_and_504(method: str):
    for status in (502, 504):
        upstream = FlakyUpstream(failures=1, failure_status=status)
        _, client = in_process(upstream, Clock())
        assert (await client.request(method, "/x")).status_code == 200
        assert len(upstream.calls) == 2


@pytest.mark.parametrize("method", ["POST", "PATCH"])
async def test_post_and_patch_are_never_retried(method: str):
    upstream = FlakyUpstream(failures=1)
    _, client = in_process(upstream, Clock())
    with pytest.raises(ProblemError) as raised:
        await client.request(method, "/api/reservations", json={"lines": []})
    assert raised.value.status == 503 and raised.value.code == "CATALOG_SERVICE_UNAVAILABLE"
    assert len(upstream.calls) == 1


async def test_get_gives_up_after_the_configured_attempts_with_the_503_problem():
    upstream = FlakyUpstream(failures=100)
    _, client = in_process(upstream, Clock(), service_retry_attempts=2)
    with pytest.raises(ProblemError) as raised:
        await client.request("GET", "/api/products")
    assert raised.value.status == 503 and raised.value.code == "CATALOG_SERVICE_UNAVAILABLE"
    assert len(upstream.calls) == 2


async def test_500_and_4xx_are_not_retried_and_4xx_passes_through():
    upstream = FlakyUpstream(failures=1, failure_status=500)
    _, client = in_process(upstream, Clock())
    with pytest.raises(ProblemError) as raised:
        await client.request("GET", "/a")
    assert raised.value.status == 503 and len(upstream.calls) == 1
    with pytest.raises(ProblemError) as missing:
        await client.request("GET", "/missing")
    assert missing.value.status == 404 and missing.value.code == "NOT_FOUND"
    assert len(upstream.calls) == 2


async def test_breaker_opens_fails_fast_half_opens_after_cooldown_and_closes_on_success(caplog):
    caplog.set_level(logging.WARNING, logger="xshop.clients")
    upstream = FlakyUpstream(failures=4)
    clock = Clock()
    upstreams, client = in_process(
        upstream,
        clock,
        service_retry_attempts=1,
        service_circuit_failures=3,
        service_circuit_cooldown_seconds=10,
    )
    metrics = ServiceMetrics("gateway")
    upstreams.report_to(metrics)

    def gauge() -> float | None:
        return metrics.registry.get_sample_value("xshop_circuit_breaker_state", {"upstream": "catalog"})

    assert gauge() == CircuitState.CLOSED
    for _ in range(3):
        with pytest.raises(ProblemError):
            await client.request("GET", "/p")
    assert len(upstream.calls) == 3 and gauge() == CircuitState.OPEN

    for _ in range(5):
        with pytest.raises(ProblemError) as raised:
            await client.request("GET", "/p")
        assert raised.value.status == 503 and raised.value.code == "CATALOG_SERVICE_UNAVAILABLE"
    assert len(upstream.calls) == 3, "an open circuit must not call the upstream"

    clock.now += 9.9
    with pytest.raises(ProblemError):
        await client.request("GET", "/p")
    assert len(upstream.calls) == 3

    clock.now += 0.2  # cooldown over: one trial, which fails (4th failure) and reopens the circuit
    with pytest.raises(ProblemError):
        await client.request("GET", "/p")
    assert len(upstream.calls) == 4 and gauge() == CircuitState.OPEN
    with pytest.raises(ProblemError):
        await client.request("GET", "/p")
    assert len(upstream.calls) == 4

    clock.now += 10  # the next trial succeeds and closes it
    assert (await client.request("GET", "/p")).status_code == 200
    assert gauge() == CircuitState.CLOSED
    assert (await client.request("GET", "/p")).status_code == 200
    assert len(upstream.calls) == 6

    transitions = [r.getMessage() for r in caplog.records if "circuit to catalog" in r.getMessage()]
    assert transitions == [
        "circuit to catalog is now open (was closed; 3 consecutive failures)",
        "circuit to catalog is now half_open (was open; 3 consecutive failures)",
        "circuit to catalog is now open (was half_open; 4 consecutive failures)",
        "circuit to catalog is now half_open (was open; 4 consecutive failures)",
        "circuit to catalog is now closed (was half_open; 0 consecutive failures)",
    ]
    assert all(r.levelno == logging.WARNING for r in caplog.records if "circuit" in r.getMessage())
    assert SECRET_TOKEN not in caplog.text


async def test_retries_count_towards_opening_the_breaker():
    upstream = FlakyUpstream(failures=100)
    _, client = in_process(upstream, Clock(), service_retry_attempts=5, service_circuit_failures=2)
    with pytest.raises(ProblemError):
        await client.request("GET", "/p")
    assert len(upstream.calls) == 2, "retrying stops once the circuit opens"


async def test_4xx_answers_keep_the_circuit_closed():
    upstream = FlakyUpstream()
    _, client = in_process(upstream, Clock(), service_circuit_failures=1)
    for _ in range(3):
        with pytest.raises(ProblemError):
            await client.request("GET", "/missing")
    assert (await client.request("GET", "/p")).status_code == 200


async def test_a_503_problem_about_the_upstreams_own_dependency_keeps_the_circuit_closed():
    app = FastAPI()
    calls: list[str] = []

    @app.get("/api/login")
    async def dependency_down() -> JSONResponse:
        calls.append("login")
        body = {"status": 503, "code": "USER_SERVICE_UNAVAILABLE", "detail": "users is down"}
        return JSONResponse(body, status_code=503, media_type="application/problem+json")

    upstreams = Upstreams(
        settings(service_circuit_failures=2),
        lambda _: ("http://auth", httpx.ASGITransport(app=app)),
        clock=Clock(),
    )
    client = CatalogClient(upstreams.connect("auth"), credentials=lambda: SECRET_TOKEN)
    for _ in range(4):
        with pytest.raises(ProblemError) as raised:
            await client.request("GET", "/api/login")
        assert raised.value.code == "USER_SERVICE_UNAVAILABLE", "the precise code passes through"
    assert len(calls) == 4, "neither retried nor cut off by an open circuit"


def test_half_open_lets_one_trial_through_at_a_time():
    clock = Clock()
    breaker = CircuitBreaker("users", failure_threshold=1, cooldown_seconds=5, clock=clock)
    assert breaker.allow()
    breaker.failed()
    assert breaker.state is CircuitState.OPEN and not breaker.allow()
    clock.now += 5
    assert breaker.allow() and breaker.state is CircuitState.HALF_OPEN
    assert not breaker.allow(), "a second caller waits for the trial's outcome"
    breaker.abandoned()  # the trial was cancelled: someone else may try
    assert breaker.allow()
    breaker.succeeded()
    assert breaker.state is CircuitState.CLOSED and breaker.allow() and breaker.allow()


async def test_breakers_are_per_upstream_service():
    failing, healthy = FlakyUpstream(failures=100), FlakyUpstream()
    apps = {"catalog": failing.app, "users": healthy.app}
    upstreams = Upstreams(
        settings(service_retry_attempts=1, service_circuit_failures=1),
        lambda name: (f"http://{name}", httpx.ASGITransport(app=apps[name])),
        clock=Clock(),
    )
    catalog, users = CatalogClient(upstreams.connect("catalog")), ServiceClient(upstreams.connect("users"))
    second_catalog = CatalogClient(upstreams.connect("catalog"))
    with pytest.raises(ProblemError):
        await catalog.request("GET", "/p")
    with pytest.raises(ProblemError):
        await second_catalog.request("GET", "/p")
    assert len(failing.calls) == 1, "clients of one upstream share its breaker"
    assert (await users.request("GET", "/p")).status_code == 200


@pytest.fixture
async def slow_server() -> AsyncIterator[tuple[int, list[str]]]:
    """A real HTTP server whose answers take 5 s."""
    calls: list[str] = []
    app = FastAPI()

    @app.get("/slow")
    async def slow() -> dict[str, bool]:
        calls.append("slow")
        await asyncio.sleep(5)
        return {"ok": True}

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    await eventually(lambda: server.started, what="the slow server")
    yield port, calls
    server.should_exit = True
    server.force_exit = True
    await task


async def test_a_timeout_gives_the_503_problem_quickly(slow_server: tuple[int, list[str]]):
    port, calls = slow_server
    overrides = {
        "catalog_url": f"http://127.0.0.1:{port}",
        "service_timeout_seconds": 0.2,
        "database_retry_seconds": 0.1,
    }
    upstreams = Upstreams(
        settings(service_retry_attempts=2, **overrides), over_network(settings(**overrides))
    )
    client = CatalogClient(upstreams.connect("catalog"))
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(ProblemError) as raised:
        await client.request("GET", "/slow")
    assert raised.value.status == 503 and raised.value.code == "CATALOG_SERVICE_UNAVAILABLE"
    assert loop.time() - started < 2
    assert calls == ["slow", "slow"], "a timed-out GET is retried"
    await client.http.aclose()


async def test_connection_refused_is_retried_and_opens_the_breaker():
    overrides = {"users_url": f"http://127.0.0.1:{free_port()}"}
    upstreams = Upstreams(
        settings(service_retry_attempts=3, service_circuit_failures=3, **overrides),
        over_network(settings(**overrides)),
        clock=Clock(),
    )
    client = ServiceClient(upstreams.connect("users"))
    with pytest.raises(ProblemError) as raised:
        await client.request("GET", "/api/users")
    assert raised.value.status == 503 and raised.value.code == "SERVICE_UNAVAILABLE"
    assert upstreams.breakers["users"].state is CircuitState.OPEN
    await client.http.aclose()
