"""Real infrastructure for tests: RabbitMQ and PostgreSQL on 127.0.0.1.

In CI (``CI`` set) an unreachable broker or database fails the test: .ci/run starts both. On a
developer machine without them, those tests are skipped with the reason."""

import os
import socket

import pytest

RABBITMQ_URL = os.environ.get("XSHOP_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672/")
POSTGRES_URL = os.environ.get(
    "XSHOP_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)


def _reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def require(service: str, port: int) -> None:
    if _reachable(port):
        return
    message = f"{service} is not reachable on 127.0.0.1:{port}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must start it: see .ci/run)")
    pytest.skip(message)
