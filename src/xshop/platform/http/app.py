"""One call gives every service the same defaults: errors, correlation id, security headers, metrics,
health, CORS, an OpenAPI document that shows the problem+json errors."""

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from xshop.platform.http.middleware import CORRELATION_HEADER, ServiceMiddleware
from xshop.platform.http.openapi import problem_openapi
from xshop.platform.http.problems import install_problem_handlers, problem_response
from xshop.platform.metrics import ServiceMetrics

ReadinessCheck = Callable[[], Awaitable[bool]]


def _operation_id(route: APIRoute) -> str:
    return route.name


def create_service_app(
    *,
    service: str,
    title: str,
    description: str,
    metrics: ServiceMetrics,
    readiness: dict[str, ReadinessCheck],
    max_body_bytes: int,
    cors_origins: list[str] | None = None,
    forwarded_allow_ips: list[str] | None = None,
) -> FastAPI:
    app = FastAPI(
        title=title,
        description=description,
        version="0.1.0",
        generate_unique_id_function=_operation_id,
    )
    app.openapi = lambda: problem_openapi(app)  # type: ignore[method-assign]
    install_problem_handlers(app)
    docs_paths = frozenset(
        path for path in (app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url) if path
    )
    app.add_middleware(
        ServiceMiddleware,
        service=service,
        metrics=metrics,
        max_body_bytes=max_body_bytes,
        docs_paths=docs_paths,
    )
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=cors_origins,
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=[
                "Content-Type",
                "X-CSRF-Token",
                CORRELATION_HEADER,
                "Idempotency-Key",
                "Authorization",
            ],
            expose_headers=[CORRELATION_HEADER],
        )

    # Outermost, so every layer (logs, throttles, audit) sees the browser's address rather than the
    # web UI's or a load balancer's; in the app rather than the server, so the in-process calls of
    # the embedded runtime get the same treatment as uvicorn-served ones.
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=forwarded_allow_ips or [])

    @app.get("/health", tags=["health"], summary="Liveness: the process answers; no I/O.")
    async def health() -> dict[str, str]:
        return {"status": "ok", "service": service}

    @app.get(
        "/health/ready",
        tags=["health"],
        summary="Readiness: the database and the broker answer.",
        responses={503: {"description": "A dependency is down"}},
    )
    async def ready() -> Response:
        checks = {name: await check() for name, check in readiness.items()}
        if all(checks.values()):
            return JSONResponse({"status": "ready", "service": service, "checks": checks})
        down = ", ".join(name for name, ok in checks.items() if not ok)
        return problem_response(503, "NOT_READY", f"Dependencies down: {down}.", extra={"checks": checks})

    @app.get("/metrics", tags=["health"], summary="Prometheus metrics.", include_in_schema=False)
    async def prometheus_metrics() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return app
