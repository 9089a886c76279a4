"""The events gateway: validated publishing through the outbox, API key, dead letters, AsyncAPI."""

import uuid

import httpx
import pytest

from tests.waiting import eventually
from xshop.contracts.events import EVENT_MODELS
from xshop.platform.events.bus import Subscription
from xshop.platform.events.envelope import CloudEvent
from xshop.platform.settings import Settings
from xshop.runtime.embedded import inprocess_bus
from xshop.services.events_gateway import app as events_app

KEY = "k" * 40
USER_CREATED = {"userId": "u-1", "email": "a@example.com", "createdAt": "2026-11-24T10:00:00Z"}


@pytest.fixture
async def gateway(tmp_path):
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path,
        events_api_key=KEY,
        event_max_attempts=1,
        relay_poll_seconds=0.05,
        event_retry_base_seconds=0.05,
    )
    bus = inprocess_bus(settings)
    received: list[CloudEvent] = []

    async def consume(event: CloudEvent) -> None:
        if event.data.get("email") == "poison@example.com":
            raise RuntimeError("consumer bug")
        received.append(event)

    bus.subscribe(Subscription("audit-service-queue", ("#",), consume))
    unit = events_app.build(settings, bus)
    await unit.database.migrate(unit.migrations)
    await bus.start()
    unit.relay.start()
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=unit.app), base_url="http://events")
    client.received = received  # type: ignore[attr-defined]
    yield client
    await client.aclose()
    await unit.relay.stop()
    await bus.close()
    await unit.close()
    await bus.db.dispose()


def publish(client, body, key=KEY):
    return client.post("/api/v1/publish", json=body, headers={"X-API-Key": key} if key else {})


async def test_a_valid_event_is_published_with_its_source_and_correlation_id(gateway):
    response = await publish(gateway, {"type": "user.created", "source": "legacy-erp", "data": USER_CREATED})
    assert response.status_code == 202, response.text
    event_id = response.json()["id"]
    received = await eventually(lambda: gateway.received, what="the event on the bus")
    assert received[0].id == event_id and received[0].source == "legacy-erp"
    assert received[0].data == USER_CREATED
    assert received[0].correlationid == response.headers["x-correlation-id"]


async def test_unknown_type_and_invalid_payload_are_400_with_field_errors(gateway):
    unknown = await publish(gateway, {"type": "nope.nothing", "source": "x", "data": {}})
    assert unknown.status_code == 400 and unknown.json()["code"] == "UNKNOWN_EVENT_TYPE"
    invalid = await publish(gateway, {"type": "user.created", "source": "x", "data": {"userId": "u"}})
    assert invalid.status_code == 400 and invalid.json()["code"] == "VALIDATION_FAILED"
    assert {e["field"] for e in invalid.json()["errors"]} == {"data.email", "data.createdAt"}
    assert gateway.received == []


async def test_api_key_is_required(gateway):
    assert (
        await publish(gateway, {"type": "user.created", "source": "x", "data": USER_CREATED}, key=None)
    ).json()["code"] == "INVALID_API_KEY"
    wrong = await publish(gateway, {"type": "user.created", "source": "x", "data": USER_CREATED}, key="wrong")
    assert wrong.status_code == 401
    assert (await gateway.get("/api/v1/dlq")).status_code == 401


async def test_publishing_the_same_event_id_twice_is_409(gateway):
    body = {"type": "user.created", "source": "x", "data": USER_CREATED, "id": str(uuid.uuid4())}
    assert (await publish(gateway, body)).status_code == 202
    again = await publish(gateway, body)
    assert again.status_code == 409 and again.json()["code"] == "EVENT_EXISTS"


async def test_dead_letters_are_listed_and_replayed(gateway):
    poison = USER_CREATED | {"email": "poison@example.com"}
    published = await publish(gateway, {"type": "user.created", "source": "x", "data": poison})

    async def dead():
        letters = (await gateway.get("/api/v1/dlq", headers={"X-API-Key": KEY})).json()
        return letters or None

    letters = await eventually(dead, what="a dead letter")
    assert letters[0]["eventId"] == published.json()["id"] and "consumer bug" in letters[0]["error"]
    replay = await gateway.post("/api/v1/dlq/audit-service-queue/replay", headers={"X-API-Key": KEY})
    assert replay.json() == {"queue": "audit-service-queue", "replayed": 1}
    missing = await gateway.post("/api/v1/dlq/no-such-queue/replay", headers={"X-API-Key": KEY})
    assert missing.status_code == 404


async def test_asyncapi_document_covers_every_event_type(gateway):
    document = (await gateway.get("/asyncapi.json")).json()
    assert document["asyncapi"] == "3.0.0"
    assert set(document["channels"]) == set(EVENT_MODELS)
    message = document["components"]["messages"]["UserCreated"]
    assert set(message["payload"]["properties"]["data"]["required"]) == {"userId", "email", "createdAt"}


async def test_publishing_disabled_without_a_key(tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path)
    bus = inprocess_bus(settings)
    unit = events_app.build(settings, bus)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=unit.app), base_url="http://e") as client:
        response = await publish(client, {"type": "user.created", "source": "x", "data": USER_CREATED})
    assert response.status_code == 403 and response.json()["code"] == "PUBLISHING_DISABLED"
    await unit.close()
    await bus.db.dispose()
