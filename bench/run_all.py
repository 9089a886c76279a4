"""Runs every benchmark and prints one table: figure, value, target, the in-run baseline it is
compared with, the ratio, and whether the target is met.

Usage: .venv/bin/python bench/run_all.py [--quick]

Each bench runs as its own process, one after the other (they would share the 2 cores otherwise),
and prints its usual report, shown here as it comes; the figures are read from those reports. The
baselines are measured in the same run: the raw bcrypt-10 rate for registrations and logins, a
hello-world endpoint on the same server stack for browsing. ``--quick`` shortens every phase (for a
smoke run; the figures are noisier). relay.py needs PostgreSQL and RabbitMQ, catalog.py needs wrk.
"""

import argparse
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
NUMBER = r"([\d,]+(?:\.\d+)?)"


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    target: str
    baseline: float | None = None
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None


def number(pattern: str, text: str, group: int = 1) -> float:
    found = re.search(pattern, text, re.MULTILINE)
    if found is None:
        raise ValueError(f"no match for {pattern!r} in the bench's output")
    return float(found.group(group).replace(",", ""))


def run(script: str, *args: str) -> str:
    command = [sys.executable, str(HERE / script), *args]
    print(f"\n$ {' '.join(command[1:])}", flush=True)
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=HERE.parent)
    print(done.stdout, end="", flush=True)
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        raise RuntimeError(f"{script} failed with exit code {done.returncode}")
    print(f"({script}: {time.monotonic() - started:.0f} s)", flush=True)
    return done.stdout


def register(quick: bool) -> list[Figure]:
    out = run("register.py", "--seconds", "4" if quick else "10")
    bcrypt = number(rf"raw bcrypt-10 .*?: {NUMBER} hashes/s", out)
    figures = []
    for clients in (8, 32, 64):
        rate = number(rf"^\s+{clients}\s+{NUMBER}\s", out)
        figures.append(
            Figure(
                f"registrations/s, {clients} clients",
                rate,
                "/s",
                ">= 0.85 x bcrypt",
                bcrypt,
                rate >= 0.85 * bcrypt,
            )
        )
    p99 = number(rf"registration→email p50 {NUMBER} ms, p99 {NUMBER} ms", out, 2)
    figures.append(Figure("registration -> email p99, paced 10/s", p99, "ms", "< 250 ms", None, p99 < 250))
    return figures


def login(quick: bool) -> list[Figure]:
    out = run("login.py", *(["--seconds", "4", "--users", "32"] if quick else []))
    bcrypt = number(rf"raw bcrypt-10 before .*?: {NUMBER} hashes/s", out)
    figures = []
    for clients in (8, 32, 64):
        rate = number(rf"^\s+{clients}\s+{NUMBER}\s", out)
        figures.append(
            Figure(
                f"logins/s, {clients} clients", rate, "/s", ">= 0.85 x bcrypt", bcrypt, rate >= 0.85 * bcrypt
            )
        )
    return figures


def catalog(quick: bool) -> list[Figure]:
    out = run("catalog.py", "--seconds", "4" if quick else "10")
    row = rf"\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}\s+(\d+)$"
    products = number(rf"^GET /bff/products\?page=1{row}", out)
    p99 = number(rf"^GET /bff/products\?page=1{row}", out, 3)
    hello = number(rf"^hello world{row}", out)
    return [
        Figure(
            "GET /bff/products?page=1 req/s", products, "/s", ">= 0.5 x hello", hello, products >= 0.5 * hello
        ),
        Figure("GET /bff/products?page=1 p99", p99, "ms", "<= 50 ms", None, p99 <= 50),
    ]


def checkout(quick: bool) -> list[Figure]:
    args = ["--seconds", "4", "--buyers", "60", "--units", "20"] if quick else []
    out = run("checkout.py", *args)
    rate = number(rf"{NUMBER} checkouts/s", out)
    oversell = number(r"oversell (\d+)", out)
    return [
        Figure("checkouts/s, 32 customers (embedded)", rate, "/s", "none set"),
        Figure("oversell, buyers racing for scarce stock", oversell, "units", "0", None, oversell == 0),
    ]


def relay(quick: bool) -> list[Figure]:
    out = run("relay.py", *(["--events", "5000", "--latency-seconds", "10"] if quick else []))
    rate = number(rf"consumer \(inbox \+ effect\): {NUMBER} events/s", out)
    figures = [Figure("outbox -> RabbitMQ -> consumer", rate, "events/s", ">= 2,000/s", None, rate >= 2000)]
    latency = re.search(rf"registration → email: p50 {NUMBER} ms, p99 {NUMBER} ms", out)
    if latency:
        p99 = float(latency.group(2).replace(",", ""))
        figures.append(
            Figure("registration -> email p99, distributed", p99, "ms", "< 250 ms", None, p99 < 250)
        )
    return figures


BENCHES = {"register": register, "login": login, "catalog": catalog, "checkout": checkout, "relay": relay}


def table(figures: list[Figure]) -> str:
    lines = [
        "| figure | value | target | in-run baseline | ratio | met |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for f in figures:
        baseline = f"{f.baseline:,.1f}" if f.baseline else "—"
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else "—"
        met = "—" if f.met is None else ("yes" if f.met else "no")
        lines.append(f"| {f.name} | {f.value:,.1f} {f.unit} | {f.target} | {baseline} | {ratio} | {met} |")
    return "\n".join(lines)


def main(quick: bool, only: list[str]) -> None:
    figures: list[Figure] = []
    failed: list[str] = []
    for name in only or list(BENCHES):
        try:
            figures += BENCHES[name](quick)
        except (RuntimeError, ValueError) as exc:
            failed.append(f"{name}: {exc}")
    print("\n" + table(figures))
    for failure in failed:
        print(f"not measured: {failure}")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short phases: a smoke run, noisier figures")
    parser.add_argument(
        "--only", nargs="*", choices=list(BENCHES), default=[], help="a subset of the benches"
    )
    args = parser.parse_args()
    main(args.quick, args.only)
