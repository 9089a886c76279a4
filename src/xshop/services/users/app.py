"""Composition of the users service."""

from pathlib import Path

from xshop.platform.events.bus import EventBus
from xshop.platform.security.passwords import PasswordHasher
from xshop.platform.service_unit import ServiceUnit, build_unit
from xshop.platform.settings import Settings
from xshop.services.users import accounts_api, api, credentials_api, models
from xshop.services.users.accounts import AccountsService
from xshop.services.users.credentials import CredentialsService
from xshop.services.users.service import UsersService

MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: Settings, bus: EventBus) -> ServiceUnit:
    unit = build_unit(
        "users",
        settings,
        bus,
        title="xshop users service",
        description="User records: validation, password hashing, email verification state.",
        migrations=MIGRATIONS,
        outbox_table=models.outbox,
    )
    hasher = PasswordHasher(settings.bcrypt_rounds)
    unit.app.state.users = UsersService(unit.database, unit.events, hasher)
    unit.app.state.credentials = CredentialsService(unit.database, hasher)
    unit.app.state.accounts = AccountsService(unit.database, unit.events)
    unit.app.include_router(api.router)
    unit.app.include_router(credentials_api.router)
    unit.app.include_router(accounts_api.router)
    unit.on_close.append(hasher.close)
    return unit
