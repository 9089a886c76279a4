"""The BFF when the catalog service is down: 503 problems, an open circuit, recovery once it is back.

The catalog is reached over the network (``XSHOP_CATALOG_URL``) at a port where nothing listens at
first; then the shop's catalog app is served there, as ``xshop run`` serves it.
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import uvicorn
from fastapi import FastAPI

from tests.helpers import ShopDriver
from tests.waiting import eventually, free_port


@asynccontextmanager
async def serving(app: FastAPI, port: int) -> AsyncIterator[None]:
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    await eventually(lambda: server.started, what="the catalog to listen")
    try:
        yield
    finally:
        server.should_exit = True
        await task


async def circuit_state(shop: ShopDriver) -> float | None:
    async with shop.client("gateway") as gateway:
        text = (await gateway.get("/metrics")).text
    for line in text.splitlines():
        if line.startswith('xshop_circuit_breaker_state{upstream="catalog"}'):
            return float(line.split()[-1])
    return None


async def test_catalog_outage_gives_503_opens_the_circuit_and_recovers(
    make_shop: Callable[..., AbstractAsyncContextManager[ShopDriver]],
):
    port = free_port()
    async with make_shop(
        catalog_url=f"http://127.0.0.1:{port}",
        catalog_cache_ttl_seconds=0,
        service_retry_backoff_seconds=0,
        service_circuit_failures=3,
        service_circuit_cooldown_seconds=0.3,
    ) as shop:
        assert await circuit_state(shop) == 0
        down = await shop.bff.get("/bff/products")
        assert down.status_code == 503
        assert down.headers["content-type"].startswith("application/problem+json")
        assert down.json()["code"] == "CATALOG_SERVICE_UNAVAILABLE"
        assert await circuit_state(shop) == 2, "three failed attempts open the circuit"

        fast = await shop.bff.get("/bff/products/some-id")
        assert fast.status_code == 503 and fast.json()["code"] == "CATALOG_SERVICE_UNAVAILABLE"

        async with serving(shop.shop.units["catalog"].app, port):

            async def recovered() -> bool:
                return (await shop.bff.get("/bff/products")).status_code == 200

            await eventually(recovered, what="the BFF to reach the catalog again")
            assert await circuit_state(shop) == 0
