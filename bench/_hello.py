"""A hello-world service on the shop's server stack: ``create_service_app`` with the gateway's options
(middleware, problem handlers, metrics, CORS) served by ``serve_all``, as ``xshop run`` serves each
service.

Usage: python bench/_hello.py PORT  (used by bench/catalog.py; lives only in the bench).
"""

import asyncio
import sys

from xshop.platform.http.app import create_service_app
from xshop.platform.metrics import ServiceMetrics
from xshop.platform.settings import Settings
from xshop.runtime.servers import Listener, serve_all

app = create_service_app(
    service="hello",
    title="hello",
    description="The baseline of bench/catalog.py.",
    metrics=ServiceMetrics("hello"),
    readiness={},
    max_body_bytes=64 * 1024,
    cors_origins=Settings(_env_file=None).cors_origins,  # as the gateway has
)


@app.get("/hello")
async def hello() -> dict[str, str]:
    return {"message": "hello, world"}


if __name__ == "__main__":
    asyncio.run(serve_all([Listener("hello", app, int(sys.argv[1]))], "127.0.0.1"))
