"""A distributed shop for the session: `xshop up` on a fresh PostgreSQL database and RabbitMQ vhost."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.infra import require
from tests.waiting import free_port

XSHOP = str(Path(sys.executable).with_name("xshop"))
SERVICES = ("gateway", "auth", "users", "notifications", "audit", "catalog", "orders", "events")


@dataclass
class DistributedShop:
    env: dict[str, str]
    ports: dict[str, int]
    database: str
    process: subprocess.Popen[str]

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"


def _psql(sql: str, database: str = "postgres") -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-qc", sql],
        check=True,
        capture_output=True,
    )


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="session")
def infra() -> Iterator[tuple[str, str]]:
    """A database and a vhost of their own, dropped afterwards."""
    require("PostgreSQL", 5432)
    require("RabbitMQ", 5672)
    run = uuid.uuid4().hex[:8]
    database, vhost = f"xshop_test_{run}", f"xshop-test-{run}"
    _psql(f'CREATE DATABASE "{database}"')
    _rabbitmqctl("add_vhost", vhost)
    _rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    try:
        yield database, vhost
    finally:
        _psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        _rabbitmqctl("delete_vhost", vhost)


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
        # Retries must outlast the notifications' 45 s send claim, which an interrupted delivery
        # (broker outage) leaves behind: 0.5 s doubling to 16 s over 8 attempts spans ~64 s.
        "XSHOP_EVENT_RETRY_BASE_SECONDS": "0.5",
        "XSHOP_EVENT_RETRY_MAX_SECONDS": "16",
        "XSHOP_EVENT_MAX_ATTEMPTS": "8",
        "XSHOP_RELAY_POLL_SECONDS": "0.1",
        "XSHOP_LOG_LEVEL": "WARNING",
        "XSHOP_PUBLIC_URL": f"http://127.0.0.1:{ports.get('gateway', 3100)}",
    }
    return env


@pytest.fixture(scope="module")
def distributed(infra, tmp_path_factory) -> Iterator[DistributedShop]:
    database, vhost = infra
    ports = {name: free_port() for name in (*SERVICES, "mail_smtp", "mail_http")}
    directory = tmp_path_factory.mktemp("distributed")
    env = shop_env(database, vhost, ports, directory)
    # A file, not a pipe: nobody reads a pipe while the tests run, and services blocked writing to a
    # full pipe would look like a hung shop.
    log = (directory / "xshop-up.log").open("w")
    process = subprocess.Popen(
        [XSHOP, "up", "--replicas", "notifications=2", "--ready-timeout", "90"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    shop = DistributedShop(env, {**ports, "mail": ports["mail_http"]}, database, process)
    deadline = time.monotonic() + 120
    while True:
        assert process.poll() is None, (directory / "xshop-up.log").read_text()
        try:
            if all(httpx.get(f"{shop.url(s)}/health/ready").status_code == 200 for s in SERVICES):
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "xshop up did not become ready"
        time.sleep(0.5)
    yield shop
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    log.close()
