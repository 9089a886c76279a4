"""The distributed runtime: one service per process, RabbitMQ, any database URL, HTTP between services.

``xshop serve NAME`` runs uvicorn on ``service_app`` (an app factory, so ``--workers`` can fork
replicas); each worker process starts its service's consumers, relay and tasks in the app's lifespan.
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from xshop.platform.db import Database
from xshop.platform.events.rabbitmq_bus import RabbitMqBus
from xshop.platform.http.upstreams import Upstreams, over_network
from xshop.platform.logs import configure_logging
from xshop.platform.settings import Settings
from xshop.runtime.lifecycle import NotMigrated, start_units, stop_units
from xshop.runtime.registry import MIGRATIONS, services

SERVICE_VARIABLE = "XSHOP_SERVICE"


class BrokerRequired(RuntimeError):
    def __init__(self) -> None:
        super().__init__("the distributed runtime needs XSHOP_BROKER_URL (amqp://...) to reach RabbitMQ")


def rabbitmq_bus(settings: Settings) -> RabbitMqBus:
    if not settings.broker_url:
        raise BrokerRequired
    return RabbitMqBus(
        settings.broker_url,
        max_attempts=settings.event_max_attempts,
        retry_base_seconds=settings.event_retry_base_seconds,
        retry_max_seconds=settings.event_retry_max_seconds,
        prefetch=settings.consumer_prefetch,
    )


async def preflight(name: str, settings: Settings) -> None:
    """Fail fast, with a message rather than a traceback, before a process starts serving."""
    if not settings.broker_url:
        raise BrokerRequired
    migrations = MIGRATIONS.get(name)
    if migrations is None:
        return
    db = Database(settings.database_url_of(name), schema=name)
    try:
        if not await db.is_at_head(migrations):
            raise NotMigrated(name)
    finally:
        await db.dispose()


def build_service_app(name: str, settings: Settings) -> FastAPI:
    """One service's app; its lifespan checks migrations and runs consumers, relay and tasks."""
    bus = rabbitmq_bus(settings)
    upstreams = Upstreams(settings, over_network(settings))
    unit = services()[name](settings, bus, upstreams.connect)
    upstreams.report_to(unit.metrics)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await start_units([unit], bus, migrate=False)
        try:
            yield
        finally:
            await stop_units([unit], bus)

    unit.app.router.lifespan_context = lifespan
    return unit.app


def service_app() -> FastAPI:
    """uvicorn's factory: the service named by XSHOP_SERVICE, configured from XSHOP_* variables."""
    settings = Settings()
    configure_logging(settings.log_level, json=settings.log_json)
    return build_service_app(os.environ[SERVICE_VARIABLE], settings)
