"""The BFF's catalogue cache: reuse, one call per miss, clearing, the TTL bound, failures."""

import asyncio

import pytest

from xshop.platform.errors import ProblemError
from xshop.services.gateway.catalog_cache import Answer, CatalogCache

KEY = ("/api/products", b"page=1")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Catalog:
    """Stands in for the catalog service: counts calls, can be held mid-call, can fail."""

    def __init__(self) -> None:
        self.calls = 0
        self.version = 1
        self.gate: asyncio.Event | None = None
        self.failure: Exception | None = None
        self.started = asyncio.Event()

    async def fetch(self) -> Answer:
        self.calls += 1
        self.started.set()
        version = self.version
        if self.gate is not None:
            await self.gate.wait()
        if self.failure is not None:
            raise self.failure
        return Answer(f"v{version}".encode(), f'"{version}"')


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cache(clock) -> CatalogCache:
    return CatalogCache(2.0, capacity=3, clock=clock)


async def test_an_answer_is_reused_until_cleared(cache):
    catalog = Catalog()
    assert (await cache.get(KEY, catalog.fetch)).body == b"v1"
    catalog.version = 2
    assert (await cache.get(KEY, catalog.fetch)).body == b"v1"
    assert catalog.calls == 1
    cache.clear()
    assert (await cache.get(KEY, catalog.fetch)).body == b"v2"


async def test_concurrent_misses_share_one_call(cache):
    catalog = Catalog()
    catalog.gate = asyncio.Event()
    waiters = [asyncio.create_task(cache.get(KEY, catalog.fetch)) for _ in range(20)]
    await catalog.started.wait()
    catalog.gate.set()
    answers = await asyncio.gather(*waiters)
    assert {a.body for a in answers} == {b"v1"}
    assert catalog.calls == 1


async def test_an_answer_fetched_across_a_clear_is_used_but_not_kept(cache):
    catalog = Catalog()
    catalog.gate = asyncio.Event()
    first = asyncio.create_task(cache.get(KEY, catalog.fetch))
    await catalog.started.wait()
    cache.clear()  # a write committed while the catalog was answering
    catalog.version = 2
    catalog.gate.set()
    assert (await first).body == b"v1"
    assert (await cache.get(KEY, catalog.fetch)).body == b"v2"
    assert len(cache) == 1


async def test_past_the_ttl_the_old_answer_is_served_once_while_one_refresh_runs(cache, clock):
    catalog = Catalog()
    await cache.get(KEY, catalog.fetch)
    catalog.version = 2
    clock.now += 2.5
    assert (await cache.get(KEY, catalog.fetch)).body == b"v1"
    assert (await cache.get(KEY, catalog.fetch)).body == b"v1"
    await asyncio.sleep(0)
    assert catalog.calls == 2
    assert (await cache.get(KEY, catalog.fetch)).body == b"v2"


async def test_past_twice_the_ttl_requests_wait_for_a_fresh_answer(cache, clock):
    catalog = Catalog()
    await cache.get(KEY, catalog.fetch)
    catalog.version = 2
    clock.now += 4.0
    assert (await cache.get(KEY, catalog.fetch)).body == b"v2"


async def test_failures_reach_every_waiter_and_are_not_kept(cache, clock):
    catalog = Catalog()
    catalog.failure = ProblemError(404, "NOT_FOUND", "Product not found")
    with pytest.raises(ProblemError):
        await cache.get(KEY, catalog.fetch)
    catalog.failure = None
    assert (await cache.get(KEY, catalog.fetch)).body == b"v1"
    assert catalog.calls == 2


async def test_a_failing_background_refresh_keeps_serving_within_twice_the_ttl(cache, clock):
    catalog = Catalog()
    await cache.get(KEY, catalog.fetch)
    catalog.failure = ProblemError(503, "CATALOG_SERVICE_UNAVAILABLE", "down")
    clock.now += 3.0
    assert (await cache.get(KEY, catalog.fetch)).body == b"v1"
    await asyncio.sleep(0)
    clock.now += 1.5
    with pytest.raises(ProblemError):
        await cache.get(KEY, catalog.fetch)


async def test_the_least_recently_used_answers_go_first(cache):
    catalog = Catalog()
    for page in (b"1", b"2", b"3"):
        await cache.get(("/p", page), catalog.fetch)
    await cache.get(("/p", b"1"), catalog.fetch)
    await cache.get(("/p", b"4"), catalog.fetch)
    assert catalog.calls == 4
    await cache.get(("/p", b"1"), catalog.fetch)
    assert catalog.calls == 4
    await cache.get(("/p", b"2"), catalog.fetch)
    assert catalog.calls == 5


async def test_a_zero_ttl_turns_the_cache_off(clock):
    cache = CatalogCache(0, clock=clock)
    catalog = Catalog()
    await cache.get(KEY, catalog.fetch)
    await cache.get(KEY, catalog.fetch)
    assert catalog.calls == 2
