"""Use cases of the auth service: the registration workflow and email verification."""

import logging
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from xshop.contracts.events import EmailVerificationRequested, EmailVerified, UserRegistered
from xshop.platform.clock import Clock
from xshop.platform.context import ensure_correlation_id
from xshop.platform.db import Database
from xshop.platform.errors import ProblemError
from xshop.platform.events.outbox import Outbox
from xshop.services.auth import one_time_tokens
from xshop.services.auth.clients import UsersClient
from xshop.services.auth.context import ClientInfo
from xshop.services.auth.schemas import RegisterRequest, SessionTokens, UserRecord
from xshop.services.auth.sessions import SessionIssuer

log = logging.getLogger("xshop.auth")


@dataclass(frozen=True)
class Registration:
    user: UserRecord
    session: SessionTokens


class AuthService:
    def __init__(
        self,
        db: Database,
        outbox: Outbox,
        users: UsersClient,
        sessions: SessionIssuer,
        clock: Clock,
        *,
        verification_ttl: timedelta,
        verify_url: str,
        write_retry_seconds: float,
    ) -> None:
        self.db = db
        self.outbox = outbox
        self.users = users
        self.sessions = sessions
        self.clock = clock
        self.verification_ttl = verification_ttl
        self.verify_url = verify_url
        self.write_retry_seconds = write_retry_seconds

    async def register(self, request: RegisterRequest, client: ClientInfo) -> Registration:
        """The users service creates the account; then this service's own transaction opens the
        session and writes the registration events. Should that fail (beyond a short outage, which
        is retried), the account is withdrawn, so a refused registration leaves no user behind
        and the customer can simply try again."""
        user = await self.users.create_user(request.model_dump(by_alias=True))
        try:
            tokens = await self.db.retrying(
                lambda session: self._record_registration(session, user, client),
                seconds=self.write_retry_seconds,
            )
        except Exception:
            await self._withdraw(user)
            raise
        return Registration(user=user, session=tokens)

    async def _record_registration(
        self, session: AsyncSession, user: UserRecord, client: ClientInfo
    ) -> SessionTokens:
        now = self.clock()
        correlation_id = ensure_correlation_id()
        tokens = await self.sessions.open(session, user, now)
        verification = await self.verification_requested(session, user)
        await self.outbox.add(
            session,
            UserRegistered(
                user_id=user.id,
                email=user.email,
                name=f"{user.first_name} {user.last_name}".strip(),
                first_name=user.first_name,
                last_name=user.last_name,
                registered_at=now,
                ip_address=client.ip_address,
                user_agent=client.user_agent,
                correlation_id=correlation_id,
                timestamp=now,
            ),
            verification,
        )
        return tokens

    async def _withdraw(self, user: UserRecord) -> None:
        try:
            await self.users.delete(user.id, actor="registration-withdrawn")
        except ProblemError:
            # Nothing else can be undone from here; the customer can still sign in with the
            # password they chose and ask for a new verification email.
            log.error("registration of user %s failed and the account could not be withdrawn", user.id)
        else:
            log.warning("registration of user %s failed; the account was withdrawn", user.id)

    async def resend_verification(self, email: str) -> None:
        """Sends a fresh link if the address belongs to an unverified user; silent otherwise."""
        user = await self.users.find_by_email(email)
        if user is None or user.is_email_verified:
            return
        async with self.db.transaction() as session:
            await self.outbox.add(session, await self.verification_requested(session, user))

    async def verify_email(self, token: str) -> UserRecord:
        now = self.clock()
        async with self.db.session() as session:
            found = await one_time_tokens.find_usable(
                session, purpose=one_time_tokens.EMAIL_VERIFICATION, token=token, now=now
            )
        user = await self.users.mark_email_verified(found.user_id, found.email)
        async with self.db.transaction() as session:
            await one_time_tokens.spend(session, found, now)
            await self.outbox.add(
                session,
                EmailVerified(
                    user_id=user.id,
                    email=user.email,
                    verified_at=now,
                    correlation_id=ensure_correlation_id(),
                    timestamp=now,
                ),
            )
        return user

    async def verification_requested(
        self, session: AsyncSession, user: UserRecord
    ) -> EmailVerificationRequested:
        """A new verification link for the user's current address, as the event that mails it."""
        now = self.clock()
        token, expires_at = await one_time_tokens.issue(
            session,
            purpose=one_time_tokens.EMAIL_VERIFICATION,
            user_id=user.id,
            email=user.email,
            now=now,
            ttl=self.verification_ttl,
        )
        return EmailVerificationRequested(
            user_id=user.id,
            email=user.email,
            first_name=user.first_name,
            verification_token=token,
            verification_url=f"{self.verify_url}?{urlencode({'token': token})}",
            expires_at=expires_at,
            correlation_id=ensure_correlation_id(),
            timestamp=now,
        )
