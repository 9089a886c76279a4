"""The durable consumer queues of the event bus (DESIGN §7).

They are part of the published topology, like the event types: operators' tools (dead-letter listing
and replay in the events gateway and the CLI) must know every service's queue, while a RabbitMQ
connection only knows the queues its own process consumes.
"""

AUDIT_QUEUE = "audit-service-queue"
NOTIFICATIONS_QUEUE = "notification-service-queue"
DURABLE_QUEUES: tuple[str, ...] = (AUDIT_QUEUE, NOTIFICATIONS_QUEUE)
