"""Logins/s through the BFF vs the machine's raw bcrypt-10 rate (one bcrypt check per login).

Usage: .venv/bin/python bench/login.py [--seconds 10] [--users 64]
Starts ``xshop run`` (bcrypt cost 10) in a child process, registers the users first, then runs a
closed loop of logins at 8, 32 and 64 concurrent clients; the load generator runs in this process.
"""

import argparse
import asyncio
import os
import statistics
import time
import uuid

import httpx

from _shop import embedded_shop
from register import raw_bcrypt_rate

PASSWORD = "Bench1pass"


async def register_users(base: str, count: int) -> list[str]:
    emails = [f"login-{i}-{uuid.uuid4().hex[:8]}@bench.example.com" for i in range(count)]
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        semaphore = asyncio.Semaphore(8)

        async def one(email: str) -> None:
            async with semaphore:
                body = {"firstName": "Bench", "lastName": "Mark", "email": email, "password": PASSWORD}
                response = await http.post("/bff/auth/register", json=body)
                assert response.status_code == 201, response.text

        await asyncio.gather(*(one(email) for email in emails))
    return emails


async def login_load(
    base: str, emails: list[str], clients: int, seconds: float
) -> tuple[float, int, list[float]]:
    """Closed loop: ``clients`` workers sign in back to back for ``seconds``; each has its own user."""
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:

        async def worker(index: int) -> None:
            nonlocal errors
            body = {"email": emails[index % len(emails)], "password": PASSWORD}
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await http.post("/bff/auth/login", json=body)
                if response.status_code == 200:
                    latencies.append(time.perf_counter() - started)
                else:
                    errors += 1
                http.cookies.clear()  # every login is a fresh browser

        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(clients)))
        elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, errors, latencies


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


async def main(seconds: float, users: int) -> None:
    print(f"machine: {os.cpu_count()} cores; phase length {seconds:.0f} s; {users} users")
    before = raw_bcrypt_rate(min(seconds, 5))
    print(f"raw bcrypt-10 before (all cores, no server load): {before:.1f} hashes/s")
    bcrypt_rate = before
    with embedded_shop(bcrypt_rounds="10") as shop:
        base = shop.url("gateway")
        emails = await register_users(base, users)
        await login_load(base, emails, 8, 2)  # warm-up
        print(
            "{:>8} {:>9} {:>6} {:>7} {:>9} {:>9}".format(
                "clients", "logins/s", "ratio", "errors", "p50 ms", "p99 ms"
            )
        )
        for clients in (8, 32, 64):
            rate, errors, latencies = await login_load(base, emails, clients, seconds)
            print(
                f"{clients:>8} {rate:>9.1f} {rate / bcrypt_rate:>6.2f} {errors:>7} "
                f"{pct(latencies, 50) * 1000:>9.1f} {pct(latencies, 99) * 1000:>9.1f}"
            )
    after = raw_bcrypt_rate(min(seconds, 5))
    # The machine may be shared: a raw rate that moved between the two measurements says the ratios
    # above are only as good as that spread.
    print(f"raw bcrypt-10 after: {after:.1f} hashes/s (ratios above use the one before)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--users", type=int, default=64)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.seconds, arguments.users))
