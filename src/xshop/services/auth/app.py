"""Composition of the auth service."""

from datetime import timedelta
from pathlib import Path

from xshop.platform.clock import Clock, utcnow
from xshop.platform.events.bus import EventBus
from xshop.platform.service_unit import Connect, ServiceUnit, build_unit
from xshop.platform.settings import Settings
from xshop.services.auth import api, models
from xshop.services.auth.clients import UsersClient
from xshop.services.auth.service import AuthService
from xshop.services.auth.sessions import SessionIssuer

MIGRATIONS = Path(__file__).parent / "migrations"
VERIFY_PATH = "/bff/auth/email/verify"


def build(settings: Settings, bus: EventBus, connect: Connect, clock: Clock = utcnow) -> ServiceUnit:
    unit = build_unit(
        "auth",
        settings,
        bus,
        title="xshop auth service",
        description="Registration workflow, email verification, sessions and tokens.",
        migrations=MIGRATIONS,
        outbox_table=models.outbox,
    )
    users_http = connect("users")
    sessions = SessionIssuer(
        unit.app.state.jwt,
        access_ttl=timedelta(seconds=settings.access_token_ttl_seconds),
        refresh_ttl=timedelta(seconds=settings.refresh_token_ttl_seconds),
    )
    unit.app.state.auth = AuthService(
        unit.database,
        unit.events,
        UsersClient(users_http),
        sessions,
        clock,
        verification_ttl=timedelta(seconds=settings.verification_token_ttl_seconds),
        verify_url=settings.public_url.rstrip("/") + VERIFY_PATH,
    )
    unit.app.include_router(api.router)
    unit.on_close.append(users_http.aclose)
    return unit
