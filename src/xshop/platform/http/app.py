"""One call gives every service the same defaults: errors, correlation id, metrics, health, CORS."""

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from xshop.platform.http.middleware import CORRELATION_HEADER, ServiceMiddleware
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
) -> FastAPI:
    app = FastAPI(
        title=title,
        description=description,
        version="0.1.0",
        generate_unique_id_function=_operation_id,
    )
    install_problem_handlers(app)
    app.add_middleware(ServiceMiddleware, service=service, metrics=metrics, max_body_bytes=max_body_bytes)
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
