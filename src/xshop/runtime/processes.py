"""``xshop up``: every service as its own OS process (with replicas), plus the mail catcher.

Meant for a one-machine demo of the distributed runtime; in production an orchestrator (see
docs/deploy.md) runs ``xshop serve NAME`` per service instead.
"""

import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import typer

from xshop.platform.settings import Settings

XSHOP = str(Path(sys.executable).with_name("xshop"))


@dataclass
class Child:
    name: str
    url: str
    workers: int
    process: subprocess.Popen[bytes]


def _spawn(args: list[str]) -> subprocess.Popen[bytes]:
    """Children get their own session: a terminal's Ctrl-C reaches only ``up``, which forwards it once
    (a second SIGINT would make uvicorn skip the graceful shutdown)."""
    return subprocess.Popen([XSHOP, *args], start_new_session=True)  # noqa: S603 - our own executable


def start_children(settings: Settings, names: list[str], replicas: dict[str, int]) -> list[Child]:
    children: list[Child] = []
    if settings.smtp_url is None:
        url = f"http://{settings.host}:{settings.mail_http_port}"
        children.append(Child("mail catcher", url, 1, _spawn(["mailcatcher"])))
    for name in names:
        workers = replicas.get(name, 1)
        url = f"http://{settings.host}:{settings.port_of(name)}"
        children.append(Child(name, url, workers, _spawn(["serve", name, "--workers", str(workers)])))
    return children


def wait_ready(children: list[Child], timeout: float) -> list[str]:
    """Names of the children not ready by the deadline (or that exited)."""
    pending = {child.name: child for child in children}
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2) as http:
        while pending and time.monotonic() < deadline:
            for name, child in list(pending.items()):
                if child.process.poll() is not None:
                    return [name]
                path = "/health" if name == "mail catcher" else "/health/ready"
                try:
                    if http.get(child.url + path).status_code == 200:
                        del pending[name]
                except httpx.HTTPError:
                    pass
            time.sleep(0.2)
    return list(pending)


def status_table(children: list[Child]) -> str:
    lines = [f"{'service':<14} {'url':<28} {'workers':>7} {'pid':>8}"]
    lines += [f"{c.name:<14} {c.url:<28} {c.workers:>7} {c.process.pid:>8}" for c in children]
    return "\n".join(lines)


def stop_children(children: list[Child], timeout: float = 30) -> None:
    for child in children:
        if child.process.poll() is None:
            child.process.send_signal(signal.SIGINT)
    deadline = time.monotonic() + timeout
    for child in children:
        try:
            child.process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.process.kill()
            child.process.wait()


def run_up(settings: Settings, names: list[str], replicas: dict[str, int], ready_timeout: float) -> int:
    children = start_children(settings, names, replicas)
    stopping = False

    def on_signal(*_: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        not_ready = wait_ready(children, ready_timeout)
        if not_ready:
            typer.echo(f"xshop up: not ready: {', '.join(not_ready)}; stopping", err=True)
            return 1
        typer.echo(status_table(children))
        typer.echo("All services ready. Press Ctrl-C to stop.")
        while not stopping:
            exited = [c.name for c in children if c.process.poll() is not None]
            if exited:
                typer.echo(f"xshop up: {', '.join(exited)} exited; stopping the rest", err=True)
                return 1
            time.sleep(0.2)
        return 0
    finally:
        stop_children(children)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        typer.echo("xshop stopped.")
