"""Serving several ASGI apps from one event loop, each on its own port, with one clean shutdown."""

import asyncio
import contextlib
import signal
from collections.abc import Generator
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        """Signals are handled once for all servers by ``serve_all``, not by each server."""
        yield


@dataclass(frozen=True)
class Listener:
    name: str
    app: FastAPI
    port: int


async def serve_all(listeners: list[Listener], host: str, *, started: asyncio.Event | None = None) -> None:
    """Serve until SIGINT/SIGTERM; in-flight requests finish before this returns."""
    servers = [
        _Server(
            uvicorn.Config(
                item.app,
                host=host,
                port=item.port,
                log_config=None,
                access_log=False,
                lifespan="off",
                proxy_headers=False,  # the app applies XSHOP_FORWARDED_ALLOW_IPS itself
            )
        )
        for item in listeners
    ]

    def stop() -> None:
        for server in servers:
            server.should_exit = True

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    tasks = [asyncio.create_task(_serve(server)) for server in servers]
    try:
        while not all(server.started for server in servers):
            if any(task.done() for task in tasks):
                stop()
                break
            await asyncio.sleep(0.05)
        else:
            if started is not None:
                started.set()
        await asyncio.gather(*tasks)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
    failed = [
        f"{item.name} on {host}:{item.port}"
        for item, s in zip(listeners, servers, strict=True)
        if not s.started
    ]
    if failed:
        raise PortUnavailable(f"could not listen for {', '.join(failed)}: is the port in use?")


class PortUnavailable(RuntimeError):
    pass


async def _serve(server: uvicorn.Server) -> None:
    """uvicorn exits the process when it cannot bind; here that becomes a failed start we can report."""
    try:
        await server.serve()
    except SystemExit:
        server.should_exit = True
