"""`xshop dlq list` and `xshop dlq replay` against the embedded bus of a data directory."""

import asyncio

from typer.testing import CliRunner

from tests.waiting import eventually
from xshop.cli import app
from xshop.platform.events.bus import Subscription
from xshop.platform.events.envelope import CloudEvent
from xshop.platform.settings import Settings
from xshop.runtime.embedded import inprocess_bus


async def make_dead_letter(data_dir) -> CloudEvent:
    bus = inprocess_bus(Settings(_env_file=None, data_dir=data_dir, event_max_attempts=1))

    async def broken(_: CloudEvent) -> None:
        raise RuntimeError("handler bug")

    bus.subscribe(Subscription("notification-service-queue", ("#",), broken))
    await bus.start()
    event = CloudEvent(source="test", type="auth.email.verification.requested", data={})
    await bus.publish([event])
    await eventually(lambda: bus.dead_letters("notification-service-queue"), what="a dead letter")
    await bus.close()
    await bus.db.dispose()
    return event


def test_list_shows_dead_letters_and_replay_requeues_them(tmp_path, monkeypatch):
    monkeypatch.setenv("XSHOP_DATA_DIR", str(tmp_path))
    event = asyncio.run(make_dead_letter(tmp_path))
    runner = CliRunner()

    listed = runner.invoke(app, ["dlq", "list"])
    assert listed.exit_code == 0, listed.output
    assert event.id in listed.output and "RuntimeError: handler bug" in listed.output

    replayed = runner.invoke(app, ["dlq", "replay", "notification-service-queue"])
    assert replayed.exit_code == 0 and "replayed 1 event(s)" in replayed.output
    assert runner.invoke(app, ["dlq", "list"]).output.strip() == "no dead letters"
    assert "replayed 0 event(s)" in runner.invoke(app, ["dlq", "replay", "notification-service-queue"]).output


def test_an_unknown_queue_is_a_usage_error_that_creates_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("XSHOP_DATA_DIR", str(tmp_path))
    asyncio.run(make_dead_letter(tmp_path))
    runner = CliRunner()
    for command in (["dlq", "replay", "no-such-queue"], ["dlq", "list", "--queue", "no-such-queue"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2, result.output
        assert "no queue 'no-such-queue'" in result.output and "notification-service-queue" in result.output
    assert "no-such-queue" not in runner.invoke(app, ["dlq", "list"]).output
