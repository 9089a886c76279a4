"""Use cases of the users service. Each owns its transaction and writes its events to the outbox."""

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from xshop.contracts.events import UserCreated, UserUpdated
from xshop.platform.clock import utcnow
from xshop.platform.db import Database
from xshop.platform.errors import ProblemError, not_found
from xshop.platform.events.outbox import Outbox
from xshop.platform.security.passwords import PasswordHasher
from xshop.services.users.models import User
from xshop.services.users.schemas import UserCreate

DEFAULT_ROLES = ["customer"]
ADMIN_ROLES = ["customer", "admin"]


def email_exists() -> ProblemError:
    return ProblemError(409, "EMAIL_EXISTS", "A user with this email already exists.")


class UsersService:
    def __init__(self, db: Database, outbox: Outbox, hasher: PasswordHasher) -> None:
        self.db = db
        self.outbox = outbox
        self.hasher = hasher

    async def create_user(self, data: UserCreate) -> User:
        return await self._insert(data, roles=DEFAULT_ROLES, verified=False)

    async def create_admin(self, data: UserCreate, actor: str = "cli") -> tuple[User, bool]:
        """An active, verified admin, and whether it was created: an existing account with that
        email is promoted instead, its password left as it is."""
        if await self.find_by_email(data.email) is None:
            try:
                return await self._insert(data, roles=ADMIN_ROLES, verified=True), True
            except ProblemError as exc:
                if exc.code != "EMAIL_EXISTS":
                    raise
        return await self.promote_to_admin(data.email, actor), False

    async def promote_to_admin(self, email: str, actor: str = "cli") -> User:
        async with self.db.transaction() as session:
            user = await session.scalar(
                select(User).where(User.email == email.strip().lower()).with_for_update()
            )
            if user is None:
                raise not_found("User")
            changes = []
            if "admin" not in user.roles:
                user.roles = [role for role in ADMIN_ROLES if role in {*user.roles, "admin"}]
                changes.append("roles")
            if not user.is_active:
                user.is_active = True
                changes.append("isActive")
            if changes:
                user.updated_at = utcnow()
                await self.outbox.add(
                    session,
                    UserUpdated(
                        user_id=user.id,
                        email=user.email,
                        changes=changes,
                        updated_by=actor,
                        updated_at=user.updated_at,
                    ),
                )
        return user

    async def _insert(self, data: UserCreate, *, roles: list[str], verified: bool) -> User:
        if await self.find_by_email(data.email) is not None:
            raise email_exists()
        password_hash = await self.hasher.hash(data.password)
        now = utcnow()
        user = User(
            id=str(uuid.uuid4()),
            email=data.email,
            password_hash=password_hash,
            first_name=data.first_name,
            last_name=data.last_name,
            phone_number=data.phone_number,
            is_email_verified=verified,
            is_active=True,
            roles=list(roles),
            created_at=now,
            updated_at=now,
            last_login_at=None,
        )
        try:
            async with self.db.transaction() as session:
                session.add(user)
                await session.flush()
                await self.outbox.add(session, UserCreated(user_id=user.id, email=user.email, created_at=now))
        except IntegrityError as exc:
            raise email_exists() from exc
        return user

    async def get(self, user_id: str) -> User:
        async with self.db.session() as session:
            user = await session.get(User, user_id)
        if user is None:
            raise not_found("User")
        return user

    async def find_by_email(self, email: str) -> User | None:
        async with self.db.session() as session:
            return await session.scalar(select(User).where(User.email == email.strip().lower()))

    async def mark_email_verified(self, user_id: str, email: str) -> User:
        """Idempotent; refuses when the address the token was issued for is no longer the user's."""
        async with self.db.transaction() as session:
            user = await session.get(User, user_id)
            if user is None:
                raise not_found("User")
            if user.email != email.strip().lower():
                raise ProblemError(
                    409, "EMAIL_CHANGED", "The email address changed since this link was sent."
                )
            if not user.is_email_verified:
                user.is_email_verified = True
                user.updated_at = utcnow()
        return user
