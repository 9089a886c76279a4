"""An unexpected exception is a 500 problem+json that tells nothing about the code: no traceback, no
exception type or message, no file paths, in production as anywhere."""

import httpx
import pytest

from xshop.platform.http.app import create_service_app
from xshop.platform.metrics import ServiceMetrics
from xshop.platform.settings import Settings

LEAKY = "db password hunter2 at /srv/xshop/secret.py"


def crashing_app() -> httpx.AsyncClient:
    settings = Settings(_env_file=None, env="production", jwt_secret="p" * 48)
    app = create_service_app(
        service="crashy",
        title="crashy",
        description="raises",
        metrics=ServiceMetrics("crashy"),
        readiness={},
        max_body_bytes=settings.max_body_bytes,
    )

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError(LEAKY)

    @app.post("/boom")
    async def boom_with_body(body: dict[str, str]) -> None:
        raise KeyError(LEAKY)

    # Starlette re-raises after answering, for the server to log; the answer is what a client sees.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@pytest.mark.parametrize(("method", "body"), [("GET", None), ("POST", {"a": "b"})])
async def test_an_unexpected_error_is_a_bare_500_problem(method, body, caplog):
    async with crashing_app() as client:
        response = await client.request(method, "/boom", json=body)
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "INTERNAL_ERROR" and problem["status"] == 500
    assert problem["correlationId"] == response.headers["x-correlation-id"]
    for leak in ("Traceback", "RuntimeError", "KeyError", "hunter2", "secret.py", 'File "'):
        assert leak not in response.text
    assert any(record.exc_info for record in caplog.records)  # the operator still gets the traceback
