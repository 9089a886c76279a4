"""Checkout throughput and the oversell race, through the BFF of a real ``xshop run``.

Usage: .venv/bin/python bench/checkout.py [--seconds 10] [--customers 32] [--buyers 200] [--units 50]

Starts ``xshop run`` in a child process (SQLite, embedded bus), creates verified customers at the
users service and products through the BFF (tokens signed with the run's secret), then:

1. ample stock: ``--customers`` customers each place one-line orders back to back for ``--seconds``;
   prints checkouts/s with p50 and p99 latency;
2. contention: ``--buyers`` customers try at once to buy one of ``--units`` units; prints how long
   the race took, how many got an order, how many were refused, and the oversell (must be 0).

The load generator is this process (asyncio + httpx) on the same machine: it takes CPU from the shop.
"""

import argparse
import asyncio
import os
import secrets
import statistics
import time
import uuid
from datetime import timedelta

import httpx

from _shop import RunningShop, embedded_shop
from xshop.platform.clock import utcnow
from xshop.platform.security.tokens import JwtCodec

SECRET = "bench-" + secrets.token_hex(24)
CODEC = JwtCodec(SECRET, "xshop", "xshop")
ADDRESS = {
    "name": "Bench Buyer",
    "line1": "1 Load Street",
    "city": "Testville",
    "postalCode": "12345",
    "country": "US",
}


def bearer(user_id: str, roles: list[str]) -> dict[str, str]:
    token, _ = CODEC.issue_access(
        user_id=user_id, email="", roles=roles, now=utcnow(), ttl=timedelta(hours=1)
    )
    return {"Authorization": f"Bearer {token}"}


async def verified_customers(shop: RunningShop, count: int) -> list[dict[str, str]]:
    service = {"Authorization": f"Bearer {CODEC.issue_service('bench', now=utcnow())}"}
    limits = asyncio.Semaphore(16)

    async def one(http: httpx.AsyncClient) -> dict[str, str]:
        email = f"bench-{uuid.uuid4().hex[:12]}@example.com"
        body = {"email": email, "password": "Bench1pass", "firstName": "Bench"}
        async with limits:
            created = (await http.post("/api/users", json=body, headers=service)).raise_for_status()
            user_id = created.json()["id"]
            verify = await http.post(
                f"/api/users/{user_id}/email-verification", json={"email": email}, headers=service
            )
            verify.raise_for_status()
        return bearer(user_id, ["customer"])

    async with httpx.AsyncClient(base_url=shop.url("users"), timeout=60) as http:
        return await asyncio.gather(*(one(http) for _ in range(count)))


def add_product(shop: RunningShop, on_hand: int) -> str:
    body = {
        "sku": f"BENCH-{uuid.uuid4().hex[:8]}",
        "name": "Bench item",
        "price": "9.99",
        "category": "bench",
        "onHand": on_hand,
    }
    response = httpx.post(
        f"{shop.url('gateway')}/bff/admin/products", json=body, headers=bearer("bench-admin", ["admin"])
    )
    response.raise_for_status()
    return str(response.json()["id"])


def stock_of(shop: RunningShop, product_id: str) -> dict[str, int]:
    url = f"{shop.url('gateway')}/bff/admin/products/{product_id}"
    return dict(httpx.get(url, headers=bearer("bench-admin", ["admin"])).json()["stock"])


async def place(http: httpx.AsyncClient, headers: dict[str, str], product_id: str) -> tuple[int, float]:
    body = {"shippingAddress": ADDRESS, "lines": [{"productId": product_id, "quantity": 1}]}
    started = time.perf_counter()
    response = await http.post(
        "/bff/orders", json=body, headers=headers | {"Idempotency-Key": str(uuid.uuid4())}
    )
    return response.status_code, (time.perf_counter() - started) * 1000


async def ample(shop: RunningShop, customers: int, seconds: float) -> None:
    product_id = add_product(shop, 10_000_000)
    buyers = await verified_customers(shop, customers)
    latencies: list[float] = []
    failures = 0
    limits = httpx.Limits(max_connections=customers * 2)
    async with httpx.AsyncClient(base_url=shop.url("gateway"), timeout=60, limits=limits) as http:
        await asyncio.gather(*(place(http, b, product_id) for b in buyers))  # warm-up
        deadline = time.perf_counter() + seconds

        async def loop(headers: dict[str, str]) -> None:
            nonlocal failures
            while time.perf_counter() < deadline:
                status, elapsed = await place(http, headers, product_id)
                latencies.append(elapsed)
                failures += status != 201

        started = time.perf_counter()
        await asyncio.gather(*(loop(b) for b in buyers))
        elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    print(f"ample stock, {customers} concurrent customers, {elapsed:.1f} s: {len(latencies)} checkouts, "
          f"{len(latencies) / elapsed:.1f} checkouts/s, p50 {cuts[49]:.0f} ms, p99 {cuts[98]:.0f} ms, "
          f"failed {failures}")  # fmt: skip


async def contention(shop: RunningShop, buyers: int, units: int) -> None:
    product_id = add_product(shop, units)
    customers = await verified_customers(shop, buyers)
    limits = httpx.Limits(max_connections=buyers)
    async with httpx.AsyncClient(base_url=shop.url("gateway"), timeout=120, limits=limits) as http:
        started = time.perf_counter()
        results = await asyncio.gather(*(place(http, c, product_id) for c in customers))
        elapsed = time.perf_counter() - started
    placed = sum(status == 201 for status, _ in results)
    refused = sum(status == 409 for status, _ in results)
    left = stock_of(shop, product_id)
    oversold = max(0, placed - units) + max(0, -left["onHand"])
    print(f"contention, {buyers} buyers for {units} units: {elapsed:.2f} s, {placed} orders, {refused} "
          f"INSUFFICIENT_STOCK, {buyers - placed - refused} other; stock left {left['onHand']}; "
          f"oversell {oversold}")  # fmt: skip


def main(seconds: float, customers: int, buyers: int, units: int) -> None:
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} before start")
    with embedded_shop(jwt_secret=SECRET, bcrypt_rounds="4") as shop:
        asyncio.run(ample(shop, customers, seconds))
        asyncio.run(contention(shop, buyers, units))
    print(f"load average (1 min) after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--customers", type=int, default=32)
    parser.add_argument("--buyers", type=int, default=200)
    parser.add_argument("--units", type=int, default=50)
    args = parser.parse_args()
    main(args.seconds, args.customers, args.buyers, args.units)
