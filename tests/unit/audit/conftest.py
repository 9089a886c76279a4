"""A started audit service on real SQLite with the in-process bus, and admin/customer tokens for it."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.credentials import bearer
from tests.unit.audit.support import AuditHarness
from xshop.platform.db import Database
from xshop.platform.events.inprocess_bus import InProcessBus
from xshop.platform.security.tokens import JwtCodec
from xshop.platform.settings import Settings
from xshop.services.audit.app import build


def _bearer(codec: JwtCodec, roles: list[str]) -> dict[str, str]:
    return bearer(codec, roles, f"{roles[0]}-1")


@pytest.fixture
async def audit(tmp_path: Path) -> AsyncIterator[AuditHarness]:
    settings = Settings(data_dir=tmp_path, bcrypt_rounds=4, event_retry_base_seconds=0.05)
    bus = InProcessBus(
        Database(f"sqlite+aiosqlite:///{tmp_path}/bus.sqlite"),
        max_attempts=3,
        retry_base_seconds=0.05,
        retry_max_seconds=0.2,
        prefetch=8,
    )
    unit = build(settings, bus)
    assert unit.db is not None
    assert unit.migrations is not None
    await unit.db.migrate(unit.migrations)
    for subscription in unit.subscriptions:
        bus.subscribe(subscription)
    await bus.start()
    codec = JwtCodec(settings.resolved_jwt_secret(), settings.jwt_issuer, settings.jwt_audience)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(unit.app), base_url="http://audit")
    try:
        yield AuditHarness(unit, bus, client, _bearer(codec, ["admin"]), _bearer(codec, ["customer"]))
    finally:
        await client.aclose()
        # The bus first: its in-flight handlers still write through the unit's database.
        await bus.close()
        await unit.close()
        await bus.db.dispose()
