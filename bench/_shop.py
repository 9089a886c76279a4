"""Start ``xshop run`` in a child process on free ports with a throwaway data directory."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

SERVICES = ("gateway", "auth", "users", "notifications", "audit", "catalog", "orders")


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
    # The events gateway runs in the embedded shop too: its default port 4000 may be taken.
    ports = {name: free_port() for name in (*SERVICES, "events", "mail_smtp", "mail_http")}
    with tempfile.TemporaryDirectory() as data_dir:
        env = os.environ | {f"XSHOP_{name.upper()}_PORT": str(port) for name, port in ports.items()}
        env |= {"XSHOP_DATA_DIR": data_dir, "XSHOP_LOG_LEVEL": "WARNING"}
        env |= {f"XSHOP_{k.upper()}": v for k, v in settings.items()}
        process = subprocess.Popen(
            [os.path.join(os.path.dirname(sys.executable), "xshop"), "run", *(["--demo"] if demo else [])],
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


def _wait_ready(shop: RunningShop) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if shop.process.poll() is not None:
            raise RuntimeError("xshop run exited during start-up")
        try:
            if all(httpx.get(f"{shop.url(s)}/health/ready").status_code == 200 for s in SERVICES):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("xshop run did not become ready in 60 s")
