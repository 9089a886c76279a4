"""Composition of the auth service."""

from datetime import timedelta
from pathlib import Path

from xshop.platform.clock import Clock, utcnow
from xshop.platform.db import Database
from xshop.platform.events.bus import EventBus
from xshop.platform.service_unit import Connect, ServiceUnit, build_unit
from xshop.platform.settings import Settings
from xshop.services.auth import account_api, api, models, password_api, session_api
from xshop.services.auth.account_service import AccountService
from xshop.services.auth.clients import UsersClient
from xshop.services.auth.context import AuthContext, ThrottleLimits
from xshop.services.auth.password_service import PasswordService
from xshop.services.auth.service import AuthService
from xshop.services.auth.session_service import SessionService
from xshop.services.auth.sessions import SessionIssuer
from xshop.services.auth.throttle import LoginThrottle, MemoryThrottle, ThrottlePolicy
from xshop.services.auth.throttle_sql import DatabaseThrottle

MIGRATIONS = Path(__file__).parent / "migrations"
VERIFY_PATH = "/bff/auth/email/verify"
RESET_PATH = "/bff/auth/password/reset"


def build(settings: Settings, bus: EventBus, connect: Connect, clock: Clock = utcnow) -> ServiceUnit:
    unit = build_unit(
        "auth",
        settings,
        bus,
        title="xshop auth service",
        description="Registration, email verification, sign-in sessions, passwords, accounts.",
        migrations=MIGRATIONS,
        outbox_table=models.outbox,
    )
    codec = unit.app.state.jwt
    users_http = connect("users")
    # Service tokens use the real time: the users service checks them against its own clock.
    users = UsersClient(users_http, credentials=lambda: codec.issue_service("auth", now=utcnow()))
    sessions = SessionIssuer(
        codec,
        access_ttl=timedelta(seconds=settings.access_token_ttl_seconds),
        refresh_ttl=timedelta(seconds=settings.refresh_token_ttl_seconds),
    )
    public_url = settings.public_url.rstrip("/")
    registration = AuthService(
        unit.database,
        unit.events,
        users,
        sessions,
        clock,
        verification_ttl=timedelta(seconds=settings.verification_token_ttl_seconds),
        verify_url=public_url + VERIFY_PATH,
        write_retry_seconds=settings.database_retry_seconds,
    )
    context = AuthContext(
        db=unit.database,
        outbox=unit.events,
        users=users,
        sessions=sessions,
        throttle=_throttle(settings, unit.database, clock),
        limits=ThrottleLimits(settings.login_throttle_account_limit, settings.login_throttle_ip_limit),
        clock=clock,
    )
    state = unit.app.state
    state.auth = registration
    state.sessions = SessionService(context)
    state.passwords = PasswordService(
        context,
        reset_ttl=timedelta(seconds=settings.password_reset_token_ttl_seconds),
        reset_url=public_url + RESET_PATH,
    )
    state.accounts = AccountService(context, registration)
    for router in (api.router, session_api.router, password_api.router, account_api.router):
        unit.app.include_router(router)
    unit.on_close.append(users_http.aclose)
    return unit


def _throttle(settings: Settings, db: Database, clock: Clock) -> LoginThrottle:
    policy = ThrottlePolicy(
        window=timedelta(seconds=settings.login_throttle_window_seconds),
        max_lockout=timedelta(seconds=settings.login_throttle_max_lockout_seconds),
    )
    if settings.login_throttle_store == "database":
        return DatabaseThrottle(db, policy, clock)
    return MemoryThrottle(policy, clock)
