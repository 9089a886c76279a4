"""Sign-in sessions: a refresh family per sign-in, its rotating refresh tokens (opaque, stored
hashed) and its CSRF token (stored hashed, the same for the family's whole life).

Access tokens carry the family id (``sid``) and the digest of its CSRF token (``csrf``), so the
BFF can check that a request's CSRF token belongs to the session of its access token without a
lookup."""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from xshop.platform.security.tokens import JwtCodec, random_token, token_digest
from xshop.services.auth.models import RefreshToken, SessionFamily
from xshop.services.auth.schemas import SessionTokens, UserRecord


class SessionIssuer:
    def __init__(self, codec: JwtCodec, *, access_ttl: timedelta, refresh_ttl: timedelta) -> None:
        self.codec = codec
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl

    async def open(self, session: AsyncSession, user: UserRecord, now: datetime) -> SessionTokens:
        """Start a new refresh family for ``user``; the caller's transaction commits it."""
        csrf_token = random_token()
        family = SessionFamily(
            id=str(uuid.uuid4()), user_id=user.id, csrf_hash=token_digest(csrf_token), created_at=now
        )
        session.add(family)
        await session.flush()  # the family row must exist before its token references it
        return self.issue(session, family, user, now, csrf_token)

    def issue(
        self,
        session: AsyncSession,
        family: SessionFamily,
        user: UserRecord,
        now: datetime,
        csrf_token: str | None,
    ) -> SessionTokens:
        """The family's next refresh token and a fresh access token. Spent tokens stay stored, so
        presenting one again is recognised as reuse."""
        refresh_token = random_token()
        refresh = RefreshToken(
            id=str(uuid.uuid4()),
            family_id=family.id,
            token_hash=token_digest(refresh_token),
            created_at=now,
            expires_at=now + self.refresh_ttl,
        )
        session.add(refresh)
        access_token, access_expires = self.codec.issue_access(
            user_id=user.id,
            email=user.email,
            roles=user.roles,
            now=now,
            ttl=self.access_ttl,
            session_id=family.id,
            csrf_digest=family.csrf_hash,
        )
        return SessionTokens(
            access_token=access_token,
            access_token_expires_at=access_expires,
            refresh_token=refresh_token,
            refresh_token_expires_at=refresh.expires_at,
            csrf_token=csrf_token,
            session_id=family.id,
        )


async def find_refresh(session: AsyncSession, token: str) -> tuple[RefreshToken, SessionFamily] | None:
    row = (
        await session.execute(
            select(RefreshToken, SessionFamily)
            .join(SessionFamily, SessionFamily.id == RefreshToken.family_id)
            .where(RefreshToken.token_hash == token_digest(token))
        )
    ).first()
    return (row[0], row[1]) if row else None


async def locked_family(session: AsyncSession, family_id: str) -> SessionFamily | None:
    return await session.scalar(select(SessionFamily).where(SessionFamily.id == family_id).with_for_update())


async def spend(session: AsyncSession, token_id: str, now: datetime) -> bool:
    """Mark the token used; False when a concurrent refresh spent it first."""
    result = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == token_id, RefreshToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def revoke_family(session: AsyncSession, family_id: str, now: datetime) -> None:
    await session.execute(
        update(SessionFamily)
        .where(SessionFamily.id == family_id, SessionFamily.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


async def revoke_user(session: AsyncSession, user_id: str, now: datetime) -> None:
    """Every session of the user dies at its next refresh (access tokens live out their minutes)."""
    await session.execute(
        update(SessionFamily)
        .where(SessionFamily.user_id == user_id, SessionFamily.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
