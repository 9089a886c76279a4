"""An embedded shop on real ports in a background thread, for a real browser to reach.

The browser needs TCP; the tests drive it with Playwright's sync API, which must not run inside an
event loop, so the shop gets its own loop in its own thread."""

import asyncio
import threading
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from tests.helpers import shop_settings
from tests.waiting import free_port
from xshop.runtime.demo import DemoSeed, seed_shop
from xshop.runtime.embedded import EmbeddedShop

START_TIMEOUT = 60.0


@dataclass(frozen=True)
class LiveUrls:
    web: str
    mail: str


class LiveShop:
    def __init__(self, data_dir: Path) -> None:
        web_port, mail_port = free_port(), free_port()
        self.urls = LiveUrls(f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{mail_port}")
        self.settings = shop_settings(
            data_dir, web_port=web_port, mail_http_port=mail_port, public_url=self.urls.web
        )
        self.seed: DemoSeed | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="live-shop", daemon=True)

    def start(self) -> None:
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT):
            raise RuntimeError("the live shop did not start in time")
        if self._failure is not None:
            raise RuntimeError("the live shop failed to start") from self._failure

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # reported to start(); the thread must not die silently
            self._failure = exc
            self._ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        shop = EmbeddedShop(self.settings)
        await shop.start()
        try:
            self.seed = await seed_shop(shop)
            assert shop.mail is not None
            apps: list[tuple[FastAPI, int]] = [
                (shop.units["web"].app, self.settings.web_port),
                (shop.mail.app, self.settings.mail_http_port),
            ]
            servers = [
                uvicorn.Server(
                    uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="off")
                )
                for app, port in apps
            ]
            tasks = [asyncio.create_task(server.serve()) for server in servers]
            while not all(server.started for server in servers):
                if any(task.done() for task in tasks):
                    raise RuntimeError("a live shop server could not start")
                await asyncio.sleep(0.05)
            self._ready.set()
            await self._stop.wait()
            for server in servers:
                server.should_exit = True
            await asyncio.gather(*tasks)
        finally:
            await shop.stop()
