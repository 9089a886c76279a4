"""Pure ASGI middleware applied to every service: correlation id, body limit, security headers, metrics,
access log."""

import logging
import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xshop.platform.context import correlation_id, current_service, new_correlation_id
from xshop.platform.http.problems import internal_error_response, problem_response
from xshop.platform.http.security_headers import add_security_headers
from xshop.platform.metrics import ServiceMetrics

CORRELATION_HEADER = "X-Correlation-ID"
_MAX_CORRELATION_ID = 128
_NOT_STARTED = 0
access_log = logging.getLogger("xshop.access")
log = logging.getLogger("xshop.http")


def _valid_correlation_id(value: str | None) -> bool:
    return bool(value) and len(value) <= _MAX_CORRELATION_ID and value.isascii() and value.isprintable()


class ServiceMiddleware:
    """Sets the service and correlation id for the request, enforces the body limit, adds the security
    headers, records metrics. ``docs_paths``: the OpenAPI UI pages, which get their own CSP."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        service: str,
        metrics: ServiceMetrics,
        max_body_bytes: int,
        docs_paths: frozenset[str] = frozenset(),
    ) -> None:
        self.app = app
        self.service = service
        self.metrics = metrics
        self.max_body_bytes = max_body_bytes
        self.docs_paths = docs_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        incoming = headers.get(CORRELATION_HEADER.lower())
        cid = incoming if _valid_correlation_id(incoming) else new_correlation_id()
        service_token = current_service.set(self.service)
        cid_token = correlation_id.set(cid)
        status = _NOT_STARTED
        started = time.perf_counter()
        docs_page = scope["path"] in self.docs_paths

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                response_headers = MutableHeaders(scope=message)
                response_headers[CORRELATION_HEADER] = cid
                add_security_headers(response_headers, docs_page=docs_page)
            await send(message)

        try:
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_body_bytes:
                await self._reject_too_large(scope, send_with_id)
                return
            replay = await self._buffer_body(receive)
            if replay is None:
                await self._reject_too_large(scope, send_with_id)
                return
            try:
                await self.app(scope, replay, send_with_id)
            except Exception:
                # Answered here rather than by Starlette's outermost error handler, so the 500 still
                # carries the correlation id and the security headers, and the log line the id.
                if status != _NOT_STARTED:
                    raise
                log.exception("unhandled error")
                await internal_error_response()(scope, _no_body, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            status = status or 500  # cancelled before any answer
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.http_requests.labels(scope["method"], route, str(status)).inc()
            self.metrics.http_latency.labels(scope["method"], route).observe(elapsed)
            access_log.info(
                "%s %s %s",
                scope["method"],
                route,
                status,
                extra={"status": status, "duration_ms": round(elapsed * 1000, 2)},
            )
            correlation_id.reset(cid_token)
            current_service.reset(service_token)

    async def _buffer_body(self, receive: Receive) -> Receive | None:
        """Read the whole body up to the limit (None past it), then replay it to the app.

        Buffering here, rather than failing mid-read inside the app, is what lets a chunked body
        without Content-Length get a clean 413 instead of a parse error."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                first: Message = message
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                first = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
                break
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return first
            return await receive()

        return replay

    async def _reject_too_large(self, scope: Scope, send: Send) -> None:
        detail = f"The request body is larger than {self.max_body_bytes} bytes."
        response = problem_response(413, "PAYLOAD_TOO_LARGE", detail)
        await response(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}
