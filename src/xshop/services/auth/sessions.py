"""Issuing a sign-in session: access JWT, refresh token (opaque, stored hashed, in a family), CSRF token."""

import uuid
from datetime import datetime, timedelta

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
        refresh_token = random_token()
        family = SessionFamily(
            id=str(uuid.uuid4()), user_id=user.id, csrf_hash=token_digest(csrf_token), created_at=now
        )
        refresh = RefreshToken(
            id=str(uuid.uuid4()),
            family_id=family.id,
            token_hash=token_digest(refresh_token),
            created_at=now,
            expires_at=now + self.refresh_ttl,
        )
        session.add(family)
        await session.flush()  # the family row must exist before its token references it
        session.add(refresh)
        access_token, access_expires = self.codec.issue_access(
            user_id=user.id, email=user.email, roles=user.roles, now=now, ttl=self.access_ttl
        )
        return SessionTokens(
            access_token=access_token,
            access_token_expires_at=access_expires,
            refresh_token=refresh_token,
            refresh_token_expires_at=refresh.expires_at,
            csrf_token=csrf_token,
        )
