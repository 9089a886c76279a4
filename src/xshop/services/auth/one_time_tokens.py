"""Purpose-bound, single-use tokens: only a digest is stored; each purpose only works for itself."""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from xshop.platform.errors import ProblemError
from xshop.platform.security.tokens import random_token, token_digest
from xshop.services.auth.models import OneTimeToken

EMAIL_VERIFICATION = "email_verification"
PASSWORD_RESET = "password_reset"  # noqa: S105 - a token purpose, not a secret


def _invalid(code: str, detail: str) -> ProblemError:
    return ProblemError(400, code, detail)


async def issue(
    session: AsyncSession,
    *,
    purpose: str,
    user_id: str,
    email: str,
    now: datetime,
    ttl: timedelta,
    binding: str | None = None,
) -> tuple[str, datetime]:
    """A new token for ``purpose``; earlier unused ones of the same purpose stop working."""
    await session.execute(
        delete(OneTimeToken).where(
            OneTimeToken.user_id == user_id, OneTimeToken.purpose == purpose, OneTimeToken.used_at.is_(None)
        )
    )
    token = random_token()
    expires_at = now + ttl
    session.add(
        OneTimeToken(
            id=str(uuid.uuid4()),
            purpose=purpose,
            token_hash=token_digest(token),
            user_id=user_id,
            email=email,
            created_at=now,
            expires_at=expires_at,
            binding=binding,
        )
    )
    return token, expires_at


async def forget_user(session: AsyncSession, user_id: str) -> None:
    await session.execute(delete(OneTimeToken).where(OneTimeToken.user_id == user_id))


async def find_usable(session: AsyncSession, *, purpose: str, token: str, now: datetime) -> OneTimeToken:
    found = await session.scalar(
        select(OneTimeToken).where(
            OneTimeToken.token_hash == token_digest(token), OneTimeToken.purpose == purpose
        )
    )
    if found is None:
        raise _invalid("TOKEN_INVALID", "This link is not valid. Ask for a new one.")
    if found.used_at is not None:
        raise _invalid("TOKEN_USED", "This link was already used.")
    if found.expires_at <= now:
        raise _invalid("TOKEN_EXPIRED", "This link has expired. Ask for a new one.")
    return found


async def spend(session: AsyncSession, token: OneTimeToken, now: datetime) -> None:
    """Mark used; a conditional update so two concurrent uses cannot both succeed."""
    result = await session.execute(
        update(OneTimeToken)
        .where(OneTimeToken.id == token.id, OneTimeToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise _invalid("TOKEN_USED", "This link was already used.")
