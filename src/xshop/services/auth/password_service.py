"""Use cases of passwords: forgot (reset link by email), reset with the link, change when signed in.

A reset link is bound to a fingerprint of the password hash it was issued for; the users service
sets the new password only while that fingerprint still holds, so a link dies with any password
change. Reset and change end every session of the user."""

import contextlib
import hmac
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from xshop.contracts.events import PasswordChanged, PasswordResetRequested
from xshop.platform.context import ensure_correlation_id
from xshop.platform.errors import ProblemError
from xshop.platform.security.tokens import AccessClaims
from xshop.services.auth import one_time_tokens, sessions
from xshop.services.auth.context import AuthContext, ClientInfo, account_gone
from xshop.services.auth.models import OneTimeToken
from xshop.services.auth.schemas import SessionResponse, UserRecord
from xshop.services.auth.throttle import TooManyAttempts, guarded


def link_dead() -> ProblemError:
    return ProblemError(400, "TOKEN_INVALID", "This link is no longer valid. Ask for a new one.")


class PasswordService:
    def __init__(self, context: AuthContext, *, reset_ttl: timedelta, reset_url: str) -> None:
        self.ctx = context
        self.reset_ttl = reset_ttl
        self.reset_url = reset_url

    async def forgot(self, email: str, client: ClientInfo) -> None:
        """Mails a reset link when the address belongs to an active account; silent otherwise."""
        user = await self.ctx.users.find_by_email(email)
        if user is None or not user.is_active:
            return
        fingerprint = await self.ctx.users.password_fingerprint(user.id)
        now = self.ctx.clock()
        async with self.ctx.db.transaction() as session:
            token, expires_at = await one_time_tokens.issue(
                session,
                purpose=one_time_tokens.PASSWORD_RESET,
                user_id=user.id,
                email=user.email,
                now=now,
                ttl=self.reset_ttl,
                binding=fingerprint,
            )
            await self.ctx.outbox.add(
                session,
                PasswordResetRequested(
                    user_id=user.id,
                    email=user.email,
                    first_name=user.first_name,
                    reset_token=token,
                    reset_url=f"{self.reset_url}?{urlencode({'token': token})}",
                    expires_at=expires_at,
                    ip_address=client.ip_address,
                    user_agent=client.user_agent,
                    correlation_id=ensure_correlation_id(),
                    timestamp=now,
                ),
            )

    async def check_reset(self, token: str) -> datetime:
        """When the link expires, if it would work now."""
        found = await self._usable(token)
        fingerprint = await self._fingerprint(found.user_id)
        if fingerprint is None or not hmac.compare_digest(fingerprint, found.binding or ""):
            raise link_dead()
        return found.expires_at

    async def reset(self, token: str, new_password: str, client: ClientInfo) -> UserRecord:
        found = await self._usable(token)
        if not found.binding:
            raise link_dead()
        try:
            user = await self.ctx.users.reset_password(found.user_id, new_password, found.binding)
        except ProblemError as exc:
            if exc.status in (404, 409):  # account gone, or the password changed since the link
                raise link_dead() from None
            raise
        now = self.ctx.clock()
        async with self.ctx.db.transaction() as session:
            # Already spent only if a concurrent reset raced us past the users service's check;
            # the password did change, so the sessions must still end.
            with contextlib.suppress(ProblemError):
                await one_time_tokens.spend(session, found, now)
            await self._changed(session, user, "reset", client, now)
        return user

    async def change(
        self, principal: AccessClaims, current: str, new: str, client: ClientInfo
    ) -> SessionResponse:
        """Every session ends; this device gets a new one."""
        try:
            user = await guarded(
                self.ctx.throttle,
                [self.ctx.limits.user(principal.user_id)],
                lambda: self.ctx.users.change_password(principal.user_id, current, new),
                wrong_guess=lambda exc: exc.code == "INVALID_CURRENT_PASSWORD",
            )
        except TooManyAttempts as exc:
            raise exc.problem() from None
        except ProblemError as exc:
            if exc.status == 404:
                raise account_gone() from None
            raise
        now = self.ctx.clock()
        async with self.ctx.db.transaction() as session:
            await self._changed(session, user, "change", client, now)
            tokens = await self.ctx.sessions.open(session, user, now)
        return SessionResponse(user=user, session=tokens)

    async def _changed(
        self,
        session: AsyncSession,
        user: UserRecord,
        method: Literal["change", "reset"],
        client: ClientInfo,
        now: datetime,
    ) -> None:
        await sessions.revoke_user(session, user.id, now)
        await self.ctx.outbox.add(
            session,
            PasswordChanged(
                user_id=user.id,
                email=user.email,
                first_name=user.first_name,
                method=method,
                ip_address=client.ip_address,
                user_agent=client.user_agent,
                changed_at=now,
                correlation_id=ensure_correlation_id(),
                timestamp=now,
            ),
        )

    async def _usable(self, token: str) -> OneTimeToken:
        async with self.ctx.db.session() as session:
            return await one_time_tokens.find_usable(
                session, purpose=one_time_tokens.PASSWORD_RESET, token=token, now=self.ctx.clock()
            )

    async def _fingerprint(self, user_id: str) -> str | None:
        try:
            return await self.ctx.users.password_fingerprint(user_id)
        except ProblemError as exc:
            if exc.status == 404:
                return None
            raise
