"""Password checks and changes. The users service owns the hashes, so every comparison happens here
and no hash ever leaves it (a fingerprint of one does, for binding reset links)."""

import hmac

from sqlalchemy import select, update

from xshop.platform.clock import Clock, utcnow
from xshop.platform.db import Database
from xshop.platform.errors import ProblemError, not_found
from xshop.platform.security.passwords import PasswordHasher
from xshop.platform.security.tokens import random_token, token_digest
from xshop.services.users.models import User


def invalid_credentials() -> ProblemError:
    return ProblemError(401, "INVALID_CREDENTIALS", "The email or password is not correct.")


def account_disabled() -> ProblemError:
    return ProblemError(403, "ACCOUNT_DISABLED", "This account is disabled.")


def wrong_current_password() -> ProblemError:
    return ProblemError(400, "INVALID_CURRENT_PASSWORD", "The current password is not correct.")


def password_changed() -> ProblemError:
    return ProblemError(409, "PASSWORD_CHANGED", "The password changed in the meantime.")


def fingerprint(password_hash: str) -> str:
    return token_digest(password_hash)


class CredentialsService:
    def __init__(self, db: Database, hasher: PasswordHasher, clock: Clock = utcnow) -> None:
        self.db = db
        self.hasher = hasher
        self.clock = clock
        self._dummy_hash: str | None = None

    async def verify_login(self, email: str, password: str) -> User:
        """The user whose password this is; ``lastLoginAt`` is set. Unknown addresses cost a bcrypt
        check too, so the answer takes as long as for a wrong password."""
        async with self.db.session() as session:
            user = await session.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            await self.hasher.verify(password, await self._dummy())
            raise invalid_credentials()
        if not await self.hasher.verify(password, user.password_hash):
            raise invalid_credentials()
        if not user.is_active:  # only once the password matched: no probing which accounts are disabled
            raise account_disabled()
        now = self.clock()
        async with self.db.transaction() as session:
            await session.execute(update(User).where(User.id == user.id).values(last_login_at=now))
        user.last_login_at = now
        return user

    async def check_password(self, user_id: str, password: str) -> User:
        user = await self._get(user_id)
        if not await self.hasher.verify(password, user.password_hash):
            raise wrong_current_password()
        return user

    async def change_password(self, user_id: str, current: str, new: str) -> User:
        user = await self.check_password(user_id, current)
        if hmac.compare_digest(current.encode(), new.encode()):
            raise ProblemError(400, "PASSWORD_UNCHANGED", "The new password must differ from the old one.")
        await self._replace_hash(user, await self.hasher.hash(new))
        return user

    async def reset_password(self, user_id: str, new: str, expected_fingerprint: str) -> User:
        """Sets ``new`` only while the password is still the one the reset link was issued for."""
        user = await self._get(user_id)
        if not hmac.compare_digest(fingerprint(user.password_hash), expected_fingerprint):
            raise password_changed()
        await self._replace_hash(user, await self.hasher.hash(new))
        return user

    async def fingerprint_of(self, user_id: str) -> str:
        return fingerprint((await self._get(user_id)).password_hash)

    async def _replace_hash(self, user: User, new_hash: str) -> None:
        """Compare-and-set on the old hash: of two concurrent changes, the second fails."""
        now = self.clock()
        async with self.db.transaction() as session:
            result = await session.execute(
                update(User)
                .where(User.id == user.id, User.password_hash == user.password_hash)
                .values(password_hash=new_hash, updated_at=now)
            )
            if getattr(result, "rowcount", 0) != 1:
                raise password_changed()
        user.password_hash = new_hash
        user.updated_at = now

    async def _get(self, user_id: str) -> User:
        async with self.db.session() as session:
            user = await session.get(User, user_id)
        if user is None:
            raise not_found("User")
        return user

    async def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = await self.hasher.hash(random_token())
        return self._dummy_hash
