"""Start the shop for a bench: ``xshop run`` or ``xshop up`` (on a PostgreSQL database and a RabbitMQ
vhost of its own), in a child process on free ports with a throwaway data directory."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from xshop.platform.settings import Settings

SERVICES = ("gateway", "auth", "users", "notifications", "audit", "catalog", "orders")
# Every listener the shop opens (web UI, events gateway, mail catcher too): defaults may be taken.
PORTS = tuple(name.removesuffix("_port") for name in Settings.model_fields if name.endswith("_port"))
XSHOP = os.path.join(os.path.dirname(sys.executable), "xshop")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningShop:
    ports: dict[str, int]
    process: subprocess.Popen[bytes]

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"


@contextmanager
def embedded_shop(*, demo: bool = False, **settings: str) -> Iterator[RunningShop]:
    """``demo``: ``xshop run --demo``, ready once the demo catalogue is loaded."""
    ports = {name: free_port() for name in PORTS}
    with tempfile.TemporaryDirectory() as data_dir:
        env = os.environ | {f"XSHOP_{name.upper()}_PORT": str(port) for name, port in ports.items()}
        env |= {"XSHOP_DATA_DIR": data_dir, "XSHOP_LOG_LEVEL": "WARNING"}
        env |= {f"XSHOP_{k.upper()}": v for k, v in settings.items()}
        process = subprocess.Popen(
            [XSHOP, "run", *(["--demo"] if demo else [])],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shop = RunningShop(ports={**ports, "mail": ports["mail_http"]}, process=process)
        try:
            _wait_ready(shop)
            yield shop
        finally:
            process.terminate()
            process.wait(timeout=30)


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=120)


@contextmanager
def fresh_infra() -> Iterator[tuple[str, str]]:
    """A PostgreSQL database and a RabbitMQ vhost of their own, dropped afterwards."""
    run = uuid.uuid4().hex[:8]
    database, vhost = f"xshop_bench_{run}", f"xshop-bench-{run}"
    psql = ("psql", "-h", "127.0.0.1", "-U", "postgres", "-qc")
    _run(*psql, f'CREATE DATABASE "{database}"')
    try:
        _run("rabbitmqctl", "-q", "add_vhost", vhost)
        try:
            _run("rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
            yield database, vhost
        finally:
            _run("rabbitmqctl", "-q", "delete_vhost", vhost)
    finally:
        _run(*psql, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@contextmanager
def distributed_shop(**settings: str) -> Iterator[RunningShop]:
    """``xshop up`` with one process per service; ``settings`` as in ``embedded_shop``."""
    ports = {name: free_port() for name in PORTS}
    with fresh_infra() as (database, vhost), tempfile.TemporaryDirectory() as data_dir:
        log_path = os.path.join(data_dir, "xshop-up.log")
        env = {k: v for k, v in os.environ.items() if not k.startswith("XSHOP_")}
        env |= {f"XSHOP_{name.upper()}_PORT": str(port) for name, port in ports.items()}
        env |= {
            "XSHOP_DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{database}",
            "XSHOP_BROKER_URL": f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
            "XSHOP_DATA_DIR": data_dir,
            "XSHOP_LOG_LEVEL": "WARNING",
        }
        env |= {f"XSHOP_{k.upper()}": v for k, v in settings.items()}
        with open(log_path, "w") as log:
            command = [XSHOP, "up", "--ready-timeout", "120"]
            process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
        shop = RunningShop(ports={**ports, "mail": ports["mail_http"]}, process=process)
        try:
            _wait_ready(shop, seconds=150)
            yield shop
        except BaseException:
            with open(log_path) as log:
                print(log.read()[-4000:], file=sys.stderr)
            raise
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_ready(shop: RunningShop, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if shop.process.poll() is not None:
            raise RuntimeError("the shop exited during start-up")
        urls = [f"{shop.url(s)}/health/ready" for s in SERVICES] + [f"{shop.url('mail')}/api/v1/messages"]
        try:
            if all(httpx.get(url).status_code == 200 for url in urls):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the shop did not become ready in {seconds:.0f} s")
