"""A distributed shop the fault tests can break: each service an ``xshop serve`` process of its own
(notifications twice, as two processes), and ``xshop mailcatcher``, all started here rather than by
``xshop up``, which stops everything when one child dies. Any process can be killed and started
again on its port."""

import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.runtimes import SERVICES, XSHOP, shop_env
from tests.waiting import free_port

NOTIFICATIONS_REPLICA = "notifications-2"


class FaultyShop:
    def __init__(self, database: str, vhost: str, directory: Path) -> None:
        self.database = database
        self.directory = directory
        names = (*SERVICES, "mail_smtp", "mail_http")
        self.ports = {name: free_port() for name in names} | {NOTIFICATIONS_REPLICA: free_port()}
        self.env = shop_env(database, vhost, self.ports, directory)
        # Auth waits out the 2 s database outage (3 s) within its caller's patience (4 s).
        self.env["XSHOP_SERVICE_TIMEOUT_SECONDS"] = "4"
        self.env["XSHOP_DATABASE_RETRY_SECONDS"] = "3"
        self.env["XSHOP_SERVICE_CIRCUIT_COOLDOWN_SECONDS"] = "0.5"
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self._log = (directory / "processes.log").open("ab")

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports['mail_http' if name == 'mail' else name]}"

    def start(self, name: str) -> None:
        env = dict(self.env)
        if name == "mail":
            args = ["mailcatcher"]
        elif name == NOTIFICATIONS_REPLICA:
            env["XSHOP_NOTIFICATIONS_PORT"] = str(self.ports[name])
            args = ["serve", "notifications"]
        else:
            args = ["serve", name]
        self.processes[name] = subprocess.Popen(
            [XSHOP, *args], env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, *names: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        pending = list(names)
        while pending:
            name = pending[0]
            process = self.processes[name]
            assert process.poll() is None, f"{name} exited: see {self.directory / 'processes.log'}"
            path = "/health" if name == "mail" else "/health/ready"
            try:
                if httpx.get(self.url(name) + path, timeout=2).status_code == 200:
                    pending.pop(0)
                    continue
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"{name} not ready in {timeout} s"
            time.sleep(0.2)

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self, name: str) -> None:
        process = self.processes.pop(name)
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def close(self) -> None:
        """Every process told at once, so their graceful shutdowns overlap instead of adding up."""
        for process in self.processes.values():
            process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 20
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()
        self._log.close()


@contextmanager
def faulty_shop(database: str, vhost: str, directory: Path) -> Iterator[FaultyShop]:
    shop = FaultyShop(database, vhost, directory)
    migrate = subprocess.run([XSHOP, "migrate"], env=shop.env, capture_output=True, text=True, check=False)
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    names = ["mail", *SERVICES, NOTIFICATIONS_REPLICA]
    try:
        for name in names:
            shop.start(name)
        shop.wait_ready(*names)
        yield shop
    finally:
        shop.close()
