"""``xshop users create-admin``: an admin account made through the users service's own use cases
(a composition root may call a service layer). Its events wait in the users outbox until the
shop's relay publishes them."""

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from xshop.platform.db import Database
from xshop.platform.events.outbox import Outbox
from xshop.platform.security.passwords import PasswordHasher
from xshop.platform.settings import Settings
from xshop.services.users import models, validation
from xshop.services.users.app import MIGRATIONS
from xshop.services.users.schemas import UserCreate
from xshop.services.users.service import UsersService


class AdminRefused(Exception):
    """The email or password breaks the account rules; the message says which and why."""


@dataclass(frozen=True)
class AdminAccount:
    email: str
    created: bool


async def create_admin(
    settings: Settings,
    email: str,
    read_password: Callable[[], str],
    *,
    first_name: str = "Admin",
    last_name: str = "",
) -> AdminAccount:
    """Creates a verified, active admin, or promotes the existing account with that email (then no
    password is asked for and the current one stays)."""
    try:
        email = validation.clean_email(email)
    except PydanticCustomError as exc:
        raise AdminRefused(f"email: {exc.message()}") from None
    db = Database(settings.database_url_of("users"))
    hasher = PasswordHasher(settings.bcrypt_rounds)
    try:
        await db.migrate(MIGRATIONS)
        users = UsersService(db, Outbox(models.outbox, "users"), hasher)
        if await users.find_by_email(email) is not None:
            await users.promote_to_admin(email, actor="cli")
            return AdminAccount(email, created=False)
        account = _account(email, read_password(), first_name, last_name)
        _, created = await users.create_admin(account, actor="cli")
        return AdminAccount(email, created)
    finally:
        hasher.close()
        await db.dispose()


def _account(email: str, password: str, first_name: str, last_name: str) -> UserCreate:
    try:
        return UserCreate(email=email, password=password, first_name=first_name, last_name=last_name)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise AdminRefused(problems) from None
