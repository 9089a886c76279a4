"""Credentials for tests: Bearer headers minted with a service's own JWT codec."""

from datetime import timedelta

from xshop.platform.clock import utcnow
from xshop.platform.security.tokens import JwtCodec


def bearer(codec: JwtCodec, roles: list[str], user_id: str = "operator") -> dict[str, str]:
    token, _ = codec.issue_access(
        user_id=user_id, email=f"{user_id}@example.com", roles=roles, now=utcnow(), ttl=timedelta(minutes=5)
    )
    return {"Authorization": f"Bearer {token}"}
