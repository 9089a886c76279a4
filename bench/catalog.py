"""Browsing throughput: ``GET /bff/products?page=1`` next to a hello-world endpoint on the same stack.

Usage: .venv/bin/python bench/catalog.py [--seconds 10] [--connections 50]

Starts ``xshop run --demo`` (240 demo products) in a child process and, in another, a hello-world
app built by the same ``create_service_app`` and served by the same ``serve_all``/uvicorn setup as
every service (bench/_hello.py). The load generator is ``wrk`` (``apt-get install -y wrk``), a third
process with 2 threads: each target gets a 2 s warm-up, then ``--seconds`` at ``--connections``
connections, once the shop has finished handling the demo data's events. Prints req/s, p50 and p99
for both and the ratio (products req/s / hello req/s), and for scale the same page straight from the
catalog service, which caches nothing.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from _shop import RunningShop, embedded_shop, free_port
from xshop.services.catalog.demo import demo_products

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}  # wrk switches to minutes past 60 s


@dataclass(frozen=True)
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def wrk(url: str, seconds: float, connections: int) -> Result:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:.0f}s", "--latency", url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = int(errors.group(1)) if errors else 0
    failed += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return Result(rate, _percentile(out, "50"), _percentile(out, "99"), failed)


def _percentile(out: str, which: str) -> float:
    value, unit = re.search(rf"^\s+{which}%\s+([\d.]+)(us|ms|s|m)$", out, re.MULTILINE).groups()
    return float(value) * UNITS[unit]


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def wait_until_settled(shop: RunningShop, timeout: float = 120) -> None:
    """Until audit has recorded every demo product's ``product.created``: start-up work is over."""
    expected = len(demo_products())
    metric = r'xshop_events_handled_total\{outcome="ok",type="product.created"\}'
    pattern = re.compile(rf"^{metric} ([\d.]+)$", re.M)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = pattern.search(httpx.get(f"{shop.url('audit')}/metrics").text)
        if found and float(found.group(1)) >= expected:
            return
        time.sleep(0.5)
    raise RuntimeError("the demo data's events were not all handled in time")


def main(seconds: float, connections: int) -> None:
    if shutil.which("wrk") is None:
        sys.exit("bench/catalog.py needs wrk: apt-get install -y wrk")
    print(f"machine: {os.cpu_count()} cores; wrk -t2 -c{connections} -d{seconds:.0f}s")
    hello_port = free_port()
    hello = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("_hello.py")), str(hello_port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with embedded_shop(demo=True) as shop:
            products = f"{shop.url('gateway')}/bff/products?page=1"
            hello_url = f"http://127.0.0.1:{hello_port}/hello"
            wait_for(hello_url)
            wait_until_settled(shop)
            page = httpx.get(products).json()
            print(f"catalogue: {page['totalItems']} products on sale, {len(page['items'])} on page 1")
            results = {}
            uncached = f"{shop.url('catalog')}/api/products?page=1"
            targets = {
                "GET /bff/products?page=1": products,
                "hello world": hello_url,
                # For scale: the catalog service itself, which has no cache (each request queries).
                "catalog /api/products": uncached,
            }
            for name, url in targets.items():
                wrk(url, 2, connections)
                results[name] = wrk(url, seconds, connections)
    finally:
        hello.terminate()
        hello.wait(timeout=30)
    print(f"{'endpoint':<26} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, r in results.items():
        print(f"{name:<26} {r.requests_per_second:>9.0f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f} {r.errors:>7}")
    products_rate = results["GET /bff/products?page=1"].requests_per_second
    hello_rate = results["hello world"].requests_per_second
    print(f"ratio products / hello: {products_rate / hello_rate:.2f} (target >= 0.5; p99 target <= 50 ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    main(args.seconds, args.connections)
