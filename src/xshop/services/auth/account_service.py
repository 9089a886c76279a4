"""Use cases of accounts: the signed-in user's profile and deletion, and user administration.
The users service holds the records; auth checks who asks and ends sessions where needed."""

from typing import Any

from xshop.platform.errors import ProblemError
from xshop.platform.security.tokens import AccessClaims
from xshop.services.auth import one_time_tokens, sessions
from xshop.services.auth.context import AuthContext, account_gone
from xshop.services.auth.schemas import UserPage, UserRecord
from xshop.services.auth.service import AuthService
from xshop.services.auth.throttle import TooManyAttempts, guarded


def own_account() -> ProblemError:
    return ProblemError(
        409, "OWN_ACCOUNT", "Admins cannot change their own roles, status or account from the admin area."
    )


class AccountService:
    def __init__(self, context: AuthContext, registration: AuthService) -> None:
        self.ctx = context
        self.registration = registration

    async def me(self, principal: AccessClaims) -> UserRecord:
        user = await self.ctx.users.get(principal.user_id)
        if user is None:
            raise account_gone()
        return user

    async def update_profile(self, principal: AccessClaims, changes: dict[str, Any]) -> UserRecord:
        """A changed email is unverified again and gets a new verification link."""
        try:
            result = await self.ctx.users.update_profile(principal.user_id, changes, principal.user_id)
        except ProblemError as exc:
            if exc.status == 404:
                raise account_gone() from None
            raise
        if result.email_changed:
            async with self.ctx.db.transaction() as session:
                event = await self.registration.verification_requested(session, result.user)
                await self.ctx.outbox.add(session, event)
        return result.user

    async def delete_self(self, principal: AccessClaims, password: str) -> None:
        try:
            await guarded(
                self.ctx.throttle,
                [self.ctx.limits.user(principal.user_id)],
                lambda: self.ctx.users.verify_password(principal.user_id, password),
                wrong_guess=lambda exc: exc.code == "INVALID_CURRENT_PASSWORD",
            )
        except TooManyAttempts as exc:
            raise exc.problem() from None
        except ProblemError as exc:
            if exc.status == 404:
                raise account_gone() from None
            raise
        await self._delete(principal.user_id, actor=principal.user_id)

    async def list_users(self, params: dict[str, Any]) -> UserPage:
        return await self.ctx.users.list_users({k: v for k, v in params.items() if v is not None})

    async def update_access(self, admin: AccessClaims, user_id: str, changes: dict[str, Any]) -> UserRecord:
        if user_id == admin.user_id:
            raise own_account()
        user = await self.ctx.users.update_access(user_id, changes, admin.user_id)
        if not user.is_active:
            await self._end_sessions(user_id)
        return user

    async def delete_user(self, admin: AccessClaims, user_id: str) -> None:
        if user_id == admin.user_id:
            raise own_account()
        await self._delete(user_id, actor=admin.user_id)

    async def _delete(self, user_id: str, *, actor: str) -> None:
        await self.ctx.users.delete(user_id, actor)
        await self._end_sessions(user_id, forget_tokens=True)

    async def _end_sessions(self, user_id: str, *, forget_tokens: bool = False) -> None:
        async with self.ctx.db.transaction() as session:
            await sessions.revoke_user(session, user_id, self.ctx.clock())
            if forget_tokens:
                await one_time_tokens.forget_user(session, user_id)
