"""Access JWTs (HS256) and opaque random tokens that are stored only as hashes."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

ALGORITHM = "HS256"
ACCESS = "access"


class InvalidToken(Exception):
    pass


@dataclass(frozen=True)
class AccessClaims:
    user_id: str
    email: str
    roles: tuple[str, ...]
    expires_at: datetime


@dataclass(frozen=True)
class JwtCodec:
    secret: str
    issuer: str
    audience: str

    def issue_access(
        self, *, user_id: str, email: str, roles: list[str], now: datetime, ttl: timedelta
    ) -> tuple[str, datetime]:
        expires_at = now + ttl
        claims = {
            "sub": user_id,
            "email": email,
            "roles": roles,
            "typ": ACCESS,
            "iss": self.issuer,
            "aud": self.audience,
            "iat": int(now.timestamp()),
            "exp": int(expires_at.timestamp()),
            "jti": str(uuid.uuid4()),
        }
        return jwt.encode(claims, self.secret, algorithm=ALGORITHM), expires_at

    def verify_access(self, token: str) -> AccessClaims:
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["sub", "exp", "iat", "iss", "aud", "jti"]},
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        if claims.get("typ") != ACCESS:
            raise InvalidToken("not an access token")
        return AccessClaims(
            user_id=str(claims["sub"]),
            email=str(claims.get("email", "")),
            roles=tuple(claims.get("roles") or ()),
            expires_at=datetime.fromtimestamp(claims["exp"]).astimezone(),
        )


def random_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What we store instead of the token: a leaked table does not hand out working tokens."""
    return hashlib.sha256(token.encode()).hexdigest()
