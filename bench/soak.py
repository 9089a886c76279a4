"""Soak: a mixed workload for a bounded time against ``xshop run`` or ``xshop up``.

Usage: .venv/bin/python bench/soak.py [--runtime embedded|distributed] [--seconds 60] [--clients 16]

Each client picks, per request, browse 70 % (``GET /bff/products`` pages 1-5), register 5 %, login
10 % (pre-registered users) and checkout 15 % (``POST /bff/orders`` by verified customers, a fresh
``Idempotency-Key`` each). bcrypt cost 10, as in production. Prints throughput, p50/p99 and errors
per endpoint, and the shop's resident memory and open file descriptors (summed over its processes,
from /proc) at the start of the measured window and at its end. Not run in CI.
"""

import argparse
import asyncio
import os
import random
import statistics
import time
import uuid
from collections import defaultdict
from pathlib import Path

import httpx

from _shop import RunningShop, distributed_shop, embedded_shop
from checkout import ADDRESS, SECRET, add_product, verified_customers

PASSWORD = "Bench1pass"
MIX = {"browse": 70, "register": 5, "login": 10, "checkout": 15}
PG_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432"


def process_tree(pid: int) -> list[int]:
    """The process and all its descendants (``xshop up`` runs one child per service and replica)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            queue += [int(child) for child in task.read_text().split()]
    return found


def resources(pid: int) -> tuple[float, int, int]:
    """Resident memory (MiB) and open file descriptors summed over the tree, and its process count."""
    rss_kib = fds = 0
    pids = process_tree(pid)
    for each in pids:
        try:
            status = Path(f"/proc/{each}/status").read_text()
            rss_kib += int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])
            fds += len(os.listdir(f"/proc/{each}/fd"))
        except (FileNotFoundError, StopIteration):
            continue
    return rss_kib / 1024, fds, len(pids)


async def register_users(base: str, count: int) -> list[str]:
    emails = [f"soak-{i}-{uuid.uuid4().hex[:8]}@bench.example.com" for i in range(count)]
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        for email in emails:
            body = {"firstName": "Soak", "lastName": "Test", "email": email, "password": PASSWORD}
            (await http.post("/bff/auth/register", json=body)).raise_for_status()
    return emails


async def workload(shop: RunningShop, seconds: float, clients: int) -> None:
    base = shop.url("gateway")
    product_ids = [add_product(shop, 10_000_000) for _ in range(30)]
    logins = await register_users(base, 16)
    buyers = await verified_customers(shop, clients)
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    operations, weights = list(MIX), list(MIX.values())

    async def one(http: httpx.AsyncClient, operation: str, client: int) -> bool:
        if operation == "browse":
            response = await http.get("/bff/products", params={"page": random.randint(1, 5)})
            return response.status_code == 200
        if operation == "register":
            email = f"soak-new-{uuid.uuid4().hex[:12]}@bench.example.com"
            body = {"firstName": "Soak", "lastName": "New", "email": email, "password": PASSWORD}
            return (await http.post("/bff/auth/register", json=body)).status_code == 201
        if operation == "login":
            body = {"email": random.choice(logins), "password": PASSWORD}
            response = await http.post("/bff/auth/login", json=body)
            return response.status_code == 200
        line = {"productId": random.choice(product_ids), "quantity": 1}
        body = {"shippingAddress": ADDRESS, "lines": [line]}
        headers = buyers[client] | {"Idempotency-Key": str(uuid.uuid4())}
        return (await http.post("/bff/orders", json=body, headers=headers)).status_code == 201

    async def client(index: int, deadline: float) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            while time.perf_counter() < deadline:
                operation = random.choices(operations, weights)[0]
                started = time.perf_counter()
                try:
                    ok = await one(http, operation, index)
                except httpx.HTTPError:
                    ok = False
                latencies[operation].append(time.perf_counter() - started)
                errors[operation] += not ok
                http.cookies.clear()  # each request as a fresh browser: no session carried over

    rss0, fds0, procs = resources(shop.process.pid)
    started = time.perf_counter()
    await asyncio.gather(*(client(i, started + seconds) for i in range(clients)))
    elapsed = time.perf_counter() - started
    rss1, fds1, _ = resources(shop.process.pid)
    total = sum(len(v) for v in latencies.values())
    print(f"{total} requests in {elapsed:.1f} s: {total / elapsed:.1f} req/s; {sum(errors.values())} errors")
    print(f"{'endpoint':<10} {'requests':>9} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for operation in MIX:
        values = latencies[operation]
        if len(values) < 2:
            print(f"{operation:<10} {len(values):>9}")
            continue
        cuts = statistics.quantiles(values, n=100, method="inclusive")
        print(
            f"{operation:<10} {len(values):>9} {len(values) / elapsed:>7.1f} {cuts[49] * 1000:>8.1f} "
            f"{cuts[98] * 1000:>8.1f} {errors[operation]:>7}"
        )
    print(f"shop processes: {procs}")
    print(f"RSS: {rss0:.1f} MiB at start, {rss1:.1f} MiB at end ({rss1 - rss0:+.1f} MiB)")
    print(f"open file descriptors: {fds0} at start, {fds1} at end ({fds1 - fds0:+d})")


def main(runtime: str, seconds: float, clients: int) -> None:
    print(
        f"machine: {os.cpu_count()} cores; runtime {runtime}; {seconds:.0f} s; {clients} clients; mix {MIX}"
    )
    if runtime == "embedded":
        starter = embedded_shop(jwt_secret=SECRET, bcrypt_rounds="10")
    else:
        starter = distributed_shop(jwt_secret=SECRET, bcrypt_rounds="10")
    with starter as shop:
        asyncio.run(workload(shop, seconds, clients))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runtime", choices=("embedded", "distributed"), default="embedded")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    main(args.runtime, args.seconds, args.clients)
