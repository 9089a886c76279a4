"""A registration the users service stored but auth could not record is withdrawn: the refusal
leaves no account, no verification email and no registration event behind, and a retry succeeds."""

import asyncio
import sqlite3
from pathlib import Path

from tests.helpers import ShopDriver


def _rename(database: Path, table: str, to: str) -> None:
    with sqlite3.connect(database) as connection:
        connection.execute(f'ALTER TABLE "{table}" RENAME TO "{to}"')


async def _account(shop: ShopDriver, email: str) -> int:
    async with shop.client("users") as users:
        response = await users.get(
            "/api/users/by-email", params={"email": email}, headers=shop.token(["service"])
        )
    return response.status_code


async def test_a_registration_auth_cannot_record_is_withdrawn_and_a_retry_succeeds(make_shop, tmp_path: Path):
    email = "withdrawn@example.com"
    async with make_shop(database_retry_seconds=0.2) as shop:
        # A real failure inside auth's own transaction, after the users service has committed.
        _rename(tmp_path / "auth.sqlite", "one_time_tokens", "one_time_tokens_away")
        refused = await shop.register(email)
        assert refused.status_code == 503, refused.text
        assert refused.json()["code"] == "AUTH_SERVICE_UNAVAILABLE"
        await shop.idle()
        assert await _account(shop, email) == 404
        kinds = sorted(entry["eventType"] for entry in await shop.audit(email=email))
        assert kinds == ["user.created", "user.deleted"]
        [deleted] = [entry for entry in await shop.audit(email=email) if entry["eventType"] == "user.deleted"]
        assert deleted["payload"]["deletedBy"] == "registration-withdrawn"
        assert await shop.mails_to(email) == []

        _rename(tmp_path / "auth.sqlite", "one_time_tokens_away", "one_time_tokens")
        accepted = await shop.register(email)
        assert accepted.status_code == 201, accepted.text
        await shop.idle()
        assert await _account(shop, email) == 200
        assert len(await shop.mails_to(email)) == 1


async def test_a_short_outage_of_auths_database_is_waited_out(make_shop, tmp_path: Path):
    """Not withdrawn: auth's write lock is held by another connection for a moment."""
    email = "patient@example.com"
    async with make_shop(database_retry_seconds=3) as shop:
        blocker = sqlite3.connect(tmp_path / "auth.sqlite", timeout=0, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            registering = asyncio.create_task(shop.register(email))
            await asyncio.sleep(0.5)
            assert not registering.done(), "the registration waits for auth's database"
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        response = await registering
        assert response.status_code == 201, response.text
        await shop.idle()
        kinds = sorted(entry["eventType"] for entry in await shop.audit(email=email))
        assert kinds == ["auth.email.verification.requested", "auth.user.registered", "user.created"]
