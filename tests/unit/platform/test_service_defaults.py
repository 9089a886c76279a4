"""What every service gets from create_service_app: readiness, structured logs, CORS, problems."""

import json
import logging

import httpx

from xshop.platform.db import Database
from xshop.platform.http.app import create_service_app
from xshop.platform.logs import configure_logging
from xshop.platform.metrics import ServiceMetrics


def make_app(readiness, cors=None):
    return create_service_app(
        service="svc",
        title="t",
        description="d",
        metrics=ServiceMetrics("svc"),
        readiness=readiness,
        max_body_bytes=1024,
        cors_origins=cors,
    )


async def call(app, method, path, **kwargs):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        return await client.request(method, path, **kwargs)


async def test_ready_answers_503_naming_the_dependency_that_is_down(tmp_path):
    broken = Database(f"sqlite+aiosqlite:///{tmp_path}")  # a directory: SQLite cannot open it

    async def broker_up() -> bool:
        return True

    response = await call(make_app({"database": broken.ping, "broker": broker_up}), "GET", "/health/ready")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "NOT_READY" and body["checks"] == {"database": False, "broker": True}
    assert "database" in body["detail"]
    await broken.dispose()


async def test_ready_and_health_answer_200_when_dependencies_are_up(tmp_path):
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'ok.sqlite'}")
    app = make_app({"database": db.ping})
    assert (await call(app, "GET", "/health/ready")).json()["checks"] == {"database": True}
    assert (await call(app, "GET", "/health")).json() == {"status": "ok", "service": "svc"}
    await db.dispose()


async def test_log_lines_are_json_with_service_and_correlation_id(capsys):
    configure_logging("INFO", json=True)
    app = make_app({})

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        logging.getLogger("xshop.test").info("hello from a route")
        return {"ok": "yes"}

    await call(app, "GET", "/hello", headers={"X-Correlation-ID": "cid-123"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    route_line = next(line for line in lines if line["message"] == "hello from a route")
    assert route_line["service"] == "svc" and route_line["correlation_id"] == "cid-123"
    assert {"time", "level", "logger"} <= set(route_line)
    access = next(line for line in lines if line["logger"] == "xshop.access")
    assert access["status"] == 200 and access["correlation_id"] == "cid-123"


async def test_cors_allows_the_web_origin_with_credentials_and_no_other():
    app = make_app({}, cors=["http://127.0.0.1:3000"])
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "X-CSRF-Token"}
    allowed = await call(app, "OPTIONS", "/health", headers={"Origin": "http://127.0.0.1:3000", **preflight})
    assert allowed.headers["access-control-allow-origin"] == "http://127.0.0.1:3000"
    assert allowed.headers["access-control-allow-credentials"] == "true"
    denied = await call(app, "OPTIONS", "/health", headers={"Origin": "http://evil.example", **preflight})
    assert "access-control-allow-origin" not in denied.headers


async def test_metrics_count_requests_by_route_and_status():
    app = make_app({})
    await call(app, "GET", "/health")
    await call(app, "GET", "/nope")
    text = (await call(app, "GET", "/metrics")).text
    assert 'xshop_http_requests_total{method="GET",route="/health",status="200"} 1.0' in text
    assert 'route="unmatched",status="404"' in text
