"""An embedded shop on its own thread and event loop, and an ASGI bridge into it.

schemathesis calls ASGI apps synchronously from its own event-loop thread, while the shop's databases,
bus and in-process service clients belong to the loop that started them. The bridge hands each request
over to the shop's loop whole and plays the response back, so schemathesis drives the real apps."""

import asyncio
import threading
from collections.abc import Coroutine
from contextlib import AbstractAsyncContextManager
from typing import Any, TypeVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.helpers import ShopDriver

T = TypeVar("T")
_TIMEOUT = 60.0


class ShopThread:
    """Runs ``running_shop(...)`` on a private event loop; ``call`` runs a coroutine there."""

    def __init__(self, shop: AbstractAsyncContextManager[ShopDriver]) -> None:
        self._shop = shop
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="fuzz-shop", daemon=True)

    def __enter__(self) -> ShopDriver:
        self._thread.start()
        return self.call(self._shop.__aenter__())

    def __exit__(self, *exc: object) -> None:
        try:
            self.call(self._shop.__aexit__(None, None, None))
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=_TIMEOUT)
            self.loop.close()

    def call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=_TIMEOUT)

    def bridge(self, app: ASGIApp) -> ASGIApp:
        return LoopBridge(app, self.loop)


class LoopBridge:
    """An ASGI app that serves each HTTP request by running ``app`` on ``loop`` (another thread's)."""

    def __init__(self, app: ASGIApp, loop: asyncio.AbstractEventLoop) -> None:
        self.app = app
        self.loop = loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _acknowledge_lifespan(receive, send)
            return
        body = await _read_body(receive)
        future = asyncio.run_coroutine_threadsafe(_exchange(self.app, dict(scope), body), self.loop)
        for message in await asyncio.wrap_future(future):
            await send(message)


async def _acknowledge_lifespan(receive: Receive, send: Send) -> None:
    """The shop is started and stopped by ``ShopThread``, not by the caller's lifespan."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _exchange(app: ASGIApp, scope: Scope, body: bytes) -> list[Message]:
    sent: list[Message] = []
    finished = asyncio.Event()
    delivered = False

    async def receive() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            finished.set()

    await app(scope, receive, send)
    finished.set()
    return sent
