"""The relay's lag as Prometheus metrics: rows waiting and the age of the oldest, counted from the
outbox table after every pass, so they grow while the broker is away and fall to zero once it is back."""

from datetime import timedelta

import pytest
from prometheus_client import generate_latest
from sqlalchemy import MetaData

from tests.waiting import eventually
from xshop.platform.clock import utcnow
from xshop.platform.db import Database
from xshop.platform.events.envelope import CloudEvent
from xshop.platform.events.outbox import Outbox, outbox_table
from xshop.platform.events.relay import OutboxRelay
from xshop.platform.metrics import ServiceMetrics

metadata = MetaData()
table = outbox_table(metadata)


class SwitchableBroker:
    """Stands in for RabbitMQ only: refuses publishes while ``down``."""

    def __init__(self) -> None:
        self.down = True
        self.published: list[CloudEvent] = []

    async def publish(self, events: list[CloudEvent]) -> None:
        if self.down:
            raise ConnectionError("broker unreachable")
        self.published.extend(events)


@pytest.fixture
async def db(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'svc.sqlite'}")
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield database
    await database.dispose()


def sample(metrics: ServiceMetrics, name: str) -> float:
    value = metrics.registry.get_sample_value(name)
    assert value is not None, name
    return value


async def test_lag_grows_while_the_broker_is_down_and_clears_once_published(db):
    outbox = Outbox(table, "svc")
    metrics = ServiceMetrics("svc")
    broker = SwitchableBroker()
    relay = OutboxRelay(db, outbox, broker, metrics, batch_size=2, poll_seconds=0.05)  # type: ignore[arg-type]
    old = utcnow() - timedelta(seconds=30)
    async with db.transaction() as session:
        await outbox.add_envelopes(
            session,
            *(CloudEvent(source="svc", type="thing.happened", time=old, data={"n": n}) for n in range(5)),
        )
    relay.start()
    try:
        await eventually(lambda: sample(metrics, "xshop_outbox_pending_events") == 5, what="5 pending")
        assert 30 <= sample(metrics, "xshop_outbox_oldest_pending_age_seconds") < 60
        text = generate_latest(metrics.registry).decode()
        assert "xshop_outbox_pending_events 5.0" in text
        assert "xshop_outbox_oldest_pending_age_seconds" in text

        broker.down = False
        await eventually(lambda: sample(metrics, "xshop_outbox_pending_events") == 0, what="0 pending")
        assert sample(metrics, "xshop_outbox_oldest_pending_age_seconds") == 0
        assert len(broker.published) == 5
    finally:
        await relay.stop()


async def test_lag_counts_rows_other_replicas_hold_and_ages_from_the_oldest(db):
    outbox = Outbox(table, "svc")
    metrics = ServiceMetrics("svc")
    relay = OutboxRelay(db, outbox, SwitchableBroker(), metrics, batch_size=10, poll_seconds=0.05)  # type: ignore[arg-type]
    await relay.report_lag()
    assert sample(metrics, "xshop_outbox_pending_events") == 0
    assert sample(metrics, "xshop_outbox_oldest_pending_age_seconds") == 0
    now = utcnow()
    async with db.transaction() as session:
        await outbox.add_envelopes(
            session,
            CloudEvent(source="svc", type="c", time=now - timedelta(seconds=500), data={}),
            CloudEvent(source="svc", type="b", time=now - timedelta(seconds=120), data={}),
            CloudEvent(source="svc", type="a", time=now - timedelta(seconds=5), data={}),
        )
    async with db.transaction() as session:
        [(seq, _)] = await outbox.claim(session, 1)
        await outbox.mark_published(session, [seq])  # the oldest row: published by "another replica"
    await relay.report_lag()
    assert sample(metrics, "xshop_outbox_pending_events") == 2
    assert 120 <= sample(metrics, "xshop_outbox_oldest_pending_age_seconds") < 200
