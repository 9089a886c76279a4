"""The distributed runtime for tests: `xshop up` on a PostgreSQL database and a RabbitMQ vhost of its
own, and a driver with ``ShopDriver``'s interface that reaches it over real HTTP.

Behaviour tests marked ``any_runtime`` run once per runtime (DESIGN §3): their ``shop`` is a fresh
embedded shop, or a driver of the one distributed shop the whole session shares."""

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.helpers import ShopSurfaces
from tests.infra import require
from tests.waiting import eventually, free_port
from xshop.platform.settings import Settings

XSHOP = str(Path(sys.executable).with_name("xshop"))
SERVICES = ("gateway", "auth", "users", "notifications", "audit", "catalog", "orders", "events")
# Every port setting gets a free port, so a shop never collides with a developer's or with another
# test's, services added later included.
PORTS = tuple(name.removesuffix("_port") for name in Settings.model_fields if name.endswith("_port"))
_PENDING = re.compile(r"^xshop_outbox_pending_events (\S+)$", re.MULTILINE)


@dataclass
class DistributedShop:
    env: dict[str, str]
    ports: dict[str, int]
    database: str
    process: subprocess.Popen[str]
    vhost: str = ""
    log: Path | None = None

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"


def psql(sql: str, database: str = "postgres") -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-qc", sql],
        check=True,
        capture_output=True,
    )


def rabbitmqctl(*args: str) -> str:
    done = subprocess.run(
        ["rabbitmqctl", "-q", *args], check=True, capture_output=True, text=True, timeout=120
    )
    return done.stdout


@contextmanager
def fresh_infra() -> Iterator[tuple[str, str]]:
    """A PostgreSQL database and a RabbitMQ vhost of their own, dropped afterwards. Unreachable
    infrastructure fails the test in CI and skips it elsewhere (``tests.infra.require``)."""
    require("PostgreSQL", 5432)
    require("RabbitMQ", 5672)
    run = uuid.uuid4().hex[:8]
    database, vhost = f"xshop_test_{run}", f"xshop-test-{run}"
    psql(f'CREATE DATABASE "{database}"')
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    try:
        yield database, vhost
    finally:
        psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        rabbitmqctl("delete_vhost", vhost)


def shop_env(database: str, vhost: str, ports: dict[str, int], tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XSHOP_")}
    env |= {f"XSHOP_{name.upper()}_PORT": str(port) for name, port in ports.items()}
    env |= {
        "XSHOP_DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{database}",
        "XSHOP_BROKER_URL": f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
        "XSHOP_DATA_DIR": str(tmp),
        "XSHOP_BCRYPT_ROUNDS": "4",
        "XSHOP_JWT_SECRET": "distributed-test-secret-" + "x" * 30,
        "XSHOP_EVENTS_API_KEY": "k" * 40,
        # A send cut off by a crash or an outage is repeated once its claim lapses: 10 s here keeps
        # the crash tests short; retries (0.5 s doubling to 16 s over 8 attempts, ~64 s) outlast it.
        "XSHOP_MAIL_CLAIM_SECONDS": "10",
        "XSHOP_EVENT_RETRY_BASE_SECONDS": "0.5",
        "XSHOP_EVENT_RETRY_MAX_SECONDS": "16",
        "XSHOP_EVENT_MAX_ATTEMPTS": "8",
        "XSHOP_RELAY_POLL_SECONDS": "0.1",
        "XSHOP_LOG_LEVEL": "WARNING",
        "XSHOP_PUBLIC_URL": f"http://127.0.0.1:{ports.get('gateway', 3100)}",
    }
    return env


def all_ready(shop: DistributedShop) -> bool:
    try:
        return all(httpx.get(f"{shop.url(s)}/health/ready").status_code == 200 for s in SERVICES)
    except httpx.HTTPError:
        return False


@contextmanager
def xshop_up(
    database: str, vhost: str, directory: Path, *args: str, **env_overrides: str
) -> Iterator[DistributedShop]:
    """`xshop up ARGS` until the context ends (then Ctrl-C), every service ready on free ports."""
    ports = {name: free_port() for name in PORTS}
    env = shop_env(database, vhost, ports, directory) | env_overrides
    log_path = directory / "xshop-up.log"
    # A file, not a pipe: nobody reads a pipe while the tests run, and services blocked writing to a
    # full pipe would look like a hung shop.
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [XSHOP, "up", "--ready-timeout", "90", *args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        shop = DistributedShop(env, {**ports, "mail": ports["mail_http"]}, database, process, vhost, log_path)
        try:
            deadline = time.monotonic() + 120
            while not all_ready(shop):
                assert process.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, "xshop up did not become ready"
                time.sleep(0.5)
            yield shop
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def queue_backlog(vhost: str) -> dict[str, int]:
    """Messages ready or unacknowledged per queue (delay queues included, dead letters not)."""
    out = rabbitmqctl(
        "list_queues", "-p", vhost, "--no-table-headers", "name", "messages_ready", "messages_unacknowledged"
    )
    backlog = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and not parts[0].endswith(".dlq"):
            backlog[parts[0]] = int(parts[1]) + int(parts[2])
    return backlog


def settings_of(env: dict[str, str]) -> Settings:
    values = {
        key.removeprefix("XSHOP_").lower(): value for key, value in env.items() if key.startswith("XSHOP_")
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class DistributedDriver(ShopSurfaces):
    """``tests.helpers.ShopDriver``'s interface over real HTTP to the `xshop up` processes."""

    def __init__(self, running: DistributedShop) -> None:
        self.running = running
        super().__init__(settings_of(running.env))

    def client(self, service: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.running.url(service), timeout=30)

    async def idle(self, timeout: float = 5.0) -> None:
        """Every outbox relayed (the relays' lag metric) and every queue drained with nothing
        unacknowledged (RabbitMQ's own counts), twice in a row: the gauge lags a relay pass behind."""
        quiet = 0

        async def drained() -> bool:
            nonlocal quiet
            clear = await self.outbox_backlog() == 0 and not any(
                (await asyncio.to_thread(queue_backlog, self.running.vhost)).values()
            )
            quiet = quiet + 1 if clear else 0
            return quiet >= 2

        await eventually(drained, timeout=max(timeout, 30.0), what="the distributed shop to be idle")

    async def outbox_backlog(self) -> int:
        total = 0
        for service in SERVICES:
            async with self.client(service) as http:
                text = (await http.get("/metrics")).text
            total += sum(int(float(value)) for value in _PENDING.findall(text))
        return total
