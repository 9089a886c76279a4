"""Use cases of signing in and out: login (throttled), refresh rotation with reuse detection, logout."""

import hmac
from typing import Literal

from xshop.contracts.events import LoginFailed, LoginSucceeded
from xshop.platform.context import ensure_correlation_id
from xshop.platform.errors import ProblemError
from xshop.platform.security.tokens import token_digest
from xshop.services.auth import sessions
from xshop.services.auth.context import AuthContext, ClientInfo
from xshop.services.auth.models import SessionFamily
from xshop.services.auth.schemas import SessionResponse, UserRecord
from xshop.services.auth.throttle import TooManyAttempts, guarded

FailureReason = Literal["invalid_credentials", "account_disabled", "too_many_attempts"]
FAILURE_REASONS: dict[str, FailureReason] = {
    "INVALID_CREDENTIALS": "invalid_credentials",
    "ACCOUNT_DISABLED": "account_disabled",
}


def refresh_failed(code: str, detail: str) -> ProblemError:
    return ProblemError(401, code, detail)


def csrf_failed() -> ProblemError:
    return ProblemError(403, "CSRF_FAILED", "The CSRF token is missing or does not match this session.")


def csrf_matches(family: SessionFamily, csrf_token: str) -> bool:
    return hmac.compare_digest(token_digest(csrf_token), family.csrf_hash)


class SessionService:
    def __init__(self, context: AuthContext) -> None:
        self.ctx = context

    async def login(self, email: str, password: str, client: ClientInfo) -> SessionResponse:
        limits = self.ctx.limits
        account = limits.account(email)
        keys = [account, *limits.ip(client)]
        try:
            user = await guarded(
                self.ctx.throttle,
                keys,
                lambda: self.ctx.users.verify_credentials(email, password),
                wrong_guess=lambda exc: exc.code == "INVALID_CREDENTIALS",
                clear_on_success=[account],
            )
        except TooManyAttempts as exc:
            await self._failed(email, "too_many_attempts", client)
            raise exc.problem() from None
        except ProblemError as exc:
            if exc.code in FAILURE_REASONS:
                await self._failed(email, FAILURE_REASONS[exc.code], client)
            raise
        now = self.ctx.clock()
        async with self.ctx.db.transaction() as session:
            tokens = await self.ctx.sessions.open(session, user, now)
            await self.ctx.outbox.add(
                session,
                LoginSucceeded(
                    user_id=user.id,
                    email=user.email,
                    session_id=tokens.session_id,
                    ip_address=client.ip_address,
                    user_agent=client.user_agent,
                    correlation_id=ensure_correlation_id(),
                    timestamp=now,
                ),
            )
        return SessionResponse(user=user, session=tokens)

    async def refresh(self, refresh_token: str, csrf_token: str | None) -> SessionResponse:
        """Spend ``refresh_token`` for a new one. A token presented twice means it leaked (or was
        replayed): the whole family is revoked, and the holder of its newest token signs in again."""
        now = self.ctx.clock()
        async with self.ctx.db.session() as session:
            found = await sessions.find_refresh(session, refresh_token)
        if found is None:
            raise refresh_failed("REFRESH_INVALID", "The refresh token is not valid. Sign in again.")
        token, family = found
        if csrf_token is not None and not csrf_matches(family, csrf_token):
            raise csrf_failed()
        if token.used_at is not None:
            await self._revoke(family.id)
            raise refresh_failed("REFRESH_REUSED", "This refresh token was already used. Sign in again.")
        if family.revoked_at is not None:
            raise refresh_failed("REFRESH_INVALID", "This session has ended. Sign in again.")
        if token.expires_at <= now:
            raise refresh_failed("REFRESH_EXPIRED", "This session has expired. Sign in again.")
        user = await self._still_allowed(family)
        tokens = None
        async with self.ctx.db.transaction() as session:
            current = await sessions.locked_family(session, family.id)
            if current is None or current.revoked_at is not None:  # ended while we looked the user up
                raise refresh_failed("REFRESH_INVALID", "This session has ended. Sign in again.")
            if await sessions.spend(session, token.id, now):
                tokens = self.ctx.sessions.issue(session, current, user, now, csrf_token)
            else:  # a concurrent refresh spent it first: the same token used twice
                await sessions.revoke_family(session, family.id, now)
        if tokens is None:
            raise refresh_failed("REFRESH_REUSED", "This refresh token was already used. Sign in again.")
        return SessionResponse(user=user, session=tokens)

    async def logout(self, refresh_token: str, csrf_token: str | None) -> None:
        """Ends the token's session; an unknown token is already signed out."""
        async with self.ctx.db.session() as session:
            found = await sessions.find_refresh(session, refresh_token)
        if found is None:
            return
        _, family = found
        if csrf_token is not None and not csrf_matches(family, csrf_token):
            raise csrf_failed()
        await self._revoke(family.id)

    async def _still_allowed(self, family: SessionFamily) -> UserRecord:
        user = await self.ctx.users.get(family.user_id)
        if user is not None and user.is_active:
            return user
        await self._revoke(family.id)
        if user is None:
            raise refresh_failed("REFRESH_INVALID", "This account no longer exists.")
        raise ProblemError(403, "ACCOUNT_DISABLED", "This account is disabled.")

    async def _revoke(self, family_id: str) -> None:
        async with self.ctx.db.transaction() as session:
            await sessions.revoke_family(session, family_id, self.ctx.clock())

    async def _failed(self, email: str, reason: FailureReason, client: ClientInfo) -> None:
        now = self.ctx.clock()
        async with self.ctx.db.transaction() as session:
            await self.ctx.outbox.add(
                session,
                LoginFailed(
                    email=email.strip().lower()[:254],
                    reason=reason,
                    ip_address=client.ip_address,
                    user_agent=client.user_agent,
                    correlation_id=ensure_correlation_id(),
                    timestamp=now,
                ),
            )
