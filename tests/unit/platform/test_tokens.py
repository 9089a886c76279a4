"""Access tokens: session binding claims round-trip; service tokens carry only the service role."""

from datetime import timedelta

import jwt
import pytest

from xshop.platform.clock import utcnow
from xshop.platform.security.tokens import SERVICE_ROLE, InvalidToken, JwtCodec

CODEC = JwtCodec("s" * 48, "xshop", "xshop")


def test_session_and_csrf_claims_round_trip():
    token, _ = CODEC.issue_access(
        user_id="u1",
        email="a@example.com",
        roles=["customer"],
        now=utcnow(),
        ttl=timedelta(minutes=1),
        session_id="family-1",
        csrf_digest="d" * 64,
    )
    claims = CODEC.verify_access(token)
    assert (claims.user_id, claims.session_id, claims.csrf_digest) == ("u1", "family-1", "d" * 64)


def test_tokens_without_a_session_have_no_binding():
    token, _ = CODEC.issue_access(user_id="u1", email="", roles=[], now=utcnow(), ttl=timedelta(minutes=1))
    claims = CODEC.verify_access(token)
    assert claims.session_id is None and claims.csrf_digest is None


def test_service_tokens_are_short_lived_access_tokens_with_the_service_role():
    claims = CODEC.verify_access(CODEC.issue_service("auth", now=utcnow()))
    assert claims.roles == (SERVICE_ROLE,) and claims.user_id == "service:auth"
    raw = jwt.decode(CODEC.issue_service("auth", now=utcnow()), options={"verify_signature": False})
    assert raw["exp"] - raw["iat"] == 60


def test_a_token_from_the_past_clock_is_expired():
    token = CODEC.issue_service("auth", now=utcnow() - timedelta(minutes=2))
    with pytest.raises(InvalidToken):
        CODEC.verify_access(token)
