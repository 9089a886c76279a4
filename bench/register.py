"""Registrations/s through the BFF vs the machine's raw bcrypt-10 rate, and registration → email latency.

Usage: .venv/bin/python bench/register.py [--seconds 10]
Starts ``xshop run`` (bcrypt cost 10) in a child process; the load generator runs in this process.
"""

import argparse
import asyncio
import os
import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import bcrypt
import httpx

from _shop import embedded_shop

BODY = {"firstName": "Bench", "lastName": "Mark", "password": "Bench1pass"}


def raw_bcrypt_rate(seconds: float) -> float:
    """bcrypt-10 hashes per second using every core (bcrypt releases the GIL)."""
    cores = os.cpu_count() or 2
    salt = bcrypt.gensalt(10)
    deadline = time.perf_counter() + seconds

    def worker() -> int:
        done = 0
        while time.perf_counter() < deadline:
            bcrypt.hashpw(b"Bench1pass", salt)
            done += 1
        return done

    started = time.perf_counter()
    with ThreadPoolExecutor(cores) as pool:
        total = sum(pool.map(lambda _: worker(), range(cores)))
    return total / (time.perf_counter() - started)


async def register_load(
    base: str, clients: int, seconds: float, tag: str
) -> tuple[float, int, dict[str, float]]:
    """Closed loop: ``clients`` workers register unique users back to back for ``seconds``."""
    done_at: dict[str, float] = {}
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                email = f"{tag}-{uuid.uuid4().hex[:12]}@bench.example.com"
                response = await http.post("/bff/auth/register", json=BODY | {"email": email})
                if response.status_code == 201:
                    done_at[email] = time.time()
                else:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return len(done_at) / elapsed, errors, done_at


async def paced_registrations(base: str, count: int, per_second: float) -> dict[str, float]:
    """Open loop at a steady rate below capacity, to see the asynchronous email path on its own."""
    done_at: dict[str, float] = {}
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:

        async def one(email: str) -> None:
            response = await http.post("/bff/auth/register", json=BODY | {"email": email})
            if response.status_code == 201:
                done_at[email] = time.time()

        tasks = []
        for i in range(count):
            tasks.append(asyncio.create_task(one(f"paced-{i}-{uuid.uuid4().hex[:8]}@bench.example.com")))
            await asyncio.sleep(1 / per_second)
        await asyncio.gather(*tasks)
    return done_at


async def email_latencies(mail_base: str, done_at: dict[str, float]) -> list[float]:
    """Seconds from the 201 to the catcher receiving the message, per registration."""
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(base_url=mail_base, timeout=30) as http:
        while True:
            listing = (await http.get("/api/v1/messages", params={"limit": 5000})).json()
            received = {
                m["To"][0]["Address"]: datetime.fromisoformat(m["Created"].replace("Z", "+00:00")).timestamp()
                for m in listing["messages"]
            }
            if all(email in received for email in done_at) or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
    return [received[e] - t for e, t in done_at.items() if e in received]


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


async def main(seconds: float) -> None:
    print(f"machine: {os.cpu_count()} cores; phase length {seconds:.0f} s")
    bcrypt_rate = raw_bcrypt_rate(min(seconds, 5))
    print(f"raw bcrypt-10 (all cores, no server load): {bcrypt_rate:.1f} hashes/s")
    with embedded_shop(bcrypt_rounds="10") as shop:
        base = shop.url("gateway")
        await register_load(base, 8, 2, "warmup")
        header = ("clients", "reg/s", "ratio", "errors", "email p50 ms", "email p99 ms")
        print("{:>8} {:>8} {:>6} {:>7} {:>13} {:>13}".format(*header))
        for clients in (8, 32, 64):
            rate, errors, done_at = await register_load(base, clients, seconds, f"c{clients}")
            lat = await email_latencies(shop.url("mail"), done_at)
            print(
                f"{clients:>8} {rate:>8.1f} {rate / bcrypt_rate:>6.2f} {errors:>7} "
                f"{pct(lat, 50) * 1000:>13.1f} {pct(lat, 99) * 1000:>13.1f}"
            )
        paced = await paced_registrations(base, int(seconds * 10), 10)
        lat = await email_latencies(shop.url("mail"), paced)
        print(
            f"paced 10 reg/s x {len(paced)}: registration→email p50 {pct(lat, 50) * 1000:.1f} ms, "
            f"p99 {pct(lat, 99) * 1000:.1f} ms, max {max(lat) * 1000:.1f} ms"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    asyncio.run(main(parser.parse_args().seconds))
