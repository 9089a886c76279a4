"""The AsyncAPI 3.0 document of the event bus, generated from the event payload models."""

from typing import Any

from xshop.contracts.events import EVENT_MODELS
from xshop.platform.events.envelope import CloudEvent

EXCHANGE = "xshop.events"
# Which service owns which event family: the first word of the routing key.
PUBLISHERS = {
    "user": "users",
    "auth": "auth",
    "product": "catalog",
    "inventory": "catalog",
    "order": "orders",
}


def _publisher(event_type: str) -> str:
    return PUBLISHERS.get(event_type.split(".")[0], "events gateway")


def _message_name(event_type: str) -> str:
    return "".join(part.capitalize() for part in event_type.split("."))


def asyncapi_document(broker_host: str) -> dict[str, Any]:
    envelope = CloudEvent.model_json_schema()
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for event_type, model in sorted(EVENT_MODELS.items()):
        name = _message_name(event_type)
        payload = {
            **envelope,
            "title": name,
            "properties": {
                **envelope["properties"],
                "type": {"const": event_type},
                "data": model.model_json_schema(by_alias=True),
            },
        }
        messages[name] = {
            "name": name,
            "contentType": "application/cloudevents+json",
            "payload": payload,
        }
        channels[event_type] = {
            "address": event_type,
            "messages": {name: {"$ref": f"#/components/messages/{name}"}},
            "bindings": {
                "amqp": {"is": "routingKey", "exchange": {"name": EXCHANGE, "type": "topic", "durable": True}}
            },
        }
        operations[f"publish{name}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{event_type}"},
            "summary": f"Published by the {_publisher(event_type)} service.",
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "xshop events",
            "version": "0.1.0",
            "description": f"CloudEvents 1.0 envelopes on the topic exchange `{EXCHANGE}`, routed by `type`.",
        },
        "servers": {"rabbitmq": {"host": broker_host, "protocol": "amqp"}},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }
