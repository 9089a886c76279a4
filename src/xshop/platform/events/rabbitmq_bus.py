"""The distributed runtime's event bus: RabbitMQ through aio-pika, with the semantics of ``EventBus``.

Topology per consuming queue ``q`` (all durable):
- ``q``, bound to the topic exchange ``xshop.events`` by the subscription's patterns;
- ``q.retry.<ms>``: delay queues without consumers; a message waits out its TTL there and is then
  dead-lettered back onto ``q`` through the default exchange (growing delays, no plugin needed);
- ``q.dlq``: where a message lands after its last attempt, with the error in its headers.
Messages are persistent, publishes are confirmed, consumers ack manually with a prefetch limit, and
``connect_robust`` reconnects and restores the topology and consumers after a broker restart.

A broadcast subscription gets ``<queue>.<random id>`` instead: exclusive and auto-deleted, so the
broker drops it with this connection, with no retry queues and no dead letters.
"""

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import aio_pika
from aio_pika.abc import (
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustChannel,
    AbstractRobustConnection,
    AbstractRobustExchange,
)

from xshop.platform.events.bus import DeadLetter, Subscription, retry_delay
from xshop.platform.events.envelope import CloudEvent

log = logging.getLogger("xshop.bus")
ATTEMPT = "x-xshop-attempt"
ERROR = "x-xshop-error"
FAILED_AT = "x-xshop-failed-at"
_MAX_ERROR = 2000


class RabbitMqBus:
    def __init__(
        self,
        url: str,
        *,
        exchange: str = "xshop.events",
        max_attempts: int,
        retry_base_seconds: float,
        retry_max_seconds: float,
        prefetch: int,
    ) -> None:
        self.url = url
        self.exchange_name = exchange
        self.max_attempts = max_attempts
        self.retry_base = retry_base_seconds
        self.retry_max = retry_max_seconds
        self.prefetch = prefetch
        self._subscriptions: dict[str, Subscription] = {}
        self._broadcasts: list[Subscription] = []
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractRobustChannel | None = None
        self._exchange: AbstractRobustExchange | None = None
        self._consumers: list[tuple[AbstractQueue, str]] = []
        self._in_flight: set[asyncio.Future[None]] = set()

    def subscribe(self, subscription: Subscription) -> None:
        if subscription.broadcast:
            self._broadcasts.append(subscription)
        else:
            self._subscriptions[subscription.queue] = subscription

    async def connect(self) -> None:
        """Connect and declare the exchange and every subscribed queue, without consuming."""
        self._connection = await aio_pika.connect_robust(self.url)
        self._channel = await self._connection.channel(publisher_confirms=True)
        self._exchange = await self._channel.declare_exchange(
            self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True
        )
        for subscription in self._subscriptions.values():
            await self._declare(subscription)

    async def start(self) -> None:
        await self.connect()
        assert self._connection is not None
        for subscription in self._subscriptions.values():
            channel = await self._connection.channel(publisher_confirms=True)
            await channel.set_qos(prefetch_count=self.prefetch)
            # declare_queue, not get_queue: only declared queues (and their consumers) are restored
            # by the robust channel after the broker comes back.
            queue = await channel.declare_queue(subscription.queue, durable=True)
            tag = await queue.consume(self._consumer(subscription, channel))
            self._consumers.append((queue, tag))
        for subscription in self._broadcasts:
            await self._retire_durable(subscription.queue)
            channel = await self._connection.channel()
            await channel.set_qos(prefetch_count=self.prefetch)
            queue = await channel.declare_queue(
                f"{subscription.queue}.{uuid.uuid4().hex[:12]}", exclusive=True, auto_delete=True
            )
            for pattern in subscription.bindings:
                await queue.bind(self._require_exchange(), routing_key=pattern)
            tag = await queue.consume(self._consumer(subscription, channel))
            self._consumers.append((queue, tag))

    async def close(self) -> None:
        for queue, tag in self._consumers:
            with contextlib.suppress(Exception):
                await queue.cancel(tag)
        self._consumers.clear()
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    async def publish(self, events: Sequence[CloudEvent]) -> None:
        exchange = self._require_exchange()
        await asyncio.gather(*(exchange.publish(_message(event), routing_key=event.type) for event in events))

    async def queues(self) -> list[str]:
        return sorted(self._subscriptions)

    async def dead_letters(self, queue: str) -> list[DeadLetter]:
        """Peek: take every dead letter without acking, then hand them all back to the queue."""
        channel = await self._require_connection().channel()
        letters: list[DeadLetter] = []
        try:
            dlq = await channel.declare_queue(f"{queue}.dlq", durable=True)
            while (message := await dlq.get(no_ack=False, fail=False)) is not None:
                headers = message.headers or {}
                letters.append(
                    DeadLetter(
                        queue=queue,
                        event=CloudEvent.model_validate_json(message.body),
                        attempts=int(headers.get(ATTEMPT, 0) or 0),  # type: ignore[arg-type]
                        error=str(headers.get(ERROR, "")),
                        failed_at=datetime.fromtimestamp(float(headers.get(FAILED_AT, 0) or 0), UTC),  # type: ignore[arg-type]
                    )
                )
        finally:
            await channel.close()  # unacked messages go back to the dead-letter queue
        return letters

    async def replay(self, queue: str) -> int:
        channel = await self._require_connection().channel(publisher_confirms=True)
        replayed = 0
        try:
            dlq = await channel.declare_queue(f"{queue}.dlq", durable=True)
            while (message := await dlq.get(no_ack=False, fail=False)) is not None:
                event = CloudEvent.model_validate_json(message.body)
                await channel.default_exchange.publish(_message(event), routing_key=queue)
                await message.ack()
                replayed += 1
        finally:
            await channel.close()
        return replayed

    async def ping(self) -> bool:
        return self._connection is not None and not self._connection.is_closed

    async def _declare(self, subscription: Subscription) -> None:
        channel = self._channel
        assert channel is not None and self._exchange is not None
        queue = await channel.declare_queue(subscription.queue, durable=True)
        for pattern in subscription.bindings:
            await queue.bind(self._exchange, routing_key=pattern)
        await channel.declare_queue(f"{subscription.queue}.dlq", durable=True)
        for delay_ms in self._delays_ms():
            await channel.declare_queue(
                _retry_queue(subscription.queue, delay_ms),
                durable=True,
                arguments={
                    "x-message-ttl": delay_ms,
                    "x-dead-letter-exchange": "",
                    "x-dead-letter-routing-key": subscription.queue,
                },
            )

    def _delays_ms(self) -> list[int]:
        return sorted(
            {int(retry_delay(n, self.retry_base, self.retry_max) * 1000) for n in range(1, self.max_attempts)}
        )

    def _consumer(self, subscription: Subscription, channel: AbstractRobustChannel) -> Any:
        async def on_message(message: AbstractIncomingMessage) -> None:
            task = asyncio.current_task()
            if task is not None:
                self._in_flight.add(task)
            try:
                await self._deliver(subscription, channel, message)
            finally:
                if task is not None:
                    self._in_flight.discard(task)

        return on_message

    async def _retire_durable(self, name: str) -> None:
        """Delete the durable queue a broadcast subscription replaced, unless a consumer (an older
        replica) still reads it; the broker refuses that by closing the channel, hence its own."""
        if name in self._subscriptions:
            return
        channel = await self._require_connection().channel()
        try:
            await channel.queue_delete(name, if_unused=True)
        except aio_pika.exceptions.AMQPError as exc:
            log.info("durable queue %s kept: %s", name, exc)
        finally:
            if not channel.is_closed:
                await channel.close()

    async def _deliver(
        self, subscription: Subscription, channel: AbstractRobustChannel, message: AbstractIncomingMessage
    ) -> None:
        if subscription.broadcast:
            await self._deliver_once(subscription, message)
            return
        attempt = int((message.headers or {}).get(ATTEMPT, 1) or 1)  # type: ignore[arg-type]
        event = CloudEvent.model_validate_json(message.body)
        # A closing channel (broker restart) cancels its consumers' callbacks. The handler runs on
        # regardless, so an effect it has begun (an email handed to SMTP) gets recorded; the
        # redelivery then finds it done instead of repeating it.
        handling = asyncio.ensure_future(subscription.handler(event))
        self._in_flight.add(handling)
        handling.add_done_callback(self._in_flight.discard)
        try:
            await asyncio.shield(handling)
        except Exception as exc:  # any handler failure is retried, then dead-lettered
            error = f"{type(exc).__name__}: {exc}"[:_MAX_ERROR]
            if attempt >= self.max_attempts:
                log.error(
                    "event %s (%s) dead-lettered on %s after %d attempts: %s",
                    event.id,
                    event.type,
                    subscription.queue,
                    attempt,
                    error,
                )
                target = f"{subscription.queue}.dlq"
                headers = {ATTEMPT: attempt, ERROR: error, FAILED_AT: time.time()}
            else:
                log.warning(
                    "event %s (%s) failed on %s, attempt %d: %s",
                    event.id,
                    event.type,
                    subscription.queue,
                    attempt,
                    error,
                )
                delay = int(retry_delay(attempt, self.retry_base, self.retry_max) * 1000)
                target = _retry_queue(subscription.queue, delay)
                headers = {ATTEMPT: attempt + 1}
            await channel.default_exchange.publish(_message(event, headers), routing_key=target)
        await message.ack()

    async def _deliver_once(self, subscription: Subscription, message: AbstractIncomingMessage) -> None:
        event = CloudEvent.model_validate_json(message.body)
        try:
            await subscription.handler(event)
        except Exception as exc:  # best effort by contract: logged, never retried
            log.warning(
                "event %s (%s) failed on broadcast %s, not retried: %s",
                event.id,
                event.type,
                subscription.queue,
                type(exc).__name__,
            )
        await message.ack()

    def _require_connection(self) -> AbstractRobustConnection:
        if self._connection is None:
            raise RuntimeError("the bus is not started")
        return self._connection

    def _require_exchange(self) -> AbstractRobustExchange:
        if self._exchange is None:
            raise RuntimeError("the bus is not started")
        return self._exchange


def _retry_queue(queue: str, delay_ms: int) -> str:
    return f"{queue}.retry.{delay_ms}"


def _message(event: CloudEvent, headers: dict[str, Any] | None = None) -> aio_pika.Message:
    return aio_pika.Message(
        body=event.model_dump_json().encode(),
        content_type="application/cloudevents+json",
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        message_id=event.id,
        type=event.type,
        headers=headers or {},
    )
