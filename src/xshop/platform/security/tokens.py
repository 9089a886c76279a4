"""Access JWTs (HS256) and opaque random tokens that are stored only as hashes."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

ALGORITHM = "HS256"
ACCESS = "access"
SERVICE_ROLE = "service"
SERVICE_TOKEN_TTL = timedelta(seconds=60)


class InvalidToken(Exception):
    pass


@dataclass(frozen=True)
class AccessClaims:
    user_id: str
    email: str
    roles: tuple[str, ...]
    expires_at: datetime
    session_id: str | None = None
    csrf_digest: str | None = None


@dataclass(frozen=True)
class JwtCodec:
    secret: str
    issuer: str
    audience: str

    def issue_access(
        self,
        *,
        user_id: str,
        email: str,
        roles: list[str],
        now: datetime,
        ttl: timedelta,
        session_id: str | None = None,
        csrf_digest: str | None = None,
    ) -> tuple[str, datetime]:
        """``session_id``/``csrf_digest`` bind the token to a sign-in session and its CSRF token."""
        expires_at = now + ttl
        claims: dict[str, object] = {
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
        if session_id:
            claims["sid"] = session_id
        if csrf_digest:
            claims["csrf"] = csrf_digest
        return jwt.encode(claims, self.secret, algorithm=ALGORITHM), expires_at

    def issue_service(self, service: str, *, now: datetime) -> str:
        """A short-lived token one service presents to another; only services hold the role."""
        token, _ = self.issue_access(
            user_id=f"service:{service}", email="", roles=[SERVICE_ROLE], now=now, ttl=SERVICE_TOKEN_TTL
        )
        return token

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
            session_id=_optional_text(claims.get("sid")),
            csrf_digest=_optional_text(claims.get("csrf")),
        )


def _optional_text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def random_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What we store instead of the token: a leaked table does not hand out working tokens."""
    return hashlib.sha256(token.encode()).hexdigest()
